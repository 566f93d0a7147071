"""The endpoint's request handlers, one per route; each reads what it needs from the app
(:func:`~actorgraph.server.settings.endpoint`).

>>> import asyncio
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever the caller runs
...     thread.submit(asyncio.run, not_found(None, LookupError())).result().body
b'not found\\n'

"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from ..errors import ActorGraphError, QueryError
from ..rendering import FORMAT_NAMES, GRAPH_TYPES, ROW_TYPES, negotiate
from ..safety import QueryShape, check_read_only
from ..workers import Unavailable
from . import pages
from .cache import Kept, answer_key
from .reading import TooLarge, TooSlow, once, read_query, url_parameters
from .settings import Endpoint, endpoint

__all__ = [
    "actor",
    "catalogue",
    "named_query",
    "not_found",
    "server_error",
    "sparql",
    "view",
]

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
#: The longest query text the endpoint checks in its own process; a longer one is checked in a
#: query worker.
CHECKED_HERE = 8_192
PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)


async def sparql(request: Request) -> Response:
    """``/sparql``: a SPARQL Protocol query, or the service description without one."""
    settings = endpoint(request).settings
    limit = settings.max_body
    try:
        query, format_name = await read_query(request, limit, settings.header_timeout)
    except TooLarge:
        return PlainTextResponse(f"request body over {limit} bytes\n", status_code=413)
    except TooSlow:
        return PlainTextResponse(
            f"request body not received within {settings.header_timeout:g} s\n",
            status_code=408,
            headers={"Connection": "close"},
        )
    except QueryError as error:
        return PlainTextResponse(f"{error}\n", status_code=400)
    if query is None:
        url = str(request.url.replace(query=""))
        return Response(_SERVICE_DESCRIPTION.format(endpoint=url), media_type="text/turtle")
    return await _unless_gone(request, _checked_answer(request, query, format_name))


async def named_query(request: Request) -> Response:
    """``/queries/NAME?param=value``: a named query, its parameters from the URL."""
    name = request.path_params["name"]
    try:
        given = once(url_parameters(request))
    except QueryError as error:
        return PlainTextResponse(f"{error}\n", status_code=400)
    params = {k: v for k, v in given.items() if k != "format"}
    media_type = negotiate(request.headers.get("accept"), False, given.get("format"))
    if "accept" not in request.headers and "format" not in given:
        media_type = "application/json"
    if media_type is None:
        return _unacceptable(graph=False)
    state = endpoint(request)
    job = ("query", {"name": name, "params": params}, media_type)
    kept = state.cache.get(answer_key(*job))
    if kept is not None:
        return _answered(request, kept)
    deadline = asyncio.get_running_loop().time() + state.settings.timeout
    return await _unless_gone(request, _answer(request, state, *job, deadline))


async def catalogue(request: Request) -> Response:
    """``/queries``: the named queries and their parameters, as JSON."""
    return Response(endpoint(request).catalogue_json, media_type="application/json")


async def view(request: Request) -> Response:
    """``/``: the interactive view of the whole graph."""
    return HTMLResponse(endpoint(request).view_html, headers={"Content-Security-Policy": PAGE_CSP})


async def actor(request: Request) -> Response:
    """``/actors/ID``: an actor's page, rendered on a thread (name matching and rendering
    would hold up every other request)."""
    try:
        html = await run_in_threadpool(
            pages.actor_page, endpoint(request).kg, request.path_params["actor"]
        )
    except ActorGraphError as error:
        return PlainTextResponse(f"{error}\n", status_code=404)
    return HTMLResponse(html, headers={"Content-Security-Policy": PAGE_CSP})


async def not_found(request: Request, exc: Exception) -> Response:
    """Any unknown path: 404 with a one-line body."""
    return PlainTextResponse("not found\n", status_code=404)


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: 500 with a one-line body, no traceback."""
    return PlainTextResponse("internal error\n", status_code=500)


async def _checked_answer(request: Request, query: str, format_name: str | None) -> Response:
    state = endpoint(request)
    deadline = asyncio.get_running_loop().time() + state.settings.timeout
    try:
        form = await _checked(state, query, deadline)
    except Unavailable as error:
        return _unavailable(error)
    except QueryError as error:
        return PlainTextResponse(f"{error}\n", status_code=400)
    graph = form in ("CONSTRUCT", "DESCRIBE")
    media_type = negotiate(request.headers.get("accept"), graph, format_name)
    if media_type is None:
        return _unacceptable(graph=graph)
    kept = state.cache.get(answer_key("sparql", {"text": query}, media_type))
    if kept is not None:
        return _answered(request, kept)
    return await _answer(request, state, "sparql", {"text": query}, media_type, deadline)


async def _answer(
    request: Request,
    state: Endpoint,
    kind: str,
    payload: dict[str, Any],
    media_type: str,
    deadline: float,
) -> Response:
    """Run a request on a query worker and keep its answer; the answer, or the error as a
    one-line body."""
    try:
        answer = await state.pool.run(kind, payload, media_type, deadline=deadline)
    except Unavailable as error:
        return _unavailable(error)
    except QueryError as error:
        return PlainTextResponse(f"{error}\n", status_code=400)
    except ActorGraphError:
        return PlainTextResponse("internal error\n", status_code=500)
    return _answered(request, state.cache.put(answer_key(kind, payload, media_type), answer))


def _unavailable(error: Unavailable) -> Response:
    """503 with the reason as a one-line body, and when trying again may help."""
    retry = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
    return PlainTextResponse(f"{error}\n", status_code=503, headers=retry)


def _answered(request: Request, kept: Kept) -> Response:
    """An answer with its validator (clients revalidate: ``no-cache``), or 304 Not Modified
    when a GET already holds it (``If-None-Match``)."""
    headers = {"ETag": kept.etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if request.method in ("GET", "HEAD") and _matches(request.headers.get("if-none-match"), kept):
        return Response(status_code=304, headers=headers)
    if kept.answer.truncated:
        headers["X-Actorgraph-Truncated"] = "true"
    return Response(kept.answer.body, media_type=kept.answer.media_type, headers=headers)


def _matches(if_none_match: str | None, kept: Kept) -> bool:
    """Whether an ``If-None-Match`` header names the kept answer's entity tag (or ``*``)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or kept.etag in tags


def _unacceptable(*, graph: bool) -> Response:
    """406, naming the formats the query's answer comes in (rows, or a graph).

    >>> answer = _unacceptable(graph=True)
    >>> answer.status_code, b"format= takes turtle, ntriples or jsonld" in answer.body
    (406, True)
    """
    offered = GRAPH_TYPES if graph else ROW_TYPES
    names = [name for name, media_type in FORMAT_NAMES.items() if media_type in offered]
    return PlainTextResponse(
        "no acceptable result format for this query: format= takes "
        f"{_either(names)} (Accept: {_either(list(offered))})\n",
        status_code=406,
    )


def _either(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" or {items[-1]}"


async def _checked(state: Endpoint, query: str, deadline: float) -> str:
    """The query's form once the read-only check has passed, within the query time limit. A
    text of at most :data:`CHECKED_HERE` characters is checked on a thread of this process (a
    few hundredths of a second at most); a longer one in a query worker, where the limit stops
    the check (a thread cannot be stopped) and the queue bounds how many run at once."""
    if len(query) > CHECKED_HERE:
        answer = await state.pool.run("check", {"text": query}, "text/plain", deadline=deadline)
        return answer.body.decode()
    limit = state.settings.timeout
    try:
        async with asyncio.timeout_at(deadline):
            shape: QueryShape = await run_in_threadpool(check_read_only, query)
    except TimeoutError:
        raise QueryError(f"checking the query took over the {limit:g} s limit") from None
    return shape.form


async def _unless_gone(request: Request, work: Awaitable[Response]) -> Response:
    """The response ``work`` makes, or none once the client has closed its connection: the
    work is then cancelled (a query waiting for a worker never runs, a running one has its
    worker stopped)."""
    task = asyncio.current_task()
    assert task is not None  # a handler runs in a task
    answered = False

    def stop(watcher: asyncio.Future[None]) -> None:
        if not answered and not watcher.cancelled():
            task.cancel()

    gone = asyncio.ensure_future(_disconnected(request))
    gone.add_done_callback(stop)
    try:
        return await work
    except asyncio.CancelledError:
        if not gone.done() or gone.cancelled():
            raise  # cancelled from outside: the server is stopping
        task.uncancel()
        return PlainTextResponse("the client closed the connection\n", status_code=503)
    finally:
        answered = True
        gone.cancel()


async def _disconnected(request: Request) -> None:
    """Return once the client has closed its connection (the request's body read or not)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
