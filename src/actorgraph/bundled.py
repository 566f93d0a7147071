"""Where the bundled graph and named queries live, installed or in a source checkout.

>>> (graph_dir() / "ontology.ttl").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

from .errors import ActorGraphError

__all__ = ["BUNDLED", "graph_dir", "queries_dir"]

_PACKAGE = Path(__file__).resolve().parent
#: The name of the bundled graph wherever a graph's files or folders are given (``-g @bundled``,
#: ``ActorGraph.load("@bundled", "my-graph")``): the bundled graph beside the user's folders.
BUNDLED = "@bundled"


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise ActorGraphError(f"bundled {name}/ folder not found; reinstall actorgraph")


def graph_dir() -> Path:
    """The folder of the bundled graph (ontology, shapes, actors, sources, claims)."""
    return _find("graph")


def queries_dir() -> Path:
    """The folder of the bundled named SPARQL queries."""
    return _find("queries")
