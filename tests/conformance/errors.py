# Socket errors a student meets, one line each: the exception's class, errno and message.
import socket


def attempt(label, action):
    try:
        result = action()
        print(label, 'ok', result)
    except Exception as e:  # noqa: BLE001 - the point is to show any error
        print(label, type(e).__name__, e)


s = socket.socket()
attempt('bind overflow', lambda: s.bind(('127.0.0.1', 70000)))
attempt('bind negative', lambda: s.bind(('127.0.0.1', -1)))
attempt('connect overflow', lambda: socket.socket().connect(('127.0.0.1', 65536)))
attempt('bind name', lambda: socket.socket().bind(('no-such-host.invalid', 5000)))
attempt('recv unconnected', lambda: socket.socket().recv(10))
attempt('send unconnected', lambda: socket.socket().send(b'x'))
attempt('sendall unconnected', lambda: socket.socket().sendall(b'x'))
attempt('accept unlistening', lambda: socket.socket().accept())
attempt('getpeername unconnected', lambda: socket.socket().getpeername())
attempt('shutdown unconnected', lambda: socket.socket().shutdown(socket.SHUT_WR))
attempt('recv negative', lambda: socket.socket().recv(-1))
closed = socket.socket()
closed.close()
attempt('recv closed', lambda: closed.recv(1))
attempt('close twice', lambda: closed.close())
attempt('connect refused', lambda: socket.socket().connect(('127.0.0.1', 23999)))
attempt('connect_ex refused', lambda: socket.socket().connect_ex(('127.0.0.1', 23999)))
first = socket.socket()
first.bind(('127.0.0.1', 23456))
first.listen()
attempt('bind in use', lambda: socket.socket().bind(('127.0.0.1', 23456)))
attempt('bind twice', lambda: first.bind(('127.0.0.1', 23457)))
first.settimeout(0.05)
attempt('accept timeout', lambda: first.accept())
first.setblocking(False)
attempt('accept nonblocking', lambda: first.accept())
print('timeout is', first.gettimeout())
first.close()
print('timeout class', socket.timeout is TimeoutError, 'error class', socket.error is OSError)
