"""The web app: the routes, the query workers and what the handlers share, wired together.

>>> from actorgraph import ActorGraph
>>> app = create_app(ActorGraph.load(), {"paths": []})
>>> [route.path for route in app.routes]
['/', '/sparql', '/queries', '/queries/{name}', '/actors/{actor}']
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import Route

from ..workers import QueryPool
from . import handlers
from .cache import AnswerCache
from .settings import Endpoint, ServerSettings

if TYPE_CHECKING:
    from ..graph import ActorGraph

__all__ = ["create_app"]


def create_app(
    kg: ActorGraph, source: dict[str, Any], settings: ServerSettings = ServerSettings()
) -> Starlette:
    """The web app; ``kg`` serves the pages, worker processes load ``source`` for queries:
    ``{"paths": [...]}`` (Turtle files) or ``{"remote": {...}}`` (``ActorGraph.connect`` keywords).
    The workers start with the app (its lifespan) and stop with it. Answers are kept to be
    served again (``settings.max_cache``) unless the graph is a remote store's, which others
    may change."""
    from ..view import render_view

    pool = QueryPool(
        source,
        queries=str(kg.queries_path),
        workers=settings.workers,
        timeout=settings.timeout,
        max_rows=settings.max_rows,
        max_queue=settings.max_queue,
        max_memory=settings.max_memory,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    middleware = [  # first: a request for another host name (DNS rebinding) gets 400 at once
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
            )
        )
    app = Starlette(
        routes=[
            Route("/", handlers.view),
            Route("/sparql", handlers.sparql, methods=["GET", "POST"]),
            Route("/queries", handlers.catalogue),
            Route("/queries/{name}", handlers.named_query),
            Route("/actors/{actor}", handlers.actor),
        ],
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: handlers.not_found, 500: handlers.server_error},
    )
    app.state.endpoint = Endpoint(
        kg=kg,
        pool=pool,
        cache=AnswerCache(0 if source.get("remote") else settings.max_cache),
        settings=settings,
        view_html=render_view(kg),
        catalogue_json=_catalogue(kg),
    )
    return app


def _catalogue(kg: ActorGraph) -> str:
    """The named queries and their parameters as JSON (``/queries``)."""
    entries = [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type,
                    "required": p.required,
                    "description": p.description,
                }
                for p in q.parameters
            ],
        }
        for q in kg.queries()
    ]
    return json.dumps(entries, ensure_ascii=False, indent=1)
