"""The Python half of the worker's channel to the lab server, shared by Socket Lab's socket,
select, input() and time.sleep replacements.

The JavaScript half (web/python/sync-transport.ts, reached as the `socketlab_channel` module
the worker registers) makes the requests and waits out the server's `again` answers. Where
the browser has JSPI, a call that needs the server answers "pending" with a promise, and the
program waits on it here (run_sync); elsewhere the call itself blocks (a synchronous
XMLHttpRequest). Here its outcomes become Python: a value, or the exception the server
decided on (class, errno and message exactly as CPython on Linux raises them), or
KeyboardInterrupt.
"""
import json
import math

import socketlab_channel as _js_module
from pyodide.ffi import can_run_sync as _can_suspend
from pyodide.ffi import run_sync as _run_sync
from pyodide.ffi import to_js as _to_js

# Set by configure() when a program starts (labmain).
PID = 0
HOSTNAME = "localhost"

# Timeouts travel in whole milliseconds, at most what the server takes.
_MAX_TIMEOUT_MS = 2**31 - 1


class gaierror(OSError):
    """socket.gaierror: a name that does not resolve (defined here, shown as socket.gaierror)."""

    __module__ = "socket"


class herror(OSError):
    __module__ = "socket"


_ERROR_CLASSES = {
    "OSError": OSError,
    "BlockingIOError": BlockingIOError,
    "BrokenPipeError": BrokenPipeError,
    "ConnectionAbortedError": ConnectionAbortedError,
    "ConnectionRefusedError": ConnectionRefusedError,
    "ConnectionResetError": ConnectionResetError,
    "PermissionError": PermissionError,
    "TimeoutError": TimeoutError,
    "ProcessLookupError": ProcessLookupError,
    "OverflowError": OverflowError,
    "ValueError": ValueError,
    "TypeError": TypeError,
    "socket.gaierror": gaierror,
    "socket.herror": herror,
}


def configure(pid, hostname):
    global PID, HOSTNAME
    PID = pid
    HOSTNAME = hostname


def error_from(info):
    """The exception for the server's {type, errno?, msg}: OSError(errno, msg) prints as
    `[Errno 111] Connection refused`, TimeoutError('timed out') as `timed out`."""
    cls = _ERROR_CLASSES.get(info.get("type"), OSError)
    if info.get("errno") is not None:
        exc = cls(info["errno"], info["msg"])
    else:
        exc = cls(info["msg"])
    # Already a Linux number: labruntime's renumbering of Emscripten errors leaves it alone.
    exc._socketlab_linux = True
    return exc


def _direct(function, *args):
    return function(*args)


# How a channel call is made and its promise waited on: directly, or (labasyncio.install)
# with Pyodide's WebLoop as the running loop while an asyncio loop of the lab's is running.
_guard = _direct


def set_guard(guard):
    global _guard
    _guard = guard


def guarded(function, *args):
    """function(*args) through the guard (labthread's waits on its locks' promises)."""
    return _guard(function, *args)


class _GuardedCalls:
    """The JavaScript half's functions, each called through the guard."""

    def __getattr__(self, name):
        value = getattr(_js_module, name)
        if not callable(value):
            return value
        return lambda *args: _guard(value, *args)


_js = _GuardedCalls()


# How a call waits on a promise: run_sync, or with threads (labthread.install) the wait that
# lets the program's other threads run meanwhile and keeps get_ident() right.
_wait = _run_sync


def set_waiter(wait):
    global _wait
    _wait = wait


def _settled(outcome):
    """The outcome itself; for "pending", the one its promise resolves to."""
    if outcome.kind == "pending":
        return _guard(_wait, outcome.promise)
    return outcome


def _value(outcome):
    outcome = _settled(outcome)
    kind = outcome.kind
    if kind == "ok":
        return json.loads(outcome.json)
    if kind == "interrupted":
        raise KeyboardInterrupt
    if kind == "err":
        raise error_from(json.loads(outcome.json))
    if kind == "gone":
        # The program was ended on the server (kill, console closed): end quietly.
        raise SystemExit(143)
    raise ConnectionAbortedError(103, f"Software caused connection abort ({outcome.json})")


def timeout_ms(seconds):
    """A socket timeout in seconds (None: block) as the channel's milliseconds."""
    if seconds is None:
        return None
    if seconds <= 0:
        return 0
    return min(_MAX_TIMEOUT_MS, max(1, math.ceil(seconds * 1000)))


def call(op, **fields):
    """A socket call (bind, accept, connect...): its result, or the exception it raises."""
    fields["op"] = op
    return _value(_js.call(json.dumps(fields), _can_suspend()))


def recv(sock, max_bytes, timeout):
    """At most max_bytes received on sock; b'' at the end of the stream."""
    outcome = _settled(_js.recv(sock, max_bytes, timeout, _can_suspend()))
    if _value(outcome) == "eof":
        return b""
    return outcome.payload.to_bytes()


def buffered(sock):
    """Bytes received on sock that the worker holds (select counts them as readable)."""
    return _js.buffered(sock)


def forget(sock):
    _js.forget(sock)


def send(sock, data, timeout):
    """Writes data (at most SEND_CHUNK_BYTES) once the server's socket has taken it; returns
    how many bytes went: all of them, or with timeout 0 what fit in the send window (none
    fitting raises BlockingIOError, as Linux's non-blocking send)."""
    sent = _value(_js.send(sock, _to_js(data), timeout, _can_suspend()))
    return len(data) if sent is None else sent


SEND_CHUNK_BYTES = _js.sendChunkBytes


def select(read, write, timeout, wakeable=False):
    """The sockets of read and write that are ready, as two lists. A wakeable select also
    ends, with nothing ready, when wake_selects() is called (an asyncio loop's self-pipe)."""
    ready = _value(_js.select(json.dumps(read), json.dumps(write), timeout, _can_suspend(), None, wakeable))
    return ready["read"], ready["write"]


def poll(read, write, watch, timeout):
    """select.poll's wait: as select, and a hang-up or error of a socket of watch ends it
    too. Returns {sock: Linux poll bits} for the sockets of read, write and watch (empty
    after the timeout)."""
    ready = _value(_js.select(json.dumps(read), json.dumps(write), timeout, _can_suspend(), json.dumps(watch)))
    return {sock: bits for sock, bits in ready.get("events", [])}


def wake_selects():
    _js.wakeSelects()


def sleep(ms):
    _value(_js.sleep(ms, _can_suspend()))


def read_line():
    """The next line typed in the console, without its newline; None at end of input."""
    return _value(_js.readLine(_can_suspend()))
