"""The socket module's constants (Linux's values) and its host-name and address functions,
for Socket Lab's browser Python (labsocket re-exports all of it as `socket`).

A lab has no DNS: 'localhost' and numeric IPv4 addresses resolve, as does the device's own
name, which is its lab address; anything else is `socket.gaierror: [Errno -2] Name or
service not known`, what CPython says for a name nobody knows.
"""
from enum import IntEnum as _IntEnum

import labchannel as _ch
from labchannel import gaierror

AddressFamily = _IntEnum("AddressFamily", {"AF_UNSPEC": 0, "AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10}, module="socket")
SocketKind = _IntEnum("SocketKind", {"SOCK_STREAM": 1, "SOCK_DGRAM": 2, "SOCK_RAW": 3}, module="socket")
globals().update(AddressFamily.__members__)
globals().update(SocketKind.__members__)

# Linux's values.
SOL_SOCKET = 1
SO_DEBUG, SO_REUSEADDR, SO_TYPE, SO_ERROR, SO_DONTROUTE, SO_BROADCAST = 1, 2, 3, 4, 5, 6
SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE, SO_LINGER, SO_REUSEPORT = 7, 8, 9, 13, 15
IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP = 0, 6, 17
TCP_NODELAY = 1
SHUT_RD, SHUT_WR, SHUT_RDWR = 0, 1, 2
SOMAXCONN = 4096
INADDR_ANY, INADDR_LOOPBACK = 0, 0x7F000001
AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST = 1, 2, 4
has_ipv6 = False


def _parse_ipv4(text):
    """An address as inet_aton reads it (1 to 4 parts, decimal, octal or hex), or None."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = []
    for part in parts:
        try:
            if part[:2].lower() == "0x" and len(part) > 2:
                values.append(int(part[2:], 16))
            elif part.startswith("0"):
                values.append(int(part, 8))
            elif part.isdigit() and part.isascii():
                values.append(int(part))
            else:
                return None
        except ValueError:
            return None
    last = values.pop()
    if any(v > 255 for v in values) or last >= 256 ** (4 - len(values)):
        return None
    return sum(v << (8 * (3 - i)) for i, v in enumerate(values)) + last


def _dotted(ip):
    return ".".join(str((ip >> shift) & 255) for shift in (24, 16, 8, 0))


def gethostname():
    """This device's name in the lab: its address, which every device can resolve."""
    return _ch.HOSTNAME


def getfqdn(name=""):
    return gethostname() if name in ("", "0.0.0.0") else name


def gethostbyname(hostname):
    if not isinstance(hostname, str):
        raise TypeError(f"gethostbyname() argument 1 must be str, not {type(hostname).__name__}")
    if hostname == "":
        return "0.0.0.0"
    if hostname.lower() == "localhost":
        return "127.0.0.1"
    ip = _parse_ipv4(hostname)
    if ip is None:
        raise gaierror(-2, "Name or service not known")
    return _dotted(ip)


def gethostbyname_ex(hostname):
    return (hostname, [], [gethostbyname(hostname)])


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if family not in (0, AF_INET):
        raise gaierror(-9, "Address family for hostname not supported")
    if host is None:
        address = "0.0.0.0" if flags & AI_PASSIVE else "127.0.0.1"
    else:
        address = gethostbyname(host.decode() if isinstance(host, bytes) else host)
    if port is None:
        port = 0
    elif isinstance(port, (str, bytes)):
        if not str(port if isinstance(port, str) else port.decode()).isdigit():
            raise gaierror(-8, "Servname not supported for ai_socktype")
        port = int(port)
    return [(AF_INET, SOCK_STREAM, IPPROTO_TCP, "", (address, port))]


def inet_aton(text):
    ip = _parse_ipv4(text)
    if ip is None:
        raise OSError("illegal IP address string passed to inet_aton")
    return ip.to_bytes(4, "big")


def inet_ntoa(packed):
    packed = bytes(packed)
    if len(packed) != 4:
        raise OSError("packed IP wrong length for inet_ntoa")
    return _dotted(int.from_bytes(packed, "big"))


def htons(x):
    return ((x & 0xFF) << 8) | ((x >> 8) & 0xFF)


def htonl(x):
    return int.from_bytes((x & 0xFFFFFFFF).to_bytes(4, "big"), "little")


ntohs, ntohl = htons, htonl
