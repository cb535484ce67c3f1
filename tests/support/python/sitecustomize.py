# Loaded by the tests' CPython peers only (PYTHONPATH): sets SO_REUSEADDR before every bind so
# that a lesson program can bind its fixed port again while the previous test's connections
# are in TIME_WAIT. The lesson's programs run unchanged.
import socket

_bind = socket.socket.bind


def _bind_reusing_address(self, address):
    self.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return _bind(self, address)


socket.socket.bind = _bind_reusing_address

# A test that needs a CPython peer's `random` to be deterministic (guess_server.py picks its
# number with random.randint) sets SOCKETLAB_SEED; the program then draws the same numbers
# on every run. Without the variable, `random` is left alone.
import os

if 'SOCKETLAB_SEED' in os.environ:
    import random

    random.seed(int(os.environ['SOCKETLAB_SEED']))
