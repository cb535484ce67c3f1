# Program 5's greeting to every client, but a client may stay: each line it sends comes
# back to it, until it closes. asyncio runs one serve() coroutine per client; every await
# hands the thread back to the event loop, which resumes whichever coroutine's socket is
# ready, so a silent client holds up no other.
import asyncio


async def serve(reader, writer):
    addr = writer.get_extra_info('peername')
    print('connected', addr)
    writer.write(b'Hello from server\n')
    await writer.drain()
    while True:
        data = await reader.read(1024)
        if not data:  # the client closed its end
            break
        writer.write(data)
        await writer.drain()
    print('closed', addr)
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(serve, '127.0.0.1', 12345)
    async with server:
        await server.serve_forever()


asyncio.run(main())
