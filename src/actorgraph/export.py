"""Exports for other tools: Gephi (GraphML, GEXF), Cytoscape, spreadsheets (CSV), RDF.

Network formats carry one edge per statement, with every attribute a scalar (lists joined
with " | ", missing values left out) so that Gephi and Cytoscape can read them. Every edge keeps
what its claim is (stance, basis, polarity, who asserts and who contests it, ``against``, its
dates), and its ``sign`` is what the claim counts as in the signed view: 0 for an inference, an
open question, a negated or a denied claim (``relation_sign`` keeps the relation type's own).
In GEXF the edges' ``start`` and ``end`` are Gephi's timeline, so there they hold each claim's
period (see :func:`gexf_graph`) and the quote's offsets are ``quote_start`` and ``quote_end``.

>>> import tempfile, pathlib
>>> from actorgraph import ActorGraph
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in export(ActorGraph.load(), folder / "isk", ExportFormat.CSV)]
['nodes.csv', 'edges.csv']
"""

from __future__ import annotations

import csv
import enum
import functools
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .build import GraphFormat, serialize
from .errors import ActorGraphError, QueryError
from .files import atomic_write, in_existing_folder
from .model import Stance
from .namespaces import shorten
from .output import spreadsheet_text
from .xmltext import check_xml_texts

if TYPE_CHECKING:
    import networkx as nx

    from .graph import ActorGraph

__all__ = ["ExportFormat", "check_output", "export", "gexf_graph", "scalar_graph"]

NODE_COLUMNS = ("id", "iri", "label", "kind", "aliases")
#: The edge file's columns: what each claim is (stance, basis, polarity, who asserts and who
#: contests it, whom it is directed against, its dates) travels with it, and ``sign`` is what it
#: counts as in the signed view (:func:`~actorgraph.network.claim_sign`).
EDGE_COLUMNS = (
    "id", "source", "target", "relation", "sign", "relation_sign", "signed_weight", "own_voice",
    "stance", "basis", "polarity", "asserted_by", "contested_by", "against", "valid_from",
    "valid_until", "attested_at", "quote", "source_document", "start", "end", "statement",
)  # fmt: skip


class ExportFormat(enum.Enum):
    """Export formats (value: the file extension; CSV writes a folder of two files).

    >>> ExportFormat.parse("GraphML"), ExportFormat.parse("turtle")
    (<ExportFormat.GRAPHML: 'graphml'>, <ExportFormat.TURTLE: 'ttl'>)
    """

    GRAPHML = "graphml"
    GEXF = "gexf"
    CYTOSCAPE = "cytoscape"
    CSV = "csv"
    JSONLD = "jsonld"
    NTRIPLES = "nt"
    TURTLE = "ttl"

    @classmethod
    def parse(cls, value: str | ExportFormat) -> ExportFormat:
        """A format from its value (``graphml``, ``ttl``) or name (``TURTLE``), any case."""
        if isinstance(value, cls):
            return value
        wanted = str(value).strip().casefold()
        for member in cls:
            if wanted in (member.value, member.name.casefold()):
                return member
        known = ", ".join(m.value for m in cls)
        raise QueryError(f"parameter 'format': unknown export format {value!r}; one of {known}")


#: The file name suffixes each format's files go by; a suffix of another format is refused
#: (Gephi reads a file by its suffix), one no format uses is the user's choice.
SUFFIXES = {
    ExportFormat.GRAPHML: (".graphml", ".xml"),
    ExportFormat.GEXF: (".gexf",),
    ExportFormat.CYTOSCAPE: (".cytoscape", ".cyjs", ".json"),
    ExportFormat.CSV: (),
    ExportFormat.JSONLD: (".jsonld", ".json"),
    ExportFormat.NTRIPLES: (".nt",),
    ExportFormat.TURTLE: (".ttl",),
}

_RDF = {
    ExportFormat.JSONLD: GraphFormat.JSONLD,
    ExportFormat.NTRIPLES: GraphFormat.NTRIPLES,
    ExportFormat.TURTLE: GraphFormat.TURTLE,
}


def export(
    kg: ActorGraph,
    path: str | Path,
    format: ExportFormat | str,
    *,
    as_of: str | None = None,
    stances: Iterable[str | Stance] | None = None,
    relations: Iterable[str] | None = None,
) -> list[Path]:
    """Write ``kg`` to ``path`` in ``format``; returns the files written.

    Network formats can be narrowed with ``as_of``, ``stances`` and ``relations``; RDF formats
    are the whole graph. Nothing is left behind if writing fails. A ``path`` whose suffix is
    another format's (``out.gexf`` for GraphML) is refused, and so is a CSV ``path`` that is
    not a folder (``edges.csv``): CSV writes ``nodes.csv`` and ``edges.csv`` into a folder. A
    device or pipe (``/dev/stdout``) is written directly, as it cannot be replaced whole.
    """
    path, format = Path(path), ExportFormat.parse(format)
    if format in _RDF:
        if as_of is not None or stances is not None or relations is not None:
            raise QueryError(
                "RDF exports are the whole graph; as_of, stances and relations apply to the "
                "network formats"
            )
        check_output(path, format)
        return [atomic_write(path, serialize(kg, _RDF[format]))]
    import networkx as nx

    from .network import to_networkx

    check_output(path, format)
    graph = scalar_graph(to_networkx(kg, as_of=as_of, stances=stances, relations=relations))
    if format is ExportFormat.CSV:
        return _write_csv(graph, path)
    if format is ExportFormat.CYTOSCAPE:
        data = nx.cytoscape_data(graph)
        return [atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1))]
    check_xml_texts(_texts(graph), "GEXF" if format is ExportFormat.GEXF else "GraphML")
    if format is ExportFormat.GEXF:
        timeline = gexf_graph(graph)
        return [atomic_write(path, lambda target: nx.write_gexf(timeline, target))]
    return [atomic_write(path, lambda target: nx.write_graphml(graph, target))]


def _texts(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str]]:
    """Where each text of the network is (``node NAME label``) and the text."""
    for node, data in graph.nodes(data=True):
        for name, value in data.items():
            if isinstance(value, str):
                yield f"node {shorten(str(node))} {name}", value
    for _, _, key, data in graph.edges(keys=True, data=True):
        for name, value in data.items():
            if isinstance(value, str):
                yield f"edge {shorten(str(key))} {name}", value


def check_output(path: Path, format: ExportFormat) -> None:
    """Refuse an output ``path`` that would mislead: another format's suffix, or for CSV (a
    folder of two files) a file name or an existing file; raises :class:`QueryError`.

    >>> check_output(Path("isk.gexf"), ExportFormat.GRAPHML)
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: isk.gexf: .gexf is the suffix of gexf files, not graphml; \
name it .graphml or choose that format
    """
    in_existing_folder(path)
    suffix = path.suffix.lower()
    if format is ExportFormat.CSV:
        if suffix == ".csv" or (path.exists() and not path.is_dir()):
            raise QueryError(
                f"{path}: csv writes two files, nodes.csv and edges.csv, into a folder; "
                "give a folder (e.g. isk-csv)"
            )
        return
    if suffix in SUFFIXES[format]:
        return
    owner = next((f for f, known in SUFFIXES.items() if suffix in known), None)
    if owner is None and suffix != ".csv":
        return
    name = "csv" if owner is None else owner.value
    raise QueryError(
        f"{path}: {suffix} is the suffix of {name} files, not {format.value}; "
        f"name it {SUFFIXES[format][0]} or choose that format"
    )


def gexf_graph(
    graph: nx.MultiDiGraph, attested: dict[str, str | None] | None = None
) -> nx.MultiDiGraph:
    """A copy of a :func:`scalar_graph` for GEXF, whose edge ``start`` and ``end`` Gephi reads as
    the time the edge exists: the first day of ``valid_from`` and the last of ``valid_until``
    (GEXF ``date`` syntax, yyyy-mm-dd; an open end stays open), or for a claim with no period
    the date it is attested at (its ``attested_at``, or ``attested`` by edge key, which is
    then kept as ``attested_at``).
    Undated claims get neither, so they hold all the time. The quote's offsets become
    ``quote_start`` and ``quote_end``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", key="s1", valid_from="2015", valid_until="2021-02", start=7, end=9)
    >>> gexf_graph(g).edges["a", "b", "s1"]
    {'valid_from': '2015', 'valid_until': '2021-02', 'quote_start': 7, 'quote_end': 9, \
'start': '2015-01-01', 'end': '2021-02-28'}
    """
    from .periods import period_bounds

    timeline = graph.copy()
    for _, _, key, data in timeline.edges(keys=True, data=True):
        for offset in ("start", "end"):
            if offset in data:
                data[f"quote_{offset}"] = data.pop(offset)
        when = (attested or {}).get(key, data.get("attested_at"))
        if when is not None:
            data["attested_at"] = when
        first, last = data.get("valid_from"), data.get("valid_until")
        if first is None and last is None and when is not None:
            first = last = when
        if first is not None:
            data["start"] = period_bounds(str(first))[0]
        if last is not None:
            data["end"] = period_bounds(str(last))[1]
    return timeline


def scalar_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with lists joined by " | " and missing values dropped; each edge gets an ``id``."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_scalars(data))
    for source, target, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, id=key, **_scalars(data))
    return flat


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    flat = {}
    for name, value in data.items():
        if value is None:
            continue
        flat[name] = " | ".join(map(str, value)) if isinstance(value, list | tuple) else value
    return flat


def _write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    def nodes(out: TextIO) -> None:
        writer = csv.writer(out)
        writer.writerow(NODE_COLUMNS)
        for node, data in graph.nodes(data=True):
            cells = [node, *(data.get(c, "") for c in ("iri", "label", "kind", "aliases"))]
            writer.writerow([spreadsheet_text(cell) for cell in cells])

    def edges(out: TextIO) -> None:
        writer = csv.writer(out)
        writer.writerow(EDGE_COLUMNS)
        for source, target, key, data in graph.edges(keys=True, data=True):
            row = {
                **data,
                "id": key,
                "source": source,
                "target": target,
                "source_document": data.get("source"),
            }
            writer.writerow(
                ["" if row.get(c) is None else spreadsheet_text(row.get(c)) for c in EDGE_COLUMNS]
            )

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ActorGraphError(f"{folder}: cannot create folder: {error.strerror}") from None
    written = []
    for name, fill in (("nodes.csv", nodes), ("edges.csv", edges)):
        written.append(atomic_write(folder / name, functools.partial(_text, fill=fill)))
    return written


def _text(target: Path, fill: Callable[[TextIO], None]) -> None:
    # utf-8-sig so that spreadsheet programs detect the encoding of names such as "Sinirlioğlu"
    with open(target, "w", encoding="utf-8-sig", newline="") as out:
        fill(out)
