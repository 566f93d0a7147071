"""Writing the graph out: Turtle, N-Triples and JSON-LD, and the validated build folder.

>>> from actorgraph import ActorGraph
>>> ActorGraph.load().serialize(GraphFormat.TURTLE).startswith(b"@prefix")
True
"""

from __future__ import annotations

import enum
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import ActorGraphError, ValidationError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .graph import ActorGraph
    from .validate import Report

__all__ = ["BuildResult", "GraphFormat", "build", "serialize"]


class GraphFormat(enum.Enum):
    """RDF serialisations the graph can be written in (value: file extension)."""

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and what validation found."""

    folder: Path
    files: tuple[Path, ...]
    report: Report


def serialize(kg: ActorGraph, format: GraphFormat) -> bytes:
    """Serialise every triple of ``kg`` (direct edges included); JSON-LD uses an inline context."""
    if format is GraphFormat.JSONLD:
        graph = kg.store.to_rdflib()
        text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1).encode("utf-8")
    if format is GraphFormat.NTRIPLES:
        return ox.serialize(kg.store.triples(), format=ox.RdfFormat.N_TRIPLES)
    return kg.store.turtle(PREFIXES)


def build(kg: ActorGraph, folder: Path) -> BuildResult:
    """Validate ``kg``; only if valid, write ``graph.ttl``, ``graph.jsonld`` and ``graph.html``.

    Files are written to a temporary folder beside ``folder`` and moved into place at the end,
    so a failed build leaves no partial output.
    """
    report = kg.validate()
    if not report.ok:
        raise ValidationError(report.problems)
    folder = folder.resolve()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ActorGraphError(f"{folder.parent}: cannot create folder: {error.strerror}") from None
    if folder.exists() and not folder.is_dir():
        raise ActorGraphError(f"{folder}: exists and is not a folder")
    staging: Path | None = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        from .view import render_view

        names = []
        for format in (GraphFormat.TURTLE, GraphFormat.JSONLD):
            name = f"graph.{format.value}"
            (staging / name).write_bytes(serialize(kg, format))
            names.append(name)
        (staging / "graph.html").write_text(render_view(kg), encoding="utf-8")
        names.append("graph.html")
        folder.mkdir(exist_ok=True)
        for name in names:
            os.replace(staging / name, folder / name)
    except OSError as error:
        raise ActorGraphError(f"{folder}: cannot write build output: {error.strerror}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(folder, tuple(folder / n for n in names), report)
