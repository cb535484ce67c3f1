"""Runs a student's program the way `python3 FILE` does, or the interactive `>>>` prompt the
way `python3` alone does, and prints what ends them as CPython does: the traceback of an
uncaught exception (without Socket Lab's own frames), SystemExit's code, KeyboardInterrupt.
Each function returns the exit status.
"""
import builtins
import code
import os
import sys
import traceback
import types

import labchannel
from labruntime import SHIM_DIR

# `python` alone, as CPython's basic REPL (tracebacks name the input "<stdin>").
CONSOLE_FILENAME = "<stdin>"
STATUS_INTERRUPTED = 130  # 128 + SIGINT, what a shell shows for a program Ctrl-C ended


def run_file(pid, hostname, path, argv):
    """`python3 path args...`: argv is sys.argv (argv[0] as typed)."""
    labchannel.configure(pid, hostname)
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(path))
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as exc:
        print(f"python: can't open file {path!r}: [Errno {exc.errno}] {exc.strerror}",
              file=sys.stderr)
        return 2
    main = types.ModuleType("__main__")
    main.__file__, main.__cached__, main.__builtins__ = path, None, builtins
    sys.modules["__main__"] = main
    try:
        exec(compile(source, path, "exec"), main.__dict__)
    except BaseException as exc:  # noqa: B036 -- every way a program ends
        return _ended_by(exc, path)
    finally:
        _flush()
    return _at_exit(0)


def run_console(pid, hostname):
    """`python3` alone: the banner, then >>> and ... prompts until exit() or Ctrl-D."""
    labchannel.configure(pid, hostname)
    sys.argv = [""]
    sys.path.insert(0, "")
    sys.ps1, sys.ps2 = ">>> ", "... "
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    console = _Console(main.__dict__, CONSOLE_FILENAME)
    print(f"Python {_version()} on {sys.platform}", file=sys.stderr)
    print('Type "help", "copyright", "credits" or "license" for more information.', file=sys.stderr)
    more = False
    while True:
        try:
            try:
                line = builtins.input(sys.ps2 if more else sys.ps1)
            except EOFError:
                print()
                return _at_exit(0)
            more = console.push(line)
        except KeyboardInterrupt:
            console.resetbuffer()
            more = False
            print("KeyboardInterrupt", file=sys.stderr)
        except SystemExit as exc:
            return _at_exit(_exit_status(exc))
        finally:
            _flush()


def _version():
    """sys.version as CPython's banner shows it; Pyodide's compiler part is cut short (it runs
    out of room in the middle of a URL), so only the compiler's name and version are kept."""
    import platform

    compiler = platform.python_compiler().split(" (")[0]
    return f"{sys.version.split(' [')[0]} [{compiler}]"


class _Console(code.InteractiveConsole):
    def showtraceback(self):
        _print_exception(sys.exception(), CONSOLE_FILENAME)

    def showsyntaxerror(self, filename=None, **kwargs):
        exc = sys.exception()
        sys.stderr.write("".join(traceback.format_exception_only(exc)))


def _ended_by(exc, path):
    if isinstance(exc, SystemExit):
        return _at_exit(_exit_status(exc))
    _flush()
    _print_exception(exc, path)
    return _at_exit(STATUS_INTERRUPTED if isinstance(exc, KeyboardInterrupt) else 1)


def _exit_status(exc):
    """What CPython does with SystemExit's code: None is 0, an int is the status, anything
    else is printed and the status is 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    print(exc.code, file=sys.stderr)
    return 1


def _at_exit(status):
    """As the interpreter ends: the program's non-daemon threads are waited for, atexit's
    functions run, then the streams are flushed."""
    import atexit

    _wait_for_threads()
    try:
        atexit._run_exitfuncs()
    except BaseException:  # noqa: B036 -- CPython prints those and exits anyway
        pass
    _flush()
    return status


class _Unraisable:
    def __init__(self, exc, err_msg):
        self.exc_type, self.exc_value, self.exc_traceback = type(exc), exc, exc.__traceback__
        self.err_msg, self.object = err_msg, None


def _wait_for_threads():
    """threading._shutdown(), as Py_Finalize calls it, where threads can run (labthread)."""
    if getattr(sys.modules.get("_thread"), "__name__", None) != "labthread":
        return
    threading = sys.modules.get("threading")
    if threading is None:
        return
    try:
        threading._shutdown()
    except BaseException as exc:  # noqa: B036 -- Ctrl-C while waiting: CPython reports it so
        sys.unraisablehook(_Unraisable(exc, "Exception ignored on threading shutdown"))


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 -- a closed stream has nothing to flush
            pass


def _print_exception(exc, first_file):
    _trim(exc, first_file, set())
    traceback.print_exception(exc, file=sys.stderr)
    _flush()


def _trim(exc, first_file, seen):
    """Frames before the program's first (ours, that ran it) and after its last into our own
    files (CPython's socket calls are C code, with no frame) are left out. An error with no
    frame of the program at all (a SyntaxError in the file itself) gets no traceback, as
    CPython prints none for it."""
    if exc is None or id(exc) in seen:
        return
    seen.add(id(exc))
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != first_file:
        tb = tb.tb_next
    head, last = tb, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(SHIM_DIR + os.sep):
            if last is not None:
                last.tb_next = None
            break
        last, tb = tb, tb.tb_next
    exc.__traceback__ = head
    _trim(exc.__cause__, first_file, seen)
    _trim(exc.__context__, first_file, seen)
