"""Running the endpoint with uvicorn until SIGINT or SIGTERM.

>>> from actorgraph import ActorGraph
>>> run_server(ActorGraph.load(), {"paths": []}, port=0, announce=print)  # doctest: +SKIP
http://127.0.0.1:41833/
"""

from __future__ import annotations

import functools
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import uvicorn

from ..listening import bind
from .app import create_app
from .protocol import HeaderDeadline
from .settings import ServerSettings

if TYPE_CHECKING:
    from ..graph import ActorGraph
    from ..workers import QueryPool

__all__ = ["run_server"]

_GRACE = 5  # seconds a stopping server gives requests still being answered


def run_server(
    kg: ActorGraph,
    source: dict[str, Any],
    settings: ServerSettings = ServerSettings(),
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve :func:`~actorgraph.server.create_app` with uvicorn until SIGINT or SIGTERM;
    ``announce`` gets the base URL once the server listens (with the real port when ``port``
    is 0). The address is bound first: a port in use is an :class:`ActorGraphError` before
    any worker starts. After a graceful stop on SIGINT, ``KeyboardInterrupt`` is raised."""
    sockets = bind(host, port)
    app = create_app(kg, source, settings)
    protocol = functools.partial(HeaderDeadline, header_timeout=settings.header_timeout)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,  # warnings only: no line per request
        proxy_headers=False,  # nothing reads the client's address
        http=protocol,  # type: ignore[arg-type]
        loop="auto",  # uvloop where it is installed (a dependency but on Windows): measured faster
        timeout_graceful_shutdown=_GRACE,
        # connections and requests at once, each a file descriptor: over it, 503 at once,
        # before the process runs out of descriptors (a common limit is 1,024)
        limit_concurrency=_MAX_CONNECTIONS,
    )
    try:
        _Server(config, app.state.endpoint.pool, announce).run(sockets=sockets)
    finally:
        for sock in sockets:
            sock.close()


_MAX_CONNECTIONS = 512


class _Server(uvicorn.Server):
    """uvicorn's server that announces itself once it listens and, when told to stop, ends the
    queries in flight at once (503) instead of waiting for them."""

    def __init__(
        self, config: uvicorn.Config, pool: QueryPool, announce: Callable[[str], None]
    ) -> None:
        super().__init__(config)
        self.pool, self.announce = pool, announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            port = self.servers[0].sockets[0].getsockname()[1]
            host = self.config.host
            self.announce(f"http://{f'[{host}]' if ':' in host else host}:{port}/")

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.pool.close()
        await super().shutdown(sockets)
