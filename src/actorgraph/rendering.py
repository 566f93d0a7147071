"""Results as HTTP bodies: the media types the SPARQL endpoint and query URLs can answer with.

>>> from actorgraph import ActorGraph
>>> body, media_type, truncated = render_answer(
...     ActorGraph.load().sparql("ASK { act:isk ?p ?o }"), "application/sparql-results+json", 10)
>>> media_type, truncated, b'"boolean": true' in body
('application/sparql-results+json', False, True)
"""

from __future__ import annotations

import pyoxigraph as ox

from .errors import QueryError
from .output import OutputFormat, render
from .results import Rows

__all__ = ["GRAPH_TYPES", "ROW_TYPES", "negotiate", "render_answer"]

#: Media types for SELECT and ASK results (first: the default).
ROW_TYPES = {
    "application/sparql-results+json": OutputFormat.SPARQL_JSON,
    "application/sparql-results+xml": OutputFormat.SPARQL_XML,
    "text/csv": OutputFormat.SPARQL_CSV,
    "text/tab-separated-values": OutputFormat.SPARQL_TSV,
    "application/json": OutputFormat.JSON,
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
        rows = Rows(rows.variables, list(rows.terms)[:max_rows], form=rows.form)
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
