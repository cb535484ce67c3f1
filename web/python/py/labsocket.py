"""The `socket` module of Socket Lab's browser Python (labruntime installs it as
sys.modules['socket']).

Every call goes to the lab server through the worker's channel (labchannel), where the one
socket implementation decides results and errors, so a program behaves here as it does under
CPython on Linux: accept, recv and connect block; recv(n) returns at most n bytes and b'' at
the end of the stream; errors have CPython's classes, errno values and messages. IPv4 TCP
only: anything else raises NotImplementedError naming what is not supported.
"""
import operator as _operator

import labchannel as _ch
from labchannel import gaierror, herror
from labsocket_io import SocketIO
from labsocket_io import makefile as _makefile
from labsocket_names import *  # noqa: F403 (constants and name functions of the socket module)
from labsocket_names import AddressFamily, SocketKind

error = OSError
timeout = TimeoutError  # since Python 3.10

_GLOBAL_DEFAULT_TIMEOUT = object()
_default_timeout = None
# Open sockets by file descriptor, for select() given plain numbers.
_by_fd = {}


def _unsupported(what):
    return NotImplementedError(f"{what} is not supported in Socket Lab (only IPv4 TCP sockets are)")


def _port(value, call):
    port = _operator.index(value)
    # The server range-checks ports; one too big for JSON's integers is refused here.
    if not -(2**53) < port < 2**53:
        raise OverflowError(f"{call}(): port must be 0-65535.")
    return port


def _address(address, call):
    """(host, port) checked as CPython checks an AF_INET address."""
    if not isinstance(address, tuple):
        raise TypeError(f"{call}(): AF_INET address must be tuple, not {type(address).__name__}")
    if len(address) != 2:
        raise TypeError("AF_INET address must be a pair (host, port)")
    host, port = address
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("idna")
    elif not isinstance(host, str):
        raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")
    port = _port(port, call)
    if len(host) > 255:
        raise gaierror(-2, "Name or service not known")
    return host, port


def _seconds(value):
    if value is None:
        return None
    if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        _operator.index(value)  # raises CPython's TypeError for a str
    value = float(value)
    if value < 0:
        raise ValueError("Timeout value out of range")
    return value


def _data(data):
    if not isinstance(data, str):
        try:
            return memoryview(data).cast("B")
        except TypeError:
            pass
    raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'")


class socket:
    """A TCP socket whose calls the lab server carries out."""

    __module__ = "socket"

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        self._sock = None
        self._fd = -1
        self._closed = False
        self._io_refs = 0
        family = AF_INET if family == -1 else family
        type = SOCK_STREAM if type == -1 else type
        proto = 0 if proto == -1 else proto
        if fileno is not None:
            raise _unsupported("socket.socket(fileno=...)")
        if family != AF_INET:
            raise _unsupported(f"socket family {_name(AddressFamily, family)}")
        if type != SOCK_STREAM:
            raise _unsupported(f"socket type {_name(SocketKind, type)}")
        if proto not in (0, IPPROTO_TCP):
            raise _unsupported(f"protocol {proto}")
        self._family, self._type, self._proto = AF_INET, SOCK_STREAM, proto
        self._timeout = _default_timeout
        self._options = {}
        made = _ch.call("socket", pid=_ch.PID)
        self._adopt(made["sock"], made["fd"])

    def _adopt(self, sock, fd):
        self._sock, self._fd = sock, fd
        _by_fd[fd] = self

    @property
    def family(self):
        return self._family

    @property
    def type(self):
        return self._type

    @property
    def proto(self):
        return self._proto

    def __repr__(self):
        closed = self._closed
        text = (f"<socket.socket{' [closed]' if closed else ''} fd={self.fileno()}, "
                f"family={self._family}, type={self._type}, proto={self._proto}")
        if not closed:
            for label, get in (("laddr", self.getsockname), ("raddr", self.getpeername)):
                try:
                    text += f", {label}={get()}"
                except OSError:
                    pass
        return text + ">"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if not self._closed:
            self.close()

    def __getstate__(self):
        raise TypeError(f"cannot pickle {self.__class__.__name__!r} object")

    def _id(self):
        if self._sock is None:
            raise OSError(9, "Bad file descriptor")
        return self._sock

    def _timeout_ms(self):
        return _ch.timeout_ms(self._timeout)

    # ---- addresses and connections ----
    def bind(self, address):
        host, port = _address(address, "bind")
        _ch.call("bind", sock=self._id(), host=host, port=port)

    def listen(self, backlog=None):
        backlog = min(SOMAXCONN, 128) if backlog is None else max(0, _operator.index(backlog))
        _ch.call("listen", sock=self._id(), backlog=min(backlog, 2**31 - 1))

    def accept(self):
        got = _ch.call("accept", sock=self._id(), timeoutMs=self._timeout_ms())
        conn = socket.__new__(socket)
        conn._closed, conn._io_refs, conn._options = False, 0, {}
        conn._family, conn._type, conn._proto = self._family, self._type, self._proto
        conn._timeout = _default_timeout
        conn._adopt(got["sock"], got["fd"])
        return conn, tuple(got["addr"])

    def connect(self, address):
        host, port = _address(address, "connect")
        _ch.call("connect", sock=self._id(), host=host, port=port, timeoutMs=self._timeout_ms())

    def connect_ex(self, address):
        host, port = _address(address, "connect_ex")
        try:
            _ch.call("connect", sock=self._id(), host=host, port=port, timeoutMs=self._timeout_ms())
        except OverflowError:
            raise OverflowError("connect_ex(): port must be 0-65535.") from None  # the server says connect()
        except gaierror:
            raise
        except OSError as exc:
            return exc.errno if exc.errno is not None else 11  # a timeout: EWOULDBLOCK, as CPython
        return 0

    def getsockname(self):
        return tuple(_ch.call("getsockname", sock=self._id()))

    def getpeername(self):
        return tuple(_ch.call("getpeername", sock=self._id()))

    def shutdown(self, how):
        _ch.call("shutdown", sock=self._id(), how=_operator.index(how))

    # ---- data ----
    def send(self, data, flags=0):
        view = _data(data)
        if flags:
            raise _unsupported(f"send() flags ({flags})")
        chunk = view[: _ch.SEND_CHUNK_BYTES]
        return _ch.send(self._id(), bytes(chunk), self._timeout_ms())

    def sendall(self, data, flags=0):
        view = _data(data)
        if flags:
            raise _unsupported(f"sendall() flags ({flags})")
        sent = 0
        while True:
            sent += self.send(view[sent:])
            if sent >= len(view):
                return None

    def recv(self, bufsize, flags=0):
        bufsize = _operator.index(bufsize)
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        if flags:
            raise _unsupported(f"recv() flags ({flags})")
        sock = self._id()
        if bufsize == 0:
            return b""
        return _ch.recv(sock, bufsize, self._timeout_ms())

    def recv_into(self, buffer, nbytes=0, flags=0):
        view = memoryview(buffer).cast("B")
        nbytes = _operator.index(nbytes)
        if nbytes < 0:
            raise ValueError("negative buffersize in recv_into")
        if nbytes > len(view):
            raise ValueError("buffer too small for requested bytes")
        data = self.recv(nbytes or len(view), flags)
        view[: len(data)] = data
        return len(data)

    # ---- options and timeouts ----
    def settimeout(self, value):
        self._timeout = _seconds(value)

    def gettimeout(self):
        return self._timeout

    def setblocking(self, flag):
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0.0

    def setsockopt(self, level, optname, value, optlen=None):
        if value is None or not isinstance(value, int):
            value = int.from_bytes(bytes(value)[:4], "little") if value is not None else 0
        value = int(value)  # True (asyncio sets SO_REUSEADDR so) travels as 1
        self._options[(level, optname)] = value
        _ch.call("setsockopt", sock=self._id(), level=_operator.index(level),
                 name=_operator.index(optname), value=max(-(2**53) + 1, min(value, 2**53 - 1)))

    def getsockopt(self, level, optname, buflen=None):
        sock = self._id()
        if (level, optname) in ((SOL_SOCKET, SO_REUSEADDR), (IPPROTO_TCP, TCP_NODELAY), (SOL_SOCKET, SO_ERROR)):
            # Kept on the server: the wire view's Nagle switch may have changed one; SO_ERROR
            # is a non-blocking connect's outcome, which the server knows.
            return _ch.call("getsockopt", sock=sock, level=level, name=optname)
        if (level, optname) == (SOL_SOCKET, SO_TYPE):
            return SOCK_STREAM
        return self._options.get((level, optname), 0)

    # ---- the end ----
    def fileno(self):
        return -1 if self._sock is None else self._fd

    def close(self):
        self._closed = True
        if self._io_refs <= 0:
            self._real_close()

    def _real_close(self):
        sock, self._sock = self._sock, None
        if sock is None:
            return
        _by_fd.pop(self._fd, None)
        self._fd = -1
        _ch.forget(sock)
        _ch.call("close", sock=sock)

    def _decref_socketios(self):
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed:
            self.close()

    def __del__(self):
        # CPython closes a socket nobody refers to any more; its peer then reads the end.
        try:
            self._real_close()
        except BaseException:
            pass

    def makefile(self, mode="r", buffering=None, *, encoding=None, errors=None, newline=None):
        """A file object over the socket, as CPython's socket.makefile builds it."""
        return _makefile(self, mode, buffering, encoding, errors, newline)


def _name(enum, value):
    try:
        return enum(value).name
    except ValueError:
        return str(value)


def getdefaulttimeout():
    return _default_timeout


def setdefaulttimeout(value):
    global _default_timeout
    _default_timeout = _seconds(value)


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None, *, all_errors=False):
    host, port = address
    sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)  # as getaddrinfo gives it to CPython's
    try:
        if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
            sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect((host, port))
        return sock
    except BaseException:
        sock.close()
        raise


def has_dualstack_ipv6():
    return False


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False):
    if reuse_port:
        raise _unsupported("create_server(reuse_port=True)")
    if dualstack_ipv6:
        raise ValueError("dualstack_ipv6 not supported on this platform")
    sock = socket(family, SOCK_STREAM)
    try:
        sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)  # as CPython does on POSIX
        sock.bind(address)
        sock.listen(backlog)
        return sock
    except BaseException:
        sock.close()
        raise


def _not_here(name):
    def function(*args, **kwargs):
        raise _unsupported(f"socket.{name}()")
    function.__name__ = name
    return function


# What a socket lesson might reach for that Socket Lab does not carry out: a clear error, not
# an AttributeError.
for _name_ in ("sendto", "recvfrom", "recvfrom_into", "sendmsg", "recvmsg", "sendfile", "dup", "detach"):
    setattr(socket, _name_, _not_here(_name_))
for _name_ in ("socketpair", "fromfd", "getservbyname", "getservbyport", "gethostbyaddr", "getnameinfo",
               "if_nameindex", "sethostname"):
    globals()[_name_] = _not_here(_name_)
del _name_
