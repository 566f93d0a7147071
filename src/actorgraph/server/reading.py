"""The query text of a SPARQL 1.1 Protocol request: GET, POST URL-encoded or POST direct,
within a body limit, refusing updates and requests that name their own dataset.

>>> refuse_dataset({"query": "ASK {}"})  # nothing to refuse
>>> refuse_dataset({"default-graph-uri": "https://example.org/g"})
Traceback (most recent call last):
...
actorgraph.errors.QueryError: this endpoint serves one default graph: default-graph-uri and ...
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from ..errors import QueryError

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["TooLarge", "once", "read_query", "refuse_dataset"]

_DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")


class TooLarge(Exception):
    """The request body is over the limit (HTTP 413)."""


async def read_query(request: Request, limit: int) -> tuple[str | None, str | None]:
    """The query text (None: no query) and ``format`` parameter of a SPARQL Protocol request;
    :class:`TooLarge` for a body over ``limit`` bytes, :class:`QueryError` for the rest."""
    once(request.query_params.multi_items())
    format_name = request.query_params.get("format")
    refuse_dataset(request.query_params)
    if request.method in ("GET", "HEAD"):
        if "update" in request.query_params:
            raise QueryError("updates are refused: this endpoint is read-only")
        return request.query_params.get("query"), format_name
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise TooLarge
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
