"""Results as HTTP bodies: the media types the SPARQL endpoint and query URLs can answer with.

SELECT and ASK results in the SPARQL results formats are written by the engine from its own
results (:func:`write_results`); the rest from :class:`~actorgraph.results.Rows`
(:func:`render_answer`). Both cut a result to the row cap and say when they did.

>>> from actorgraph import ActorGraph
>>> body, media_type, truncated = render_answer(
...     ActorGraph.load().sparql("ASK { act:isk ?p ?o }"), "application/sparql-results+json", 10)
>>> media_type, truncated, b'"boolean": true' in body
('application/sparql-results+json', False, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import IO, cast

import pyoxigraph as ox

from .errors import QueryError
from .output import OutputFormat, render
from .results import Rows

__all__ = [
    "ENGINE_TYPES",
    "GRAPH_TYPES",
    "ROW_TYPES",
    "negotiate",
    "render_answer",
    "write_results",
]

#: Media types for SELECT and ASK results (first: the default).
ROW_TYPES = {
    "application/sparql-results+json": OutputFormat.SPARQL_JSON,
    "application/sparql-results+xml": OutputFormat.SPARQL_XML,
    "text/csv": OutputFormat.SPARQL_CSV,
    "text/tab-separated-values": OutputFormat.SPARQL_TSV,
    "application/json": OutputFormat.JSON,
}
#: The SPARQL results media types that :func:`write_results` writes from the engine's results.
ENGINE_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: Media types for CONSTRUCT and DESCRIBE results (first: the default).
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": None,  # written by rdflib with an inline context
}
#: Short names for the ``format`` URL parameter.
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "objects": "application/json",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


def negotiate(accept: str | None, graph: bool, format_name: str | None = None) -> str | None:
    """The media type to answer with, from a ``format`` name or an Accept header; None: 406."""
    offered = GRAPH_TYPES if graph else ROW_TYPES
    if format_name:
        media_type = FORMAT_NAMES.get(format_name)
        return media_type if media_type in offered else None
    default = next(iter(offered))
    if not accept:
        return default
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media_type, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media_type.strip().lower()))
    for quality, _, media_type in sorted(ranked):
        if quality == 0:
            continue
        if media_type in offered:
            return media_type
        if graph and media_type == "application/rdf+xml":
            return None
        if media_type in ("*/*", "application/*", "text/*"):
            return default
    return None


def render_answer(rows: Rows, media_type: str, max_rows: int) -> tuple[bytes, str, bool]:
    """Render ``rows`` (cut to ``max_rows``) as ``media_type``."""
    truncated = len(rows.terms) > max_rows
    if truncated:
        rows = replace(rows, terms=list(rows.terms)[:max_rows])
    if rows.form == "CONSTRUCT":
        if media_type not in GRAPH_TYPES:
            raise QueryError("graph results are served as Turtle, N-Triples or JSON-LD")
        triples = [ox.Triple(*row) for row in rows.terms]  # type: ignore[arg-type]
        if GRAPH_TYPES[media_type] is None:
            from .namespaces import PREFIXES
            from .store import to_rdflib

            text = to_rdflib(triples).serialize(format="json-ld", context=dict(PREFIXES))
            return text.encode("utf-8"), media_type, truncated
        body = ox.serialize(triples, format=GRAPH_TYPES[media_type])
        assert body is not None  # returned, not written: no output was given
        return body, media_type, truncated
    if media_type not in ROW_TYPES:
        raise QueryError("SELECT and ASK results are served as SPARQL JSON, XML, CSV or TSV")
    return render(rows, ROW_TYPES[media_type]).encode("utf-8"), media_type, truncated


def write_results(
    results: Iterable[ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples],
    media_type: str,
    max_rows: int,
) -> tuple[bytes, str, bool]:
    """Write the engine's results of one query's runs as ``media_type`` (one of
    :data:`ENGINE_TYPES`), in the engine's own writers: rows are never read into Python terms.

    As :meth:`~actorgraph.ActorGraph.query` and :func:`render_answer` give them: the rows of
    each run in turn, each row once when there are several runs (an ASK: the first run's
    answer), at most ``max_rows`` of them; the flag says whether the cap cut some off. Each run
    is read to ``max_rows + 1`` rows at most, so a huge result is never computed to its end.

    >>> store = ox.Store()
    >>> body, _, truncated = write_results(
    ...     [store.query("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")], "text/csv", 2)
    >>> body, truncated
    (b'n\\r\\n1\\r\\n2\\r\\n', True)
    """
    format = ENGINE_TYPES[media_type]
    header, rows, seen, runs = b"", [], set(), 0
    for result in results:
        runs += 1
        if isinstance(result, ox.QueryBoolean):
            if runs == 1:
                answer = result.serialize(format=format)
                assert answer is not None  # returned, not written: no output was given
                return answer, media_type, False
            continue
        if isinstance(result, ox.QueryTriples):
            raise QueryError("graph results are served as Turtle, N-Triples or JSON-LD")
        header, lines = _tsv_rows(result, max_rows + 1)
        del result  # pyoxigraph's results are dropped on the thread that made them
        if runs == 1:
            rows, seen = lines, set(lines)
        else:  # several runs: each row once, in order
            for line in lines:
                if line not in seen:
                    seen.add(line)
                    rows.append(line)
        if len(rows) > max_rows:
            break
    truncated = len(rows) > max_rows
    tsv = b"\n".join([header, *rows[:max_rows]]) + b"\n"
    if format == ox.QueryResultsFormat.TSV:
        return tsv, media_type, truncated
    body = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=format)
    assert body is not None  # returned, not written: no output was given
    return body, media_type, truncated


class _Full(Exception):
    """Raised into the engine's writer to stop it: enough rows are written."""


class _Lines:
    """A binary output for the engine's TSV writer that stops it once ``limit`` lines are
    complete. TSV writes one line per row (line breaks in literals are escaped)."""

    def __init__(self, limit: int) -> None:
        self.chunks: list[bytes] = []
        self.limit, self.count = limit, 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.count += data.count(b"\n")
        if self.count >= self.limit:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass


def _tsv_rows(result: ox.QuerySolutions, limit: int) -> tuple[bytes, list[bytes]]:
    """The TSV header line of a result and up to ``limit`` of its row lines."""
    output = _Lines(limit + 1)  # and the header
    try:
        # the writer needs only write(): the stubs ask for a whole IO
        result.serialize(cast("IO[bytes]", output), format=ox.QueryResultsFormat.TSV)
    except _Full:
        pass
    finally:
        del result
    header, *rows = b"".join(output.chunks).split(b"\n")[:-1]  # the last piece: unfinished
    return header, rows[:limit]
