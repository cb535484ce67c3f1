"""Makes Pyodide's Python look like CPython on Linux for a socket lesson, once per worker:
Linux's errno numbers and messages, Socket Lab's socket and select modules, input() that
reads a line typed in the console (sys.stdin too), and a time.sleep that Ctrl-C interrupts.
"""
import builtins
import io
import os
import sys
import time
import types

import labchannel
import linux_errno

# Our own files: labmain leaves their frames out of tracebacks (CPython's socket calls are C
# code, with no Python frame of their own).
SHIM_DIR = os.path.dirname(__file__)

# Standard modules that compare errno values of real OS errors (Emscripten's numbers) at run
# time: imported before errno is replaced, so they keep the module they need.
_KEEP_EMSCRIPTEN_ERRNO = ("os", "io", "shutil", "tempfile", "pathlib", "glob", "zipfile", "gzip",
                          "importlib.util", "subprocess", "gettext", "linecache", "tokenize")

_MONITORING_TOOL_ID = 4  # sys.monitoring ids 0-5 are free for tools; 4 is nobody's by convention


def install():
    for name in _KEEP_EMSCRIPTEN_ERRNO:
        try:
            __import__(name)
        except ImportError:
            pass
    emscripten_errno = sys.modules["errno"]
    _install_linux_errno()
    _renumber_os_errors(emscripten_errno)

    import labselect
    import labsocket

    labsocket.__name__, labselect.__name__ = "socket", "select"
    sys.modules["socket"] = labsocket
    sys.modules["select"] = labselect
    # Pyodide imported selectors (for asyncio) before us, bound to its own select module, whose
    # poll() sees no lab socket: a program's `import selectors` gets one made over ours.
    sys.modules.pop("selectors", None)
    import labasyncio

    labasyncio.install()
    labchannel.set_guard(labasyncio.outside_lab_loop)
    time.sleep = sleep
    builtins.input = input
    sys.stdin = sys.__stdin__ = console_stdin()


def _install_linux_errno():
    module = types.ModuleType("errno", "Linux's errno values (Socket Lab).")
    for name, number in linux_errno.NUMBERS.items():
        setattr(module, name, number)
    module.errorcode = dict(linux_errno.errorcode)
    sys.modules["errno"] = module
    os.strerror = linux_errno.strerror


def _renumber_os_errors(emscripten_errno):
    """OSErrors from the OS layer (open() of a missing file...) carry Emscripten's numbers
    (ENOENT is 44): renumber them to Linux's as they are raised. Only those whose message is
    the C library's own, so an OSError(2, '...') a program builds itself is left alone."""
    names = {v: k for k, v in vars(emscripten_errno).items() if k.startswith("E") and isinstance(v, int)}
    for name in ("EAGAIN", "EDEADLK", "EOPNOTSUPP"):  # CPython's names for shared numbers
        if hasattr(emscripten_errno, name):
            names[getattr(emscripten_errno, name)] = name
    c_messages = {number: _c_strerror(number) for number in names}

    def renumber(code, offset, exc):
        if not isinstance(exc, OSError) or getattr(exc, "_socketlab_linux", False):
            return
        number = exc.errno
        if number in names and exc.strerror == c_messages[number]:
            linux = linux_errno.NUMBERS.get(names[number])
            if linux is not None:
                exc.errno = linux
                exc.strerror = linux_errno.strerror(linux)
                exc.args = (linux, exc.strerror) + exc.args[2:]
        try:
            exc._socketlab_linux = True
        except AttributeError:
            pass

    monitoring = sys.monitoring
    monitoring.use_tool_id(_MONITORING_TOOL_ID, "socketlab-errno")
    monitoring.register_callback(_MONITORING_TOOL_ID, monitoring.events.RAISE, renumber)
    monitoring.set_events(_MONITORING_TOOL_ID, monitoring.events.RAISE)


_c_strerror = os.strerror


def sleep(seconds):
    """time.sleep: the lab server waits, so Ctrl-C raises KeyboardInterrupt at once."""
    if not isinstance(seconds, (int, float)):
        import operator

        operator.index(seconds)  # CPython's TypeError for a str
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if seconds > 0:
        labchannel.sleep(labchannel.timeout_ms(seconds))


def input(prompt=""):
    """builtins.input: the prompt, then the next line typed in the console."""
    sys.stderr.flush()
    if prompt != "":
        sys.stdout.write(str(prompt))
    sys.stdout.flush()
    line = labchannel.read_line()
    if line is None:
        raise EOFError("EOF when reading a line")
    return line


class _ConsoleInput(io.RawIOBase):
    """File descriptor 0 as sys.stdin reads it: each read waits for the next line typed in the
    console through the channel, as input() does. (Pyodide's own stdin reads with a synchronous
    request from inside its file layer, where Python cannot wait on a promise: a thread reading
    sys.stdin would hold up every other thread of the program.)"""

    def __init__(self):
        super().__init__()
        self._rest = b""

    def readable(self):
        return True

    def isatty(self):
        return True

    def fileno(self):
        return 0

    def readinto(self, buffer):
        if not self._rest:
            line = labchannel.read_line()
            if line is None:
                return 0  # end of input (Ctrl-D)
            self._rest = (line + "\n").encode()
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def console_stdin():
    """sys.stdin as CPython makes it for a terminal: text over a buffered reader, line by line."""
    raw = _ConsoleInput()
    reader = io.BufferedReader(raw)
    stdin = io.TextIOWrapper(reader, encoding="utf-8", errors="strict", line_buffering=True)
    stdin.mode = "r"
    raw.name = "<stdin>"
    return stdin
