"""Finding a graph's Turtle files, and loading them strictly into the embedded store.

Loading is parsing (pyoxigraph, straight from the file's bytes), adding the bundled ontology
when the files do not define it, the literal checks of :func:`~actorgraph.turtle.check_literals`
and deriving the direct edges (:func:`~actorgraph.truthy.materialise`).

>>> inputs = find_inputs([])
>>> sorted(path.name for path in inputs.data_files)[:2], inputs.shapes.name
(['actors.ttl', 'ontology.ttl'], 'shapes.ttl')
>>> store, files = load_files(inputs.data_files)
>>> len(files) == len(inputs.data_files)
True
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .bundled import graph_dir
from .errors import ActorGraphError, GraphFileError
from .store import OxigraphStore
from .truthy import materialise
from .turtle import TurtleFile, check_literals, load_into, read_turtle

__all__ = ["STEPS", "GraphInputs", "find_inputs", "load_files"]

#: The steps of loading and indexing, in order, as ``progress`` callbacks name them.
STEPS = (
    "checking the index",
    "parsing",
    "checking literals and deriving direct edges",
    "writing the index",
    "opening the index",
)
SHAPES = "shapes.ttl"
_DEFINES_ONTOLOGY = """ASK {
  <https://w3id.org/actorgraph/ontology> a <http://www.w3.org/2002/07/owl#Ontology>
}"""


@dataclass(frozen=True)
class GraphInputs:
    """What a graph is loaded from: the paths given, the data files found below them (in
    load order) and the SHACL shapes validation uses (a folder's ``shapes.ttl``, else the
    bundled one)."""

    roots: tuple[Path, ...]
    data_files: tuple[Path, ...]
    shapes: Path


def find_inputs(paths: Iterable[str | Path]) -> GraphInputs:
    """The files of Turtle files and folders (all ``*.ttl`` below them); none: the bundled
    graph. A missing path or a folder without ``.ttl`` files is a one-line error."""
    from .files import graph_files

    bundled = graph_dir()
    roots = tuple(Path(p) for p in paths) or (bundled,)
    data_files: list[Path] = []
    seen: set[Path] = set()
    shapes = bundled / SHAPES
    for root in roots:
        if root.is_dir():
            candidates = graph_files(root, ".ttl")
        elif root.is_file():
            candidates = [root]
        elif root.exists():
            raise GraphFileError(root, None, "not a regular file or folder")
        else:
            raise GraphFileError(root, None, "no such file or folder")
        for path in candidates:
            if path.name == SHAPES:
                shapes = path
            elif path.resolve() not in seen:  # a file named twice (-g g -g g/claims) loads once
                seen.add(path.resolve())
                data_files.append(path)
    if not data_files:
        raise ActorGraphError(f"no .ttl files found in {', '.join(map(str, roots))}")
    return GraphInputs(roots, tuple(data_files), shapes)


def load_files(
    paths: Iterable[Path], progress: Callable[[str], None] | None = None
) -> tuple[OxigraphStore, list[TurtleFile]]:
    """A new in-memory store holding the files, checked and with the direct edges derived,
    and the files as loaded (the bundled ontology first when it was added).

    ``progress`` is called with each step's name (from :data:`STEPS`) as it starts."""
    step = progress or (lambda _: None)
    step("parsing")
    store = OxigraphStore()
    parsed = []
    for path in paths:
        turtle = read_turtle(path)
        load_into(store, turtle)
        parsed.append(turtle)
    if not store.select(_DEFINES_ONTOLOGY, {}).column("result")[0]:
        ontology = read_turtle(graph_dir() / "ontology.ttl")
        load_into(store, ontology)
        parsed.insert(0, ontology)
    step("checking literals and deriving direct edges")
    _checked_while_deriving(store, parsed)
    for turtle in parsed:
        turtle.release()  # read again if a line number is asked for
    return store, parsed


def _checked_while_deriving(store: OxigraphStore, parsed: list[TurtleFile]) -> None:
    """Check the literals on a second thread while the direct edges are derived: pyoxigraph
    lets both run at once (the check reads a snapshot; the derivation adds no literals), which
    saves most of the check's time on two cores. An ill-typed literal is raised after both."""
    failure: list[BaseException] = []

    def check() -> None:
        try:
            check_literals(store, parsed)
        except BaseException as error:  # handed to the loading thread
            failure.append(error)

    checker = threading.Thread(target=check, name="actorgraph-literal-check")
    checker.start()
    try:
        materialise(store)
    finally:
        checker.join()
    if failure:
        raise failure[0]
