"""Block sockets to anything but the loopback, so that no code silently depends on the internet.

Enabled at import of :mod:`selfdata_lib` when ``SELFDATA_BLOCK_NETWORK=1`` (the test suite sets it
for the notebook kernels it starts; the tests themselves use pytest-socket).
"""

from __future__ import annotations

import ipaddress
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        msg = (f"network access to {address!r} is blocked (SELFDATA_BLOCK_NETWORK=1); "
               "personal-data notebooks must run offline")
        raise ConnectionRefusedError(msg)
    return _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        _guarded_connect(self, address)
    return _original_connect_ex(self, address)


def block_network() -> None:
    """Refuse connections to non-loopback addresses for the rest of this process."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


def allow_network() -> None:
    """Undo :func:`block_network`."""
    socket.socket.connect = _original_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _original_connect_ex  # type: ignore[method-assign]
