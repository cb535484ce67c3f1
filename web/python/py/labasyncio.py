"""asyncio on the lab's sockets (labruntime installs it): asyncio.run and new_event_loop give
CPython's own selector event loop, waiting in the lab's select, so streams (start_server,
open_connection), create_server/create_connection with protocols and loop.sock_* are
CPython's code, unchanged, over lab sockets. Pyodide's WebLoop (which refuses sockets) is left
as it is for Pyodide's own use.

The loop blocks in select(), which waits on the lab channel (a suspended call with JSPI, a
synchronous request without), so it works both ways.
"""
import asyncio
import asyncio.events as _events
import asyncio.runners as _runners
import asyncio.selector_events as _selector_events
import selectors
import sys

import labchannel
import labselect
import labsocket

# Pyodide's WebLoop: asyncio was imported by Pyodide's bootstrap with it running.
_webloop = None


class LabSelector(selectors.SelectSelector):
    def _select(self, r, w, x, timeout=None):
        return labselect.select(r, w, x, timeout, _wakeable=True)


class LabEventLoop(_selector_events.BaseSelectorEventLoop):
    """CPython's selector loop over the lab's select. Its self-pipe (the lab has no
    socketpair) is the channel's wake-up of the loop's select: call_soon_threadsafe from
    another thread (asyncio.to_thread, run_in_executor) ends the wait at once."""

    def __init__(self):
        super().__init__(LabSelector())

    def _make_self_pipe(self):
        self._ssock = self._csock = None

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        labchannel.wake_selects()

    def _sock_connect_cb(self, fut, sock, address):
        # As CPython's, but the error is made by Linux's number: Pyodide's OSError(111, ...)
        # picks its subclass by Emscripten's numbers, so it would not be ConnectionRefusedError.
        if fut.done():
            return
        try:
            err = sock.getsockopt(labsocket.SOL_SOCKET, labsocket.SO_ERROR)
            if err != 0:
                raise linux_os_error(err, f"Connect call failed {address}")
        except (BlockingIOError, InterruptedError):
            pass  # not connected yet: the loop calls again when the socket is writable
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(None)

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        # Answered at once by the lab's rules: no executor thread needed.
        return labsocket.getaddrinfo(host, port, family, type, proto, flags)


# OSError's subclass for a Linux errno, as CPython on Linux picks it.
_SUBCLASS_BY_ERRNO = {
    11: BlockingIOError, 114: BlockingIOError, 115: BlockingIOError, 4: InterruptedError,
    32: BrokenPipeError, 108: BrokenPipeError, 103: ConnectionAbortedError,
    111: ConnectionRefusedError, 104: ConnectionResetError, 110: TimeoutError,
    13: PermissionError, 1: PermissionError, 3: ProcessLookupError,
}


def linux_os_error(errno, message):
    exc = _SUBCLASS_BY_ERRNO.get(errno, OSError)(errno, message)
    exc._socketlab_linux = True  # labruntime's renumbering leaves it alone
    return exc


def run(main, *, debug=None, loop_factory=None):
    # A program's top level may be entered with Pyodide's WebLoop as the running loop.
    _events._set_running_loop(None)
    return _runners.run(main, debug=debug, loop_factory=loop_factory or LabEventLoop)


def outside_lab_loop(function, *args):
    """Calls function (a channel call that may return a JS promise, or the wait on one) with
    Pyodide's WebLoop as the running loop: Pyodide makes a promise a future of the running
    loop, and a LabEventLoop blocked in this very select would never run it."""
    running = _events._get_running_loop()
    if running is None or running is _webloop or _webloop is None:
        return function(*args)
    _events._set_running_loop(_webloop)
    try:
        return function(*args)
    finally:
        _events._set_running_loop(running)


def install():
    global _webloop
    try:
        _webloop = asyncio.get_event_loop()
    except RuntimeError:
        _webloop = None
    # asyncio's modules were imported before socket and select were the lab's.
    for name, module in list(sys.modules.items()):
        if name.startswith("asyncio.") and getattr(module, "socket", None) is not None:
            module.socket = labsocket
        if name.startswith("asyncio.") and getattr(module, "selectors", None) is not None:
            module.selectors = selectors
    asyncio.run = run
    asyncio.new_event_loop = LabEventLoop
    _events.new_event_loop = LabEventLoop
