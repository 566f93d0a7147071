"""``actorgraph serve``: a hardened, read-only SPARQL 1.1 endpoint with the graph view.

Routes: ``/sparql`` (SPARQL 1.1 Protocol: GET and POST, URL-encoded or direct body, content
negotiation, a service description when called without a query), ``/`` (the interactive view),
``/actors/{id}`` (an actor's page), ``/queries`` and ``/queries/{name}`` (named queries with
their parameters in the URL).

Hardened by default: read-only (updates, SERVICE, LOAD, FROM refused with 400), a wall-clock
limit per query that stops the work (queries run in worker processes), a row cap, a request
body limit (413), no CORS unless configured, and error bodies without tracebacks or paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .errors import ActorGraphError, QueryError
from .rendering import negotiate
from .safety import QueryShape, check_read_only
from .workers import QueryPool, QueryTimeout

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from .graph import ActorGraph

__all__ = ["ServerSettings", "create_app"]

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


@dataclass(frozen=True)
class ServerSettings:
    """Limits and options of the endpoint (all configurable from ``actorgraph serve``)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    workers: int = 2
    cors_origins: Sequence[str] = field(default_factory=tuple)


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
    )
    view_html = render_view(kg)
    catalogue = [
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
    catalogue_json = json.dumps(catalogue, ensure_ascii=False, indent=1)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            pool.close()

    async def answer(kind: str, payload: dict, media_type: str | None) -> Response:
        if media_type is None:
            return PlainTextResponse(
                "no acceptable result format for this query\n", status_code=406
            )
        try:
            result = await pool.run(kind, payload, media_type)
        except QueryTimeout as error:
            return PlainTextResponse(f"{error}\n", status_code=503)
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
        try:
            shape = await _checked(query, settings.timeout)
        except QueryError as error:
            return PlainTextResponse(f"{error}\n", status_code=400)
        media_type = negotiate(
            request.headers.get("accept"), shape.form in ("CONSTRUCT", "DESCRIBE"), format_name
        )
        return await answer("sparql", {"text": query}, media_type)

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        media_type = negotiate(
            request.headers.get("accept"), False, request.query_params.get("format")
        )
        if "accept" not in request.headers and "format" not in request.query_params:
            media_type = "application/json"
        return await answer("query", {"name": name, "params": params}, media_type)

    async def catalogue(request: Request) -> Response:
        return Response(catalogue_json, media_type="application/json")

    async def view(request: Request) -> Response:
        return HTMLResponse(view_html, headers={"Content-Security-Policy": _PAGE_CSP})

    async def actor_page(request: Request) -> Response:
        try:
            html = _actor_page(kg, request.path_params["actor"])
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
    return Starlette(
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


async def _checked(query: str, limit: float) -> QueryShape:
    """The read-only check, off the event loop and within the query time limit."""
    from starlette.concurrency import run_in_threadpool

    try:
        return await asyncio.wait_for(run_in_threadpool(check_read_only, query), limit)
    except TimeoutError:
        raise QueryError(f"checking the query took over the {limit:g} s limit") from None


class _TooLarge(Exception):
    pass


async def _read_query(request: Request, limit: int) -> tuple[str | None, str | None]:
    """The query text and ``format`` parameter of a SPARQL Protocol request."""
    format_name = request.query_params.get("format")
    if request.method == "GET":
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
        if "update" in form:
            raise QueryError("updates are refused: this endpoint is read-only")
        queries = form.get("query", [])
        if len(queries) != 1:
            raise QueryError("give exactly one query parameter")
        return queries[0], (form.get("format") or [format_name])[0]
    raise QueryError(
        "POST a query as application/sparql-query or application/x-www-form-urlencoded"
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
