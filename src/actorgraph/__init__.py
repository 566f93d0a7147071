"""actorgraph: actor-relationship knowledge graphs where every edge carries its evidence.

>>> from actorgraph import ActorGraph
>>> kg = ActorGraph.load()
>>> kg.actor("IS-KP").id
'isk'
"""

from .build import BuildResult, GraphFormat
from .errors import ActorGraphError, GraphFileError, QueryError, UnknownActorError, ValidationError
from .graph import ActorGraph
from .model import Actor, Evidence, Stance, Statement
from .results import Rows
from .validate import Problem, Report

__all__ = [
    "Actor",
    "ActorGraph",
    "ActorGraphError",
    "BuildResult",
    "Evidence",
    "GraphFileError",
    "GraphFormat",
    "Problem",
    "QueryError",
    "Report",
    "Rows",
    "Stance",
    "Statement",
    "UnknownActorError",
    "ValidationError",
]

__version__ = "0.1.0"
