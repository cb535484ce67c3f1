# Program 5's greeting to every client, but a client may stay: each line it sends comes
# back to it, until it closes. The main thread only accepts; each client gets a thread of
# its own that may wait in recv() as long as it likes, since the others run meanwhile.
import socket
import threading


def serve(client, addr):
    client.sendall(b'Hello from server\n')
    while True:
        data = client.recv(1024)
        if not data:  # the client closed its end
            break
        client.sendall(data)
    print('closed', addr)
    client.close()


listen_socket = socket.socket()
listen_socket.bind(('127.0.0.1', 12345))
listen_socket.listen()

while True:
    client, addr = listen_socket.accept()
    print('connected', addr)
    # daemon: Ctrl-C in the main thread ends the program even while clients are connected.
    threading.Thread(target=serve, args=(client, addr), daemon=True).start()
