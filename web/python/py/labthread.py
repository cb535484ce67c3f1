"""Python's `_thread` for a program that can wait on a promise (JSPI): each thread is a Python
stack of its own (a promising call, PyProxy.callPromising), and they take turns. A thread runs
until it waits (a socket call, sleep, input, a lock, join, a queue: each is wait() below, a
run_sync on a promise), and a busy thread is asked to let the others run after a switch
interval, at a safe point (a loop's back jump or a function's start), as CPython's switch
interval does. The JavaScript half (web/python/thread-host.ts, the `socketlab_threads`
module) keeps the locks' state, which thread runs, and the time slice.

install() puts it in place of Pyodide's `_thread` (which cannot start a thread) and imports
`threading` again on top of it; refuse() leaves Pyodide's and makes starting a thread say
why it cannot (the synchronous-request channel: no stack switching).
"""
import opcode
import signal
import sys

import _thread as _pyodide_thread
import labchannel
import socketlab_threads as _host
from pyodide.ffi import create_proxy
from pyodide.ffi import run_sync as _pyodide_run_sync

error = RuntimeError
TIMEOUT_MAX = (2**31 - 1) / 1000  # setTimeout's longest delay, in seconds
_excepthook = _pyodide_thread._excepthook
_ExceptHookArgs = _pyodide_thread._ExceptHookArgs
interrupt_main = _pyodide_thread.interrupt_main

_MAIN = 1  # the program's main thread (thread-host.ts MAIN_THREAD)
_current = _MAIN  # the thread whose Python runs now
_next_ident = _MAIN + 1
_alive = 1
_non_daemon = set()  # handles of running non-daemon threads, for _shutdown

# True while one of our stacks runs. Python that JavaScript runs between them (Pyodide's event
# loop callbacks) has no stack of its own to suspend, though can_run_sync() says it could:
# switching there is Pyodide's "SystemError: Cannot stack switch".
_in_stack = True
# > 0: inside a few bytecodes that must not be cut by a switch (threading.local's dict swap).
_atomic = 0


def wait(awaitable):
    """pyodide.ffi.run_sync for every blocking call of the program: this thread waits on the
    promise while the others run, and get_ident() is this thread's again when it resumes."""
    global _current, _in_stack
    me = _current
    _in_stack = False
    try:
        return _pyodide_run_sync(awaitable)
    finally:
        _current = me
        _in_stack = True
        _host.resumed(me)


def wait_on(make_promise, *args):
    """wait() on the promise that make_promise(*args), a call of thread-host.ts, returns. Both
    through the channel's guard: while a lab asyncio loop is the running loop, Pyodide makes
    a promise that JavaScript returns a future of that loop, which would never run it."""
    return labchannel.guarded(lambda: wait(make_promise(*args)))


def get_ident():
    return _current


get_native_id = get_ident


def _get_main_thread_ident():
    return _MAIN


def _is_main_interpreter():
    return True


def daemon_threads_allowed():
    return True


def stack_size(size=0):
    if size != 0 and size < 32768:
        raise ValueError("size not valid: %d bytes" % size)
    return 0


def set_name(name):
    pass


def _count():
    return _alive - 1


def _ms(timeout):
    if timeout > TIMEOUT_MAX:
        raise OverflowError("timeout value is too large")
    return max(0, round(timeout * 1000))


class LockType:
    """_thread.lock: its state and waiters in JavaScript, so an acquire is one JS call."""

    __slots__ = ("_js", "__weakref__")

    def __init__(self):
        self._js = _host.newLock()

    def acquire(self, blocking=True, timeout=-1):
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        js = self._js
        if js.tryAcquire():
            return True
        if not blocking:
            return False
        if timeout == -1:
            while True:
                if wait_on(js.wait, -1) == "interrupted":
                    raise KeyboardInterrupt
                if js.tryAcquire():
                    return True
        ms = _ms(timeout)
        deadline = _host_now() + ms
        while True:
            ended = wait_on(js.wait, ms)
            if ended == "interrupted":
                raise KeyboardInterrupt
            if js.tryAcquire():
                return True
            ms = deadline - _host_now()
            if ended == "timeout" or ms <= 0:
                return False

    def release(self):
        if not self._js.release():
            raise RuntimeError("release unlocked lock")

    def locked(self):
        return bool(self._js.locked)

    def _at_fork_reinit(self):
        self._js = _host.newLock()

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        state = "locked" if self.locked() else "unlocked"
        return f"<{state} _thread.lock object at {id(self):#x}>"


lock = LockType


def _host_now():
    import time

    return time.monotonic() * 1000


def allocate_lock():
    return LockType()


allocate = allocate_lock


class _ThreadHandle:
    """A thread's handle: join() waits until it is done."""

    def __init__(self):
        self.ident = None
        self._done = LockType()
        self._done.acquire()  # released once the thread is done

    def is_done(self):
        return not self._done.locked()

    def _set_done(self):
        if not self.is_done():
            self._done.release()

    def join(self, timeout=None):
        if self.ident == get_ident() and not self.is_done():
            raise RuntimeError("Cannot join current thread")
        if self._done.acquire(timeout=-1 if timeout is None or timeout < 0 else timeout):
            self._done.release()

    def __repr__(self):
        return f"<_thread._ThreadHandle object: ident={self.ident}>"


def _make_thread_handle(ident):
    handle = _ThreadHandle()
    handle.ident = ident
    return handle


def start_joinable_thread(function, handle=None, daemon=True):
    global _next_ident, _alive
    if handle is None:
        handle = _ThreadHandle()
    elif handle.ident is not None:
        raise RuntimeError("thread already started")
    handle.ident = ident = _next_ident
    _next_ident += 1
    _alive += 1
    if not daemon:
        _non_daemon.add(handle)

    def run():
        global _current, _alive, _in_stack
        _current = ident
        _in_stack = True
        _host.resumed(ident)
        try:
            function()
        except SystemExit:
            pass
        except BaseException as exc:  # noqa: B036 -- as CPython, for what nobody caught
            sys.unraisablehook(_Unraisable(exc, function))
        finally:
            _alive -= 1
            _non_daemon.discard(handle)
            handle._set_done()
            _in_stack = False

    _host.start(create_proxy(run))
    return handle


class _Unraisable:
    def __init__(self, exc, obj):
        self.exc_type, self.exc_value, self.exc_traceback = type(exc), exc, exc.__traceback__
        self.err_msg = "Exception ignored in thread started by"
        self.object = obj


def start_new_thread(function, args, kwargs=None, /):
    if not isinstance(args, tuple):
        raise TypeError("2nd arg must be a tuple")
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError("optional 3rd arg must be a dictionary")
    return start_joinable_thread(lambda: function(*args, **(kwargs or {}))).ident


start_new = start_new_thread


def exit():
    raise SystemExit


exit_thread = exit


def _shutdown():
    """Waits for every non-daemon thread (threading._shutdown calls it as the program ends)."""
    while _non_daemon:
        next(iter(_non_daemon)).join()


class _local:
    """threading.local: one __dict__ per thread. (3.14's _threading_local cannot be
    threading's fallback: it imports threading while threading imports it.) The instance's
    __dict__ is swapped for the current thread's around each attribute access, as
    _threading_local does, where no switch can come between."""

    __slots__ = ("_local__dicts", "_local__args", "__dict__", "__weakref__")

    def __new__(cls, /, *args, **kw):
        if (args or kw) and (cls.__init__ is object.__init__):
            raise TypeError("Initialization arguments are not supported")
        self = object.__new__(cls)
        object.__setattr__(self, "_local__dicts", {})
        object.__setattr__(self, "_local__args", (args, kw))
        object.__setattr__(self, "__dict__", {})
        self._local__dicts[get_ident()] = object.__getattribute__(self, "__dict__")
        return self


def _local_dict(self):
    dicts = object.__getattribute__(self, "_local__dicts")
    ident = get_ident()
    d = dicts.get(ident)
    if d is None:
        d = dicts[ident] = {}
        object.__setattr__(self, "__dict__", d)
        args, kw = object.__getattribute__(self, "_local__args")
        type(self).__init__(self, *args, **kw)
    else:
        object.__setattr__(self, "__dict__", d)


def _local_op(op):
    def method(self, *args):
        global _atomic
        _atomic += 1
        try:
            _local_dict(self)
            return op(self, *args)
        finally:
            _atomic -= 1

    return method


_local.__getattribute__ = _local_op(object.__getattribute__)
_local.__setattr__ = _local_op(object.__setattr__)
_local.__delattr__ = _local_op(object.__delattr__)


# ---- switching a busy thread, and Ctrl-C ----

# A switch is safe only between two bytecodes of Python code: the signal is also checked
# inside C code (print's BufferedWriter), where another thread would find the C object in use
# ("reentrant call"). A loop's back jump and a function's start are where CPython switches.
_SAFE_POINTS = frozenset({opcode.opmap["JUMP_BACKWARD"], opcode.opmap["RESUME"]})


def _on_switch(signum, frame):
    """The time slice of the thread running is used up: let the others run, if it is safe here."""
    if (_atomic or not _in_stack or frame is None
            or frame.f_code.co_code[frame.f_lasti] not in _SAFE_POINTS):
        _host.switchHandled(False)  # asked again at the next check
        return
    _host.switchHandled(True)
    wait_on(_host.nextTurn)


def _on_sigint(signum, frame):
    """Ctrl-C is the main thread's KeyboardInterrupt, whichever thread was running."""
    if _current == _MAIN and _in_stack:
        raise KeyboardInterrupt
    _host.interruptMain()


def install():
    """Before the program runs: this module as _thread, threading on top of it, every
    blocking wait through wait(), and the switch and Ctrl-C handlers."""
    import pyodide.ffi
    import pyodide.webloop

    me = sys.modules[__name__]
    sys.modules["_thread"] = me
    old_threading = sys.modules.pop("threading", None)
    sys.modules.pop("_threading_local", None)
    import queue
    import threading  # now on this _thread

    # Modules imported before (Pyodide's asyncio brings concurrent.futures) use the new one.
    for module in list(sys.modules.values()):
        if old_threading is not None and getattr(module, "threading", None) is old_threading:
            module.threading = threading
    # C's SimpleQueue waits on a C lock, which would stop every thread (the worker's one real
    # thread): a ThreadPoolExecutor's idle worker waits in its get(). The Python one waits on ours.
    queue.SimpleQueue = queue._PySimpleQueue

    labchannel.set_waiter(wait)
    pyodide.ffi.run_sync = wait
    pyodide.webloop.run_sync = wait
    signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGUSR1, _on_switch)
    _host.switchSignal = signal.SIGUSR1


def refuse(reason):
    """Without stack switching: Pyodide's _thread stays, and starting a thread says why not."""
    message = f"can't start new thread: {reason}"

    def start_joinable_thread(function, handle=None, daemon=True):
        raise RuntimeError(message)

    def start_new_thread(function, args, kwargs=None, /):
        raise RuntimeError(message)

    _pyodide_thread.start_joinable_thread = start_joinable_thread
    _pyodide_thread.start_new_thread = _pyodide_thread.start_new = start_new_thread
    threading = sys.modules.get("threading")
    if threading is not None:
        threading._start_joinable_thread = start_joinable_thread
