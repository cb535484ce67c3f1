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


def select(rlist, wlist, xlist, timeout=None, /):
    """Waits until some of the sockets are ready: (readable, writable, exceptional)."""
    wait_ms = _timeout_ms(timeout)
    reading = [(obj, _lab_socket(_fd(obj))) for obj in rlist]
    writing = [(obj, _lab_socket(_fd(obj))) for obj in wlist]
    for obj in xlist:
        _lab_socket(_fd(obj))  # checked like the others; TCP sockets here have no urgent data
    readable, writable = _ch.select(sorted({s for _, s in reading}), sorted({s for _, s in writing}), wait_ms)
    readable, writable = set(readable), set(writable)
    return ([obj for obj, s in reading if s in readable], [obj for obj, s in writing if s in writable], [])
