"""``actorgraph serve``: a hardened, read-only SPARQL 1.1 endpoint with the graph view.

Routes: ``/sparql`` (SPARQL 1.1 Protocol: GET and POST, URL-encoded or direct body, content
negotiation, a service description when called without a query), ``/`` (the interactive view),
``/actors/{id}`` (an actor's page), ``/queries`` and ``/queries/{name}`` (named queries with
their parameters in the URL).

Hardened by default: read-only (updates, SERVICE, LOAD, FROM refused with 400), a wall-clock
limit per query that stops the work and counts the wait for a worker (queries run in worker
processes, replaced when they die), a bounded queue (503 with Retry-After beyond it), queries of
clients that left cancelled, a row cap applied while reading, a request body limit (413), a
deadline for a request's headers, no CORS unless configured, and error bodies of one line
without tracebacks or paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .errors import ActorGraphError, QueryError
from .rendering import negotiate
from .safety import QueryShape, check_read_only
from .workers import QueryPool, Unavailable

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from .graph import ActorGraph

__all__ = ["ServerSettings", "create_app", "run_server"]

_SERVICE_DESCRIPTION = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML,
        formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV,
        formats:Turtle, formats:N-Triples, formats:JSON-LD ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
_PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)
_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
_GRACE = 5  # seconds a stopping server gives requests still being answered


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


def create_app(
    kg: ActorGraph, source: dict[str, Any], settings: ServerSettings = ServerSettings()
) -> Starlette:
    """The web app; ``kg`` serves the pages, worker processes load ``source`` for queries:
    ``{"paths": [...]}`` (Turtle files) or ``{"remote": {...}}`` (``ActorGraph.connect`` keywords).
    """
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from .view import render_view

    pool = QueryPool(
        source,
        queries=str(kg.queries_path),
        workers=settings.workers,
        timeout=settings.timeout,
        max_rows=settings.max_rows,
        max_queue=settings.max_queue,
    )
    view_html = render_view(kg)
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
    catalogue_json = json.dumps(entries, ensure_ascii=False, indent=1)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    async def answer(
        kind: str, payload: dict[str, Any], media_type: str | None, deadline: float
    ) -> Response:
        if media_type is None:
            return PlainTextResponse(
                "no acceptable result format for this query\n", status_code=406
            )
        try:
            result = await pool.run(kind, payload, media_type, deadline=deadline)
        except Unavailable as error:
            retry = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
            return PlainTextResponse(f"{error}\n", status_code=503, headers=retry)
        except QueryError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        except ActorGraphError:
            return PlainTextResponse("internal error\n", status_code=500)
        headers = {"X-Actorgraph-Truncated": "true"} if result.truncated else {}
        return Response(result.body, media_type=result.media_type, headers=headers)

    async def sparql(request: Request) -> Response:
        try:
            query, format_name = await _read_query(request, settings.max_body)
        except _TooLarge:
            return PlainTextResponse(
                f"request body over {settings.max_body} bytes\n", status_code=413
            )
        except QueryError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        if query is None:
            endpoint = str(request.url.replace(query=""))
            return Response(
                _SERVICE_DESCRIPTION.format(endpoint=endpoint), media_type="text/turtle"
            )
        return await _unless_gone(request, checked_answer(request, query, format_name))

    async def checked_answer(request: Request, query: str, format_name: str | None) -> Response:
        deadline = asyncio.get_running_loop().time() + settings.timeout
        try:
            shape = await _checked(query, settings.timeout, deadline)
        except QueryError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        media_type = negotiate(
            request.headers.get("accept"), shape.form in ("CONSTRUCT", "DESCRIBE"), format_name
        )
        return await answer("sparql", {"text": query}, media_type, deadline)

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        media_type = negotiate(
            request.headers.get("accept"), False, request.query_params.get("format")
        )
        if "accept" not in request.headers and "format" not in request.query_params:
            media_type = "application/json"
        deadline = asyncio.get_running_loop().time() + settings.timeout
        return await _unless_gone(
            request, answer("query", {"name": name, "params": params}, media_type, deadline)
        )

    async def catalogue(request: Request) -> Response:
        return Response(catalogue_json, media_type="application/json")

    async def view(request: Request) -> Response:
        return HTMLResponse(view_html, headers={"Content-Security-Policy": _PAGE_CSP})

    async def actor_page(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        try:  # a thread: name matching and rendering would hold up every other request
            html = await run_in_threadpool(_actor_page, kg, request.path_params["actor"])
        except ActorGraphError as error:
            return PlainTextResponse(f"{error}\n", status_code=404)
        return HTMLResponse(html, headers={"Content-Security-Policy": _PAGE_CSP})

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("not found\n", status_code=404)

    async def server_error(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("internal error\n", status_code=500)

    middleware = []
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
            Route("/", view),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/queries", catalogue),
            Route("/queries/{name}", named_query),
            Route("/actors/{actor}", actor_page),
        ],
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={404: not_found, 500: server_error},
    )
    app.state.query_pool = pool
    return app


def run_server(
    kg: ActorGraph,
    source: dict[str, Any],
    settings: ServerSettings = ServerSettings(),
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve :func:`create_app` with uvicorn until SIGINT or SIGTERM; ``announce`` gets the
    base URL once the server listens (with the real port when ``port`` is 0)."""
    app = create_app(kg, source, settings)
    protocol = functools.partial(_HeaderDeadline, header_timeout=settings.header_timeout)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=protocol,  # type: ignore[arg-type]
        timeout_graceful_shutdown=_GRACE,
    )
    _Server(config, app.state.query_pool, announce).run()


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


class _HeaderDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, dropping a connection whose client has not sent a whole
    request head within ``header_timeout`` seconds of connecting or of starting a request."""

    def __init__(self, *args: Any, header_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        cycle = self.cycle
        super().data_received(data)
        if self.cycle is not cycle:  # a request's head is complete
            self._disarm()
        elif self._deadline is None and (cycle is None or cycle.response_complete):
            self._arm()  # the first bytes of the next request on a kept-alive connection

    def handle_websocket_upgrade(self, event: Any) -> None:
        self._disarm()
        super().handle_websocket_upgrade(event)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


async def _checked(query: str, limit: float, deadline: float) -> QueryShape:
    """The read-only check, off the event loop and within the query time limit."""
    from starlette.concurrency import run_in_threadpool

    try:
        async with asyncio.timeout_at(deadline):
            return await run_in_threadpool(check_read_only, query)
    except TimeoutError:
        raise QueryError(f"checking the query took over the {limit:g} s limit") from None


async def _unless_gone(request: Request, work: Awaitable[Response]) -> Response:
    """The response ``work`` makes, or none once the client has closed its connection: the
    work is then cancelled (a query waiting for a worker never runs, a running one has its
    worker stopped)."""
    from starlette.responses import PlainTextResponse

    job = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait((job, gone), return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not job.done():
            job.cancel()
            await asyncio.wait((job,))  # let the query stop its worker
    if job.cancelled():
        return PlainTextResponse("the client closed the connection\n", status_code=503)
    return job.result()


async def _disconnected(request: Request) -> None:
    """Return once the client has closed its connection (the request's body read or not)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


class _TooLarge(Exception):
    pass


async def _read_query(request: Request, limit: int) -> tuple[str | None, str | None]:
    """The query text and ``format`` parameter of a SPARQL Protocol request."""
    format_name = request.query_params.get("format")
    _refuse_dataset(request.query_params)
    if request.method in ("GET", "HEAD"):
        if "update" in request.query_params:
            raise QueryError("updates are refused: this endpoint is read-only")
        return request.query_params.get("query"), format_name
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise _TooLarge
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("the request body is not UTF-8") from None
    if content_type == "application/sparql-query":
        return text, format_name
    if content_type == "application/sparql-update":
        raise QueryError("updates are refused: this endpoint is read-only")
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        _refuse_dataset(form)
        if "update" in form:
            raise QueryError("updates are refused: this endpoint is read-only")
        queries = form.get("query", [])
        if len(queries) != 1:
            raise QueryError("give exactly one query parameter")
        formats = form.get("format")
        return queries[0], formats[0] if formats else format_name
    raise QueryError(
        "POST a query as application/sparql-query or application/x-www-form-urlencoded"
    )


def _refuse_dataset(parameters: Iterable[str]) -> None:
    """Refuse a request that names its own dataset: this endpoint serves one graph."""
    if any(name in _DATASET_PARAMETERS for name in parameters):
        raise QueryError(
            "this endpoint serves one default graph: default-graph-uri and named-graph-uri "
            "are not supported"
        )


def _actor_page(kg: ActorGraph, name: str) -> str:
    from .model import Basis, Polarity
    from .namespaces import ACT
    from .view import templates

    actor = kg.actor(name)
    seen: set[str] = set()
    statements = []
    for role in ("subject", "object"):
        for s in kg.statements(parts=False, **{role: actor}):  # type: ignore[arg-type]
            if s.id in seen:
                continue
            seen.add(s.id)
            period = " – ".join(p for p in (s.valid_from or "", s.valid_until or "") if p)
            statements.append(
                {
                    "subject": s.subject_label,
                    "relation": s.relation,
                    "object": s.object_label,
                    "stance": s.stance.value,
                    "basis": "" if s.basis is Basis.STATED else s.basis.value,
                    "negated": s.polarity is Polarity.NEGATIVE,
                    "against": ", ".join(kg.label(ACT[a]) for a in s.against),
                    "asserted_by": kg.label(ACT[s.asserted_by]),
                    "period": period or (f"as of {s.attested_at}" if s.attested_at else ""),
                    "quote": s.evidence.quote,
                    "context": s.evidence.context,
                    "note": s.note,
                }
            )
    statements.sort(key=lambda s: (s["relation"], s["subject"], s["object"]))
    return (
        templates()
        .get_template("actor.html")
        .render(actor=actor, kind=actor.kind, statements=statements)
    )
