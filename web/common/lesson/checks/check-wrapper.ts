// The Python that runs a student's file for a Check, in place of `python FILE`: it fixes
// random's pick (Question 10's secret), runs the file as __main__, and when the file ends
// (however it ends) prints END_MARK with its exit status and waits for one typed line. While
// it waits, the check reads the program's sockets in netstat: what it left open is still
// there, since the program's process has not exited (exiting closes everything, as an OS does).

/** The wrapper's own file name among the files given to the run (never saved on the device). */
export const WRAPPER_FILE = 'socketlab_check_run.py';
/** Printed on a line of its own, then the exit status. */
export const END_MARK = '\u001esocketlab-check-ended:';

export const WRAPPER_SOURCE = String.raw`import random
import runpy
import sys
import traceback

path = "/home/lab/" + sys.argv[1]
secret = int(sys.argv[2]) if len(sys.argv) > 2 else None
sys.argv = [sys.argv[1]]

if secret is not None:
    # randint, randrange and choice over a range holding the secret pick it; anything else
    # is left to chance (and the check then says the replies do not match the secret).
    _randint, _randrange, _choice = random.randint, random.randrange, random.choice

    def randint(a, b):
        return secret if a <= secret <= b else _randint(a, b)

    def randrange(start, stop=None, step=1):
        r = range(start) if stop is None else range(start, stop, step)
        return secret if secret in r else _randrange(start, stop, step)

    def choice(seq):
        return secret if secret in seq else _choice(seq)

    random.randint, random.randrange, random.choice = randint, randrange, choice

status = 0
try:
    runpy.run_path(path, run_name="__main__")
except SystemExit as exc:
    status = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
except BaseException as exc:
    status = 1
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next
    # As python FILE prints it (labmain.py): the program's frames only, cut where a call goes
    # into the lab's own socket code, which CPython runs in C, with no frame.
    head, last = tb, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("/opt/socketlab/"):
            if last is not None:
                last.tb_next = None
            break
        last, tb = tb, tb.tb_next
    traceback.print_exception(type(exc), exc, head)
sys.stdout.flush()
sys.stderr.flush()
print("\n\x1esocketlab-check-ended:" + str(status), flush=True)
try:
    input()
except BaseException:
    pass
`;
