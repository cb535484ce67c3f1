"""The `select` module of Socket Lab's browser Python (labruntime installs it as
sys.modules['select']): select.select over lab sockets, so a server can serve several
clients without threads, as the lesson's concurrent servers do.

The lab server waits for readiness (a connection to accept, data, the end of a stream, room to
send); bytes the worker already holds for a socket count as readable at once. Only lab
sockets can be selected on: a socket of this program, or its fileno().
"""
import operator as _operator

import labchannel as _ch
import labsocket as _labsocket

error = OSError

_STANDARD_STREAMS = {0: "sys.stdin", 1: "sys.stdout", 2: "sys.stderr"}


def _fd(obj):
    if isinstance(obj, int):
        fd = obj
    else:
        fileno = getattr(obj, "fileno", None)
        if fileno is None:
            raise TypeError("argument must be an int, or have a fileno() method.")
        fd = _operator.index(fileno())
    if fd < 0:
        raise ValueError(f"file descriptor cannot be a negative integer ({fd})")
    return fd


def _lab_socket(fd):
    sock = _labsocket._by_fd.get(fd)
    if sock is not None and sock._sock is not None:
        return sock._sock
    if fd in _STANDARD_STREAMS:
        raise NotImplementedError(
            f"select() on {_STANDARD_STREAMS[fd]} is not supported in Socket Lab (only on sockets)")
    raise OSError(9, "Bad file descriptor")


def _timeout_ms(timeout):
    if timeout is None:
        return None
    if not isinstance(timeout, (int, float)):
        raise TypeError("timeout must be a float or None")
    if timeout < 0:
        raise ValueError("timeout must be non-negative")
    return _ch.timeout_ms(timeout)


def select(rlist, wlist, xlist, timeout=None, /, *, _wakeable=False):
    """Waits until some of the sockets are ready: (readable, writable, exceptional).
    (_wakeable: an asyncio loop's select, which labchannel.wake_selects() ends.)"""
    wait_ms = _timeout_ms(timeout)
    reading = [(obj, _lab_socket(_fd(obj))) for obj in rlist]
    writing = [(obj, _lab_socket(_fd(obj))) for obj in wlist]
    for obj in xlist:
        _lab_socket(_fd(obj))  # checked like the others; TCP sockets here have no urgent data
    readable, writable = _ch.select(sorted({s for _, s in reading}), sorted({s for _, s in writing}), wait_ms, _wakeable)
    readable, writable = set(readable), set(writable)
    return ([obj for obj, s in reading if s in readable], [obj for obj, s in writing if s in writable], [])


# poll(): the server's tcp_poll bits (shared/socket-readiness.ts): POLLIN, POLLOUT, and
# POLLHUP, POLLERR and POLLRDHUP as Linux sets them; POLLRDNORM and POLLWRNORM come with
# POLLIN and POLLOUT. As on Linux, POLLHUP and POLLERR are reported even when not asked for.
POLLIN, POLLPRI, POLLOUT, POLLERR, POLLHUP, POLLNVAL = 0x001, 0x002, 0x004, 0x008, 0x010, 0x020
POLLRDNORM, POLLRDBAND, POLLWRNORM, POLLWRBAND, POLLMSG, POLLRDHUP = 0x040, 0x080, 0x100, 0x200, 0x400, 0x2000


class poll:
    """A polling object, as select.poll() returns it. (A class, not a function: selectors keeps
    it as a class attribute, where a function would become a method.)"""

    __module__ = "select"

    def __init__(self):
        self._events = {}

    def register(self, fd, eventmask=POLLIN | POLLPRI | POLLOUT, /):
        fd = _fd(fd)
        _lab_socket(fd)
        self._events[fd] = _operator.index(eventmask) & 0xFFFF

    def modify(self, fd, eventmask, /):
        fd = _fd(fd)
        if fd not in self._events:
            raise FileNotFoundError(2, "No such file or directory")
        self._events[fd] = _operator.index(eventmask) & 0xFFFF

    def unregister(self, fd, /):
        fd = _fd(fd)
        if fd not in self._events:
            raise KeyError(fd)
        del self._events[fd]

    def poll(self, timeout=None, /):
        if timeout is not None:
            if not isinstance(timeout, (int, float)):
                raise TypeError("timeout must be an integer or None")
            timeout = None if timeout < 0 else _ch.timeout_ms(timeout / 1000)
        if not self._events and timeout == 0:
            return []  # nothing to ask the server (selectors tries poll(0) when imported)
        socks = {}
        for fd in self._events:
            sock = _labsocket._by_fd.get(fd)
            socks[fd] = sock._sock if sock is not None and sock._sock is not None else None
        closed = [(fd, POLLNVAL) for fd, s in socks.items() if s is None]
        if closed:
            return closed
        read = sorted({socks[fd] for fd, ev in self._events.items() if ev & (POLLIN | POLLPRI | POLLRDNORM | POLLRDHUP)})
        write = sorted({socks[fd] for fd, ev in self._events.items() if ev & (POLLOUT | POLLWRNORM)})
        events = _ch.poll(read, write, sorted(set(socks.values())), timeout)
        ready = []
        for fd, ev in self._events.items():
            got = events.get(socks[fd], 0)
            if got & POLLIN:
                got |= POLLRDNORM
            if got & POLLOUT:
                got |= POLLWRNORM
            got &= ev | POLLHUP | POLLERR
            if got:
                ready.append((fd, got))
        return ready

