"""Listening sockets for the local servers (``serve``, ``review``), bound before the server
starts, so that a port in use or an address this machine lacks is one error naming them.

>>> sockets = bind("127.0.0.1", 0)
>>> busy = sockets[0].getsockname()[1]
>>> bind("127.0.0.1", busy)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
actorgraph.errors.ActorGraphError: cannot listen on 127.0.0.1:...: address already in use ...
>>> for sock in sockets:
...     sock.close()
"""

from __future__ import annotations

import errno
import socket

from .errors import ActorGraphError

__all__ = ["bind"]

_BACKLOG = 2048  # uvicorn's default


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets bound to every address of ``host`` at ``port`` (as asyncio's servers
    bind them: address reuse, IPv6 sockets for IPv6 only), for
    ``uvicorn.Server.run(sockets=...)``."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise ActorGraphError(f"cannot listen on {host}: {error.strerror}") from None
    sockets: list[socket.socket] = []
    try:
        for family, kind, protocol, _, address in dict.fromkeys(addresses):
            sock = socket.socket(family, kind, protocol)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(_BACKLOG)  # connections wait from now on, not refused until serving
    except OSError as error:
        for sock in sockets:
            sock.close()
        reason = (error.strerror or str(error)).lower()
        in_use = error.errno == errno.EADDRINUSE
        hint = " (another server is using it: stop it or choose another --port)" if in_use else ""
        shown = f"[{host}]" if ":" in host else host
        raise ActorGraphError(f"cannot listen on {shown}:{port}: {reason}{hint}") from None
    return sockets
