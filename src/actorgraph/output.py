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
from collections.abc import Sequence
from dataclasses import replace

import pyoxigraph as ox

from .errors import QueryError, inert
from .namespaces import shorten
from .results import Rows, to_python
from .store import rdflib_term

__all__ = ["OutputFormat", "narrow", "present", "qualified_stances", "render"]

_MIN_WIDTH = 8  # a cut column keeps at least this much (or its header, if longer)
_COMFORTABLE = 14  # columns are hidden, rightmost first, until each shown has this much


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


def render(rows: Rows, format: OutputFormat, *, width: int | None = None) -> str:
    """The rows as text in ``format``; JSON and CSV keep full IRIs, the table shortens them.

    Given a ``width`` (a terminal's), a table shows the query's chosen columns
    (:attr:`Rows.shown`), hides columns from the right until each has room, cuts the widest
    cells to fit with "…", and names what it left out on its last line.

    JSON gives list columns as lists and unbound values as null; CSV and tables keep the text."""
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
        for row in rows.terms:
            writer.writerow(_csv_cell(to_python(term)) for term in row)
        return buffer.getvalue()
    return _table(rows, width)


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
    return str(value).lower() if isinstance(value, bool) else spreadsheet_text(value)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A CSV cell a spreadsheet shows as the text it is: text that would start a formula
    (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe, as
    spreadsheets themselves write it; numbers and other text are kept as they are.

    >>> print(spreadsheet_text("=SUM(A1:A9)"), spreadsheet_text("IS-K"), spreadsheet_text(-3))
    '=SUM(A1:A9) IS-K -3
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


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


def present(
    rows: Rows,
    format: OutputFormat,
    *,
    columns: Sequence[str] = (),
    limit: int | None = None,
    width: int | None = None,
) -> str:
    """:func:`narrow` the rows to ``columns`` and ``limit``, then :func:`render` them. A table
    marks a claim that is not a plain one in its ``stance`` cell (see :func:`qualified_stances`),
    whichever columns are shown."""
    if format is OutputFormat.TABLE:
        rows = qualified_stances(rows)
    return render(narrow(rows, columns, limit), format, width=width)


#: How a table names a claim's basis or polarity that is not the plain one.
_QUALIFIERS = {"Inferred": "inferred", "OpenQuestion": "question", "Negative": "negated"}


def qualified_stances(rows: Rows) -> Rows:
    """Rows whose ``stance`` says, first, what else a claim is when its ``basis`` or
    ``polarity`` column is not the plain one (Stated, Positive): ``question · ag:Asserted``,
    ``inferred · ag:Hedged``, ``negated · ag:Asserted``; so a table never shows an open question,
    an inference or a negated claim as a plain asserted tie, even when those columns are hidden.
    Rows without those columns are returned as they are.

    >>> ag = "https://w3id.org/actorgraph/ontology#"
    >>> rows = Rows.from_values(["stance", "basis", "polarity"],
    ...                         [(ag + "Asserted", ag + "OpenQuestion", ag + "Positive")])
    >>> print(render(qualified_stances(rows), OutputFormat.TABLE).splitlines()[2])
    question · ag:Asserted  ag:OpenQuestion  ag:Positive
    """
    names = list(rows.variables)
    marks = [names.index(c) for c in ("basis", "polarity") if c in names]
    if "stance" not in names or not marks:
        return rows
    stance = names.index("stance")
    changed = []
    for row in rows.terms:
        found = [_QUALIFIERS.get(_term_name(row[i]), "") for i in marks]
        qualifiers = " · ".join(q for q in found if q)
        if qualifiers and row[stance] is not None:
            text = f"{qualifiers} · {to_python(row[stance])}"
            row = (*row[:stance], ox.Literal(text), *row[stance + 1 :])
        changed.append(row)
    return replace(rows, terms=changed)


def _term_name(term: object) -> str:
    value = to_python(term) if isinstance(term, ox.NamedNode | ox.Literal) else None
    return "" if value is None else str(value).rsplit("#", 1)[-1]


def narrow(rows: Rows, columns: Sequence[str] = (), limit: int | None = None) -> Rows:
    """The rows with only ``columns`` (in that order; none: all) and at most ``limit`` of them.

    >>> rows = Rows(["a", "b"], [(ox.Literal(1), ox.Literal(2)), (ox.Literal(3), ox.Literal(4))])
    >>> narrow(rows, ["b"], limit=1).dicts()
    [{'b': 2}]
    """
    unknown = [c for c in columns if c not in rows.variables]
    if unknown:
        raise QueryError(
            f"--columns: no column {unknown[0]!r} in this result "
            f"(columns: {', '.join(rows.variables) or 'none'})"
        )
    terms = rows.terms if limit is None else rows.terms[:limit]
    if not columns:
        return replace(rows, terms=list(terms))
    index = [list(rows.variables).index(c) for c in columns]
    chosen = [tuple(t[i] for i in index) for t in terms]
    return replace(rows, variables=list(columns), terms=chosen, shown=())


def _table(rows: Rows, width: int | None = None) -> str:
    hidden: list[str] = []
    if width is not None and rows.shown:
        hidden = [v for v in rows.variables if v not in rows.shown]
        rows = narrow(rows, [v for v in rows.shown if v in rows.variables])
    header = list(rows.variables)
    body = [[inert(" ".join(_short(term).split())) for term in row] for row in rows.terms]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    if width is not None:
        floors = [min(w, max(len(h), _MIN_WIDTH)) for w, h in zip(widths, header, strict=True)]
        easy = [min(w, max(f, _COMFORTABLE)) for w, f in zip(widths, floors, strict=True)]
        keep = list(range(len(header)))
        while len(keep) > 1 and sum(easy[i] for i in keep) + 2 * (len(keep) - 1) > width:
            keep.pop(-2)  # columns give way from the right, but the last (the quote) stays
        hidden[:0] = [h for i, h in enumerate(header) if i not in keep]
        header = [header[i] for i in keep]
        body = [[row[i] for i in keep] for row in body]
        widths = _fit([widths[i] for i in keep], [floors[i] for i in keep], width)
    lines = [
        "  ".join(_cut(h, w).ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in body:
        cells = zip(row, widths, strict=True)
        lines.append("  ".join(_cut(c, w).ljust(w) for c, w in cells).rstrip())
    if hidden:
        lines.append(_hidden_note(hidden, width))
    return "\n".join(lines) + "\n"


def _hidden_note(hidden: list[str], width: int | None) -> str:
    """The table's last line, naming the hidden columns whole: as many as fit, then "…".

    >>> _hidden_note(["statement", "subject", "basis", "polarity"], 60)
    '(+4 columns: statement, subject, basis, …) --wide shows all'
    """
    if not width:
        return f"(+{len(hidden)} columns: {', '.join(hidden)})"
    tail = " --wide shows all"
    for shown in range(len(hidden), -1, -1):
        names = hidden[:shown] + (["…"] if shown < len(hidden) else [])
        note = f"(+{len(hidden)} columns: {', '.join(names)}){tail}"
        if len(note) <= width:
            return note
    return _cut(f"(+{len(hidden)} columns){tail}", width)


def _fit(widths: list[int], floors: list[int], total: int) -> list[int]:
    """Column widths that fit ``total`` characters. The widest columns give way first, down to
    a comfortable width, then the last column (most often the quote, which reads well cut),
    then all down to their floors (header or :data:`_MIN_WIDTH`, or content if shorter)."""
    fitted = list(widths)
    excess = sum(fitted) + 2 * (len(fitted) - 1) - total
    last = len(fitted) - 1
    comfortable = [max(f, min(w, _COMFORTABLE)) for w, f in zip(widths, floors, strict=True)]
    for limits, columns in (
        (comfortable, range(last)),
        (floors, [last]),
        (floors, range(len(fitted))),
    ):
        while excess > 0:
            widest = max(columns, key=lambda i: fitted[i] - limits[i])
            room = fitted[widest] - limits[widest]
            if room <= 0:
                break
            others = [fitted[i] for i in columns if i != widest]
            step = min(excess, room, max(1, fitted[widest] - max(others, default=0)))
            fitted[widest] -= step
            excess -= step
    return fitted


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
