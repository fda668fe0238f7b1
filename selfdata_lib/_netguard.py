"""Block sockets to anything but the loopback, so that no code silently depends on the internet.

Enabled at import of :mod:`selfdata_lib` when ``SELFDATA_BLOCK_NETWORK=1`` (the test suite sets it
for the notebook kernels it starts; the tests themselves use pytest-socket). Every way out is closed:
TCP and UDP connections, datagrams sent with ``sendto``/``sendmsg``, and name resolution (DNS) of
anything but the local host — whatever the address family. Unix sockets and the loopback stay open.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any, NoReturn

_original: dict[str, Callable[..., Any]] = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "sendto": socket.socket.sendto,
    "sendmsg": socket.socket.sendmsg,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
    "create_connection": socket.create_connection,
}
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}


def _is_local_host(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    return _is_local_host(host)


def _refuse(target: object) -> NoReturn:
    msg = (
        f"network access to {target!r} is blocked (SELFDATA_BLOCK_NETWORK=1); "
        "personal-data notebooks must run offline"
    )
    raise ConnectionRefusedError(msg)


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family != getattr(socket, "AF_UNIX", None) and not _is_local(address):
        _refuse(address)
    return _original["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if self.family != getattr(socket, "AF_UNIX", None) and not _is_local(address):
        _refuse(address)
    return _original["connect_ex"](self, address)


def _guarded_sendto(self: socket.socket, data: bytes, *args: Any) -> int:
    address = args[-1]
    if self.family != getattr(socket, "AF_UNIX", None) and not _is_local(address):
        _refuse(address)
    return _original["sendto"](self, data, *args)


def _guarded_sendmsg(
    self: socket.socket, buffers: Any, ancdata: Any = (), flags: int = 0, address: object = None
) -> int:
    if address is not None and self.family != getattr(socket, "AF_UNIX", None) and not _is_local(address):
        _refuse(address)
    args = (buffers, ancdata, flags) if address is None else (buffers, ancdata, flags, address)
    return _original["sendmsg"](self, *args)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_local_host(host):
        _refuse(host)
    return _original["getaddrinfo"](host, *args, **kwargs)


def _guarded_gethostbyname(host: Any) -> Any:
    if not _is_local_host(host):
        _refuse(host)
    return _original["gethostbyname"](host)


def _guarded_gethostbyname_ex(host: Any) -> Any:
    if not _is_local_host(host):
        _refuse(host)
    return _original["gethostbyname_ex"](host)


# Monkeypatched in by name: the guards take any address, wider than the typeshed signatures.
_SOCKET_GUARDS: dict[str, Callable[..., Any]] = {
    "connect": _guarded_connect,
    "connect_ex": _guarded_connect_ex,
    "sendto": _guarded_sendto,
    "sendmsg": _guarded_sendmsg,
}
_MODULE_GUARDS: dict[str, Callable[..., Any]] = {
    "getaddrinfo": _guarded_getaddrinfo,
    "gethostbyname": _guarded_gethostbyname,
    "gethostbyname_ex": _guarded_gethostbyname_ex,
}


def block_network() -> None:
    """Refuse connections, datagrams and name lookups to non-loopback hosts for the rest of this process."""
    for name, guard in _SOCKET_GUARDS.items():
        setattr(socket.socket, name, guard)
    for name, guard in _MODULE_GUARDS.items():
        setattr(socket, name, guard)


def allow_network() -> None:
    """Undo :func:`block_network`."""
    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        setattr(socket.socket, name, _original[name])
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, _original[name])
