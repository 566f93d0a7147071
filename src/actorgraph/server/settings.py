"""The endpoint's limits and options, and what its request handlers share.

>>> ServerSettings(workers=4).max_queue is None  # None: 4 waiting requests per worker
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..hosts import LOOPBACK_NAMES
from ..memory import QUERY_MEMORY

if TYPE_CHECKING:
    from starlette.requests import Request

    from ..graph import ActorGraph
    from ..workers import QueryPool
    from .cache import AnswerCache

__all__ = ["Endpoint", "ServerSettings", "endpoint"]


@dataclass(frozen=True)
class ServerSettings:
    """Limits and options of the endpoint (all configurable from ``actorgraph serve``)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    workers: int = 2
    cors_origins: Sequence[str] = field(default_factory=tuple)
    max_queue: int | None = None  # requests that may wait for a worker; None: 4 per worker
    header_timeout: float = 10.0
    max_cache: int = 64_000_000  # bytes of answers kept to serve again; 0: none
    #: ``Host`` names answered (against DNS rebinding); see :func:`actorgraph.hosts.allowed_hosts`
    allowed_hosts: Sequence[str] = LOOPBACK_NAMES
    max_memory: int = QUERY_MEMORY  # bytes of memory (heap) each query worker may take; 0: any


@dataclass(frozen=True)
class Endpoint:
    """What the handlers read, kept on the app (``app.state.endpoint``): the graph for the
    pages, the query workers, the answers kept, the settings, and the pages made once at
    start."""

    kg: ActorGraph
    pool: QueryPool
    cache: AnswerCache
    settings: ServerSettings
    view_html: str
    catalogue_json: str


def endpoint(request: Request) -> Endpoint:
    """The :class:`Endpoint` of the app serving ``request``."""
    found: Endpoint = request.app.state.endpoint
    return found
