"""A ceiling on the memory of a process that runs work a user wrote (a SPARQL query, a shapes
file), so that a query or shape that grows without end fails alone instead of taking the
machine's memory.

The ceiling is ``RLIMIT_DATA``: the heap and every private writable mapping, which is what a
query engine grows, and not the address space a memory-mapped store or a thread's stack takes
(``RLIMIT_AS`` would count those too). Past it, an allocation fails: Python raises
:class:`MemoryError`, and a Rust engine aborts the process.

>>> parse_size("1.5G"), parse_size("512M"), parse_size("0")
(1610612736, 536870912, 0)
>>> describe(3 << 30)
'3 GB'
"""

from __future__ import annotations

import re

from .errors import ActorGraphError

__all__ = ["QUERY_MEMORY", "describe", "limit_memory", "parse_size"]

#: The memory a process running one user's query may take by default: on a machine of 2 cores
#: and 24 GB, the two query workers of ``actorgraph serve`` take a sixth of it at most, and
#: a graph of 200,000 triples held in memory takes a fraction of it.
QUERY_MEMORY = 2 << 30

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def limit_memory(size: int) -> None:
    """Limit this process's data (heap and private mappings) to ``size`` bytes; 0: no limit.
    Where the platform has no such limit (not Linux or another Unix), nothing is done."""
    if size <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        size = min(size, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (size, hard))


def parse_size(text: str) -> int:
    """A size in bytes from ``text`` such as ``4G``, ``512M``, ``1.5GB`` or ``0`` (no limit)."""
    found = _SIZE.fullmatch(text.strip())
    if found is None:
        raise ActorGraphError(f"expected a size such as 4G or 512M, not {text!r}")
    number, unit = found.groups()
    return int(float(number) * _UNITS[unit.upper()])


def describe(size: int) -> str:
    """A size for a message: whole gigabytes or megabytes where it is a whole number of them."""
    if size >= 1 << 30 and size % (1 << 30) == 0:
        return f"{size >> 30} GB"
    return f"{round(size / (1 << 20))} MB"
