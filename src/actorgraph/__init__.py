"""actorgraph: actor-relationship knowledge graphs where every edge carries its evidence.

>>> from actorgraph import ActorGraph
>>> kg = ActorGraph.load()
>>> kg.actor("IS-KP").id
'isk'
"""

from typing import TYPE_CHECKING

from .build import BuildResult, GraphFormat
from .errors import ActorGraphError, GraphFileError, QueryError, UnknownActorError, ValidationError
from .export import ExportFormat
from .graph import ActorGraph
from .model import Actor, Basis, Evidence, Polarity, Stance, Statement
from .results import Rows
from .validate import Problem, Report

__all__ = [
    "Actor",
    "ActorGraph",
    "ActorGraphError",
    "Analysis",
    "Basis",
    "BuildResult",
    "Centrality",
    "Evidence",
    "ExportFormat",
    "GraphFileError",
    "GraphFormat",
    "Hop",
    "Polarity",
    "Problem",
    "QueryError",
    "Report",
    "Rows",
    "Stance",
    "Statement",
    "UnknownActorError",
    "ValidationError",
]

__version__ = "0.2.0"

if TYPE_CHECKING:
    from .analysis import Analysis, Centrality, Hop

_LAZY = {"Analysis": "analysis", "Centrality": "analysis", "Hop": "analysis"}


def __getattr__(name: str) -> object:
    # the analysis types need networkx, which most commands never load
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
