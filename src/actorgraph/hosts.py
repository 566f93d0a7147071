"""Which ``Host`` headers a local web server answers, against DNS rebinding.

A page on ``attacker.example`` whose name is re-bound to 127.0.0.1 reaches a server on this
machine as its own origin; what gives it away is the ``Host`` header, which names the
attacker's host. So the servers answer only the host names they are meant to be reached by
(Starlette's ``TrustedHostMiddleware`` applies the list).

>>> allowed_hosts("127.0.0.1")
['127.0.0.1', 'localhost', '[::1]']
>>> allowed_hosts("192.0.2.7", ["graph.example.org"])
['192.0.2.7', 'graph.example.org']
>>> allowed_hosts("0.0.0.0")
['127.0.0.1', 'localhost', '[::1]']
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

__all__ = ["LOOPBACK_NAMES", "allowed_hosts", "check_host_pattern", "host_name", "is_loopback"]

#: the names by which a browser on this machine reaches a server listening on loopback
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_WILDCARDS = {"", "0.0.0.0", "::"}
_PATTERN = re.compile(r"\*|(\*\.)?[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\]")


def is_loopback(address: str) -> bool:
    """Whether a listening address is this machine's loopback (``127.0.0.1``, ``::1``,
    ``localhost``).

    >>> is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if address.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(address: str) -> str:
    """A listening address as a ``Host`` header names it (an IPv6 address in brackets).

    >>> host_name("::1")
    '[::1]'
    """
    return f"[{address}]" if ":" in address and not address.startswith("[") else address


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> list[str]:
    """The host names a server listening on ``bind`` answers: the loopback names when it
    listens on loopback or on every interface, else the address it listens on; and ``extra``
    (names the user allows: ``graph.example.org``, ``*.example.org``, or ``*`` for any)."""
    names = list(LOOPBACK_NAMES) if is_loopback(bind) or bind in _WILDCARDS else []
    own = host_name(bind).lower()
    if bind not in _WILDCARDS and own not in names:
        names.append(own)
    for name in extra:
        if name.lower() not in names:
            names.append(name.lower())
    return names


def check_host_pattern(value: str) -> str:
    """``value`` if it is a host name a server can be told to answer, else a one-line error.

    >>> check_host_pattern("*.example.org")
    '*.example.org'
    >>> check_host_pattern("example.org:8000")
    Traceback (most recent call last):
    ...
    ValueError: 'example.org:8000': give a host name (graph.example.org), a domain \
(*.example.org) or *, without scheme or port
    """
    if not _PATTERN.fullmatch(value):
        raise ValueError(
            f"{value!r}: give a host name (graph.example.org), a domain (*.example.org) or *, "
            "without scheme or port"
        )
    return value
