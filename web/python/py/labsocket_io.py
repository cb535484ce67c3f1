"""socket.makefile and the raw file under it (socket.SocketIO), as CPython builds them: the
buffered and text layers are the io module's own, reading and writing through the socket's
recv_into and send. Part of Socket Lab's socket module (labsocket)."""
import io as _io


def makefile(sock, mode="r", buffering=None, encoding=None, errors=None, newline=None):
    if not set(mode) <= {"r", "w", "b"}:
        raise ValueError(f"invalid mode {mode!r} (only r, w, b allowed)")
    writing = "w" in mode
    reading = "r" in mode or not writing
    binary = "b" in mode
    raw = SocketIO(sock, ("r" if reading else "") + ("w" if writing else ""))
    sock._io_refs += 1
    if buffering is None or buffering < 0:
        buffering = _io.DEFAULT_BUFFER_SIZE
    if buffering == 0:
        if not binary:
            raise ValueError("unbuffered streams must be binary")
        return raw
    if reading and writing:
        buffer = _io.BufferedRWPair(raw, raw, buffering)
    elif reading:
        buffer = _io.BufferedReader(raw, buffering)
    else:
        buffer = _io.BufferedWriter(raw, buffering)
    if binary:
        return buffer
    text = _io.TextIOWrapper(buffer, _io.text_encoding(encoding), errors, newline)
    text.mode = mode
    return text


class SocketIO(_io.RawIOBase):
    """The raw file under makefile(), as CPython's socket.SocketIO."""

    __module__ = "socket"

    def __init__(self, sock, mode):
        super().__init__()
        self._sock = sock
        self._mode = mode
        self._reading = "r" in mode
        self._writing = "w" in mode

    def readinto(self, b):
        self._checkClosed()
        return self._sock.recv_into(b)

    def write(self, b):
        self._checkClosed()
        return self._sock.send(b)

    def readable(self):
        return self._reading and not self.closed

    def writable(self):
        return self._writing and not self.closed

    def seekable(self):
        return False

    def fileno(self):
        self._checkClosed()
        return self._sock.fileno()

    @property
    def name(self):
        return self.fileno() if not self.closed else -1

    @property
    def mode(self):
        return self._mode

    def close(self):
        if self.closed:
            return
        super().close()
        self._sock._decref_socketios()
        self._sock = None
