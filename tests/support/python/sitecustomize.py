# Loaded by the tests' CPython peers only (PYTHONPATH): sets SO_REUSEADDR before every bind so
# that a lesson program can bind its fixed port again while the previous test's connections
# are in TIME_WAIT. The lesson's programs run unchanged.
import socket

_bind = socket.socket.bind


def _bind_reusing_address(self, address):
    self.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return _bind(self, address)


socket.socket.bind = _bind_reusing_address
