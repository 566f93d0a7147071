"""Rendering query results as a text table, CSV or JSON.

>>> import pyoxigraph as ox
>>> rows = Rows(["actor"], [(ox.NamedNode("https://w3id.org/actorgraph/actor/isk"),)])
>>> print(render(rows, OutputFormat.TABLE), end="")
actor
-------
act:isk
>>> render(rows, OutputFormat.JSON)
'[\\n  {\\n    "actor": "https://w3id.org/actorgraph/actor/isk"\\n  }\\n]\\n'
"""

from __future__ import annotations

import csv
import enum
import io
import json

import pyoxigraph as ox

from .errors import QueryError
from .namespaces import shorten
from .results import Rows, to_python
from .store import rdflib_term

__all__ = ["OutputFormat", "render"]


class OutputFormat(enum.Enum):
    """How rows are printed: an aligned table, CSV, JSON (a list of objects keyed by variable),
    JSON Lines (one object per line, for streaming tools), or a standard SPARQL 1.1 query
    results format."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    SPARQL_JSON = "sparql-json"
    SPARQL_XML = "sparql-xml"
    SPARQL_CSV = "sparql-csv"
    SPARQL_TSV = "sparql-tsv"


_SPARQL_FORMATS = {
    OutputFormat.SPARQL_JSON: ox.QueryResultsFormat.JSON,
    OutputFormat.SPARQL_XML: ox.QueryResultsFormat.XML,
    OutputFormat.SPARQL_CSV: ox.QueryResultsFormat.CSV,
    OutputFormat.SPARQL_TSV: ox.QueryResultsFormat.TSV,
}


def render(rows: Rows, format: OutputFormat) -> str:
    """The rows as text in ``format``; JSON and CSV keep full IRIs, the table shortens them."""
    if format in _SPARQL_FORMATS:
        return _sparql_results(rows, _SPARQL_FORMATS[format])
    if format is OutputFormat.JSON:
        return json.dumps(rows.dicts(), ensure_ascii=False, indent=2) + "\n"
    if format is OutputFormat.JSONL:
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows.dicts())
    if format is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(rows.variables)
        for row in rows.dicts():
            writer.writerow(_csv_cell(v) for v in row.values())
        return buffer.getvalue()
    return _table(rows)


def _sparql_results(rows: Rows, format: ox.QueryResultsFormat) -> str:
    """Serialise with rdflib (SPARQL JSON), then pyoxigraph into the requested format."""
    from rdflib import Variable
    from rdflib.query import Result

    if rows.form == "CONSTRUCT":
        raise QueryError(
            "CONSTRUCT and DESCRIBE results are triples, not SPARQL results: use table, csv or json"
        )
    if any(isinstance(term, ox.Triple) for row in rows.terms for term in row):
        raise QueryError(
            "the result holds an RDF-star triple term, which SPARQL results files here "
            "cannot carry: use table, csv or json"
        )
    result = Result(rows.form)
    if rows.form == "ASK":
        result.askAnswer = bool(to_python(rows.terms[0][0]))
    else:
        result.vars = [Variable(name) for name in rows.variables]
        result.bindings = [
            {
                Variable(name): rdflib_term(term)
                for name, term in zip(rows.variables, row, strict=True)
                if term is not None
            }
            for row in rows.terms
        ]
    as_json = result.serialize(format="json")
    assert as_json is not None  # returned, not written: no destination was given
    if format == ox.QueryResultsFormat.JSON:
        return as_json.decode("utf-8") + "\n"
    parsed = ox.parse_query_results(as_json, format=ox.QueryResultsFormat.JSON)
    text = parsed.serialize(format=format)
    assert text is not None  # returned, not written: no output was given
    return text.decode("utf-8")


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def _short(term: object) -> str:
    """A table cell: IRIs shortened, lists of IRIs in a text (``contestedBy``) too."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    value = to_python(term)  # type: ignore[arg-type]
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return " ".join(
        shorten(word) if word.startswith("https://w3id.org/actorgraph/") else word
        for word in text.split()
    )


def _table(rows: Rows) -> str:
    header = list(rows.variables)
    body = [[_short(term) for term in row] for row in rows.terms]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"
