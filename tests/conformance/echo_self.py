# One program, both ends: a listener, a connection to itself, bytes both ways, end of stream.
import socket

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(('127.0.0.1', 23460))
listener.listen()
print('listening on', listener.getsockname())

client = socket.socket()
client.connect(('127.0.0.1', 23460))
conn, addr = listener.accept()
print('peer host', addr[0], 'peer port is the client port', addr[1] == client.getsockname()[1])
print('client sees', client.getpeername())

client.sendall(b'Hello fr')
client.sendall('om client \u4e2d\n'.encode())
data = b''
while b'\n' not in data:
    data += conn.recv(4)
print('server got', data, len(data))
print('decoded', data.decode())

conn.sendall(b'x' * 100000)
got = 0
while got < 100000:
    chunk = client.recv(65536)
    got += len(chunk)
print('client got', got)

client.shutdown(socket.SHUT_WR)
print('after shutdown', conn.recv(10))
print('again', conn.recv(10))
conn.sendall(b'bye\n')
print('client still reads', client.recv(10))
conn.close()
print('client end', client.recv(10))
client.close()
listener.close()
with socket.socket() as s:
    print('fileno is int', isinstance(s.fileno(), int))
print('closed fileno', s.fileno())
