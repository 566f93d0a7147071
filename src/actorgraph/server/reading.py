"""The query text of a SPARQL 1.1 Protocol request: GET, POST URL-encoded or POST direct,
within a body limit, refusing updates and requests that name their own dataset.

>>> refuse_dataset({"query": "ASK {}"})  # nothing to refuse
>>> refuse_dataset({"default-graph-uri": "https://example.org/g"})
Traceback (most recent call last):
...
actorgraph.errors.QueryError: this endpoint serves one default graph: default-graph-uri and ...
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect

from ..errors import QueryError

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = [
    "TooLarge", "TooSlow", "form_items", "once", "read_body", "read_query", "refuse_dataset",
    "url_parameters",
]  # fmt: skip

_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


class TooLarge(Exception):
    """The request body is over the limit (HTTP 413)."""


class TooSlow(Exception):
    """The request body did not arrive within its deadline (HTTP 408), or its client left."""


async def read_query(
    request: Request, limit: int, timeout: float | None = None
) -> tuple[str | None, str | None]:
    """The query text (None: no query) and ``format`` parameter of a SPARQL Protocol request;
    :class:`TooLarge` for a body over ``limit`` bytes, :class:`TooSlow` for one not whole
    within ``timeout`` seconds, :class:`QueryError` for the rest (a parameter given twice, or
    in the URL and the body; text that is not UTF-8)."""
    url = once(url_parameters(request))
    format_name = url.get("format")
    refuse_dataset(url)
    if request.method in ("GET", "HEAD"):
        if "update" in url:
            raise QueryError("updates are refused: this endpoint is read-only")
        return url.get("query"), format_name
    if "update" in url:
        raise QueryError("updates are refused: this endpoint is read-only")
    if "query" in url:  # a proxy or log reading the URL would see another query than the one run
        raise QueryError("give exactly one query: a POST carries it in the body, not the URL")
    body = await read_body(request, limit, timeout)
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
        form: dict[str, list[str]] = {}
        for name, value in form_items(text):
            form.setdefault(name, []).append(value)
        refuse_dataset(form)
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


async def read_body(request: Request, limit: int, timeout: float | None = None) -> bytes:
    """The request's body, :class:`TooLarge` as soon as it is known to be over ``limit``
    bytes: from its declared ``Content-Length``, else while it arrives (never read whole);
    :class:`TooSlow` if it is not whole within ``timeout`` seconds (a client that sends a few
    bytes and waits would hold its connection for ever) or its client leaves first."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                body.extend(chunk)
                if len(body) > limit:
                    raise TooLarge
    except (TimeoutError, ClientDisconnect):
        raise TooSlow from None
    return bytes(body)


def url_parameters(request: Request) -> list[tuple[str, str]]:
    """The parameters of the request's URL, in order; one whose text is not UTF-8 is an
    error naming it (Starlette's ``query_params`` would put U+FFFD in its place)."""
    query: bytes = request.scope.get("query_string", b"")
    return form_items(query.decode("utf-8", errors="surrogateescape"))


def form_items(text: str) -> list[tuple[str, str]]:
    """The parameters of URL-encoded ``text``; one not UTF-8 once decoded is an error.

    >>> form_items("query=ASK%7B%7D&format=json")
    [('query', 'ASK{}'), ('format', 'json')]
    >>> form_items("text=%FF")
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: parameter 'text' is not UTF-8 (percent-encode its text as UTF-8)
    """
    items = parse_qsl(text, keep_blank_values=True, errors="surrogateescape")
    for name, value in items:
        try:
            name.encode("utf-8")
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = name.encode("utf-8", errors="backslashreplace").decode("ascii", "replace")
            raise QueryError(
                f"parameter {shown!r} is not UTF-8 (percent-encode its text as UTF-8)"
            ) from None
    return items


def once(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """URL parameters as a dict; one given more than once is an error (which would count?).

    >>> once([("actor", "IS-K"), ("actor", "TTP")])
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: parameter 'actor' is given twice
    """
    found: dict[str, str] = {}
    for name, value in items:
        if name in found:
            raise QueryError(f"parameter {name!r} is given twice")
        found[name] = value
    return found


def refuse_dataset(parameters: Iterable[str]) -> None:
    """Refuse a request that names its own dataset: this endpoint serves one graph."""
    if any(name in _DATASET_PARAMETERS for name in parameters):
        raise QueryError(
            "this endpoint serves one default graph: default-graph-uri and named-graph-uri "
            "are not supported"
        )
