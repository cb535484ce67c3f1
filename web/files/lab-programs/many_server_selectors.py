# Program 5's greeting to every client, but a client may stay: each line it sends comes
# back to it, until it closes. One thread serves them all: the listening socket and every
# client's socket are non-blocking, and a selector says which of them is ready, so the
# server never waits on one client while another has something for it.
import selectors
import socket

selector = selectors.DefaultSelector()
addresses = {}  # client socket -> its address, for the messages
to_send = {}  # client socket -> bytes it has not taken yet

listen_socket = socket.socket()
listen_socket.bind(('127.0.0.1', 12345))
listen_socket.listen()
listen_socket.setblocking(False)
selector.register(listen_socket, selectors.EVENT_READ)


def send_later(client, data):
    # A non-blocking send may take only part of the bytes; the rest waits here until the
    # selector says the socket has room (EVENT_WRITE).
    to_send[client] += data
    selector.modify(client, selectors.EVENT_READ | selectors.EVENT_WRITE)


def drop(client):
    print('closed', addresses.pop(client))
    del to_send[client]
    selector.unregister(client)
    client.close()


while True:
    for key, events in selector.select():
        sock = key.fileobj
        if sock is listen_socket:
            client, addr = listen_socket.accept()
            print('connected', addr)
            client.setblocking(False)
            addresses[client] = addr
            to_send[client] = b''
            selector.register(client, selectors.EVENT_READ)
            send_later(client, b'Hello from server\n')
            continue
        if events & selectors.EVENT_READ:
            try:
                data = sock.recv(1024)
            except ConnectionError:
                data = b''
            if not data:  # the client closed its end (or broke the connection)
                drop(sock)
                continue
            send_later(sock, data)
        if events & selectors.EVENT_WRITE:
            sent = sock.send(to_send[sock])
            to_send[sock] = to_send[sock][sent:]
            if not to_send[sock]:
                selector.modify(sock, selectors.EVENT_READ)
