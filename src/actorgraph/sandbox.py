"""Take the network away from a process that runs users' SPARQL (defence in depth).

The read-only check refuses SERVICE and LOAD; as a second wall, the processes that run users'
queries against a local store (``actorgraph serve``'s query workers, and the ``actorgraph
sparql``/``query`` commands on a local graph) install a seccomp filter that makes every attempt to
open an IPv4 or IPv6 socket fail. The filter applies to the whole process, its threads and
children, and cannot be lifted: whatever a query says, the engine cannot call out. Local pipes
and Unix sockets keep working.

>>> import subprocess, sys
>>> code = "from actorgraph.sandbox import deny_network; import socket; " \\
...        "deny_network(); socket.socket()"
>>> "PermissionError" in subprocess.run([sys.executable, "-c", code], capture_output=True,
...                                     text=True).stderr
True
"""

from __future__ import annotations

import errno
import logging
import socket
import sys

__all__ = ["deny_network", "network_denied"]

_log = logging.getLogger(__name__)
_denied = False


def deny_network() -> bool:
    """Forbid this process from opening IP sockets from now on; ``True`` when the filter is in
    force (``False`` where seccomp is unavailable: not Linux, or no libseccomp)."""
    global _denied
    if _denied:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        import pyseccomp as seccomp

        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread of the process, not only this one
        for family in (socket.AF_INET, socket.AF_INET6):
            rules.add_rule(
                seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.EQ, family)
            )
        rules.load()
    except Exception as error:  # no libseccomp, or a kernel without seccomp
        _log.warning("could not take the network away from this process: %s", error)
        return False
    _denied = True
    return True


def network_denied() -> bool:
    """Whether :func:`deny_network` is in force in this process."""
    return _denied
