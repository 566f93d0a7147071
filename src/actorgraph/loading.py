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

import difflib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .bundled import BUNDLED, graph_dir
from .errors import ActorGraphError, GraphFileError
from .store import OxigraphStore
from .truthy import materialise
from .turtle import TurtleFile, check_literals, checked_turtle, load_into, read_bytes, read_turtle

__all__ = ["STEPS", "GraphInputs", "alongside", "find_inputs", "load_files"]

#: The steps of loading and indexing, in order, as ``progress`` callbacks name them.
STEPS = (
    "checking the index",
    "parsing",
    "checking literals and deriving direct edges",
    "writing the index",
    "opening the index",
)
SHAPES = "shapes.ttl"
_CHECKED_ALONGSIDE = 1 << 20  # a file this big is checked (UTF-8, digest) while it is parsed
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


def _bundled_hint(missing: Path) -> str:
    """For a missing path that looks like a typo of ``@bundled``: the suggestion.

    >>> _bundled_hint(Path("@bundle")), _bundled_hint(Path("graph"))
    (' (did you mean @bundled, the bundled graph?)', '')
    """
    text = str(missing)
    close = text.startswith("@") or difflib.get_close_matches(text, [BUNDLED], cutoff=0.8)
    return f" (did you mean {BUNDLED}, the bundled graph?)" if close else ""


def find_inputs(paths: Iterable[str | Path]) -> GraphInputs:
    """The files of Turtle files and folders (all ``*.ttl`` below them; ``"@bundled"`` names
    the bundled graph, a list stands for its items); none: the bundled graph. A missing path
    or a folder without ``.ttl`` files is a one-line error."""
    from .files import graph_files

    bundled = graph_dir()
    given = [q for p in paths for q in (p if isinstance(p, list | tuple) else [p])]
    roots = tuple(bundled if str(p) == BUNDLED else Path(p) for p in given) or (bundled,)
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
            raise GraphFileError(root, None, "no such file or folder" + _bundled_hint(root))
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
        parsed.append(_read_into(store, path))
    if not store.select(_DEFINES_ONTOLOGY, {}).column("result")[0]:
        ontology = read_turtle(graph_dir() / "ontology.ttl")
        load_into(store, ontology)
        parsed.insert(0, ontology)
    step("checking literals and deriving direct edges")
    _checked_while_deriving(store, parsed)
    for turtle in parsed:
        turtle.release()  # read again if a line number is asked for
    return store, parsed


def _read_into(store: OxigraphStore, path: Path) -> TurtleFile:
    """Read ``path`` and parse it into ``store``. A big file's UTF-8 check and digest run on
    a second thread while the engine parses its bytes; a file that is not UTF-8 is reported
    as such even if the parser also fails on it."""
    data = read_bytes(path)
    if len(data) < _CHECKED_ALONGSIDE:
        turtle = checked_turtle(path, data)
        load_into(store, turtle)
        return turtle
    unchecked = TurtleFile(path, "", data)  # locates the parser's errors until checked
    turtle, _ = alongside(lambda: checked_turtle(path, data), lambda: load_into(store, unchecked))
    return turtle


def _checked_while_deriving(store: OxigraphStore, parsed: list[TurtleFile]) -> None:
    """Check the literals on a second thread while the direct edges are derived: pyoxigraph
    lets both run at once (the check reads a snapshot; the derivation adds no literals), which
    saves most of the check's time on two cores. An ill-typed literal is raised after both."""
    alongside(lambda: check_literals(store, parsed), lambda: materialise(store))


_Side = TypeVar("_Side")
_Main = TypeVar("_Main")


def alongside(side: Callable[[], _Side], main: Callable[[], _Main]) -> tuple[_Side, _Main]:
    """Both results of ``side``, run on a second thread, and ``main``, run on this one (the
    engine releases the interpreter while it parses, queries or updates). When both fail,
    ``side``'s error is raised: the checks run beside are the ones that name a user's mistake.
    """
    outcome: list[_Side] = []
    failure: list[BaseException] = []

    def run_side() -> None:
        try:
            outcome.append(side())
        except BaseException as error:  # handed to this thread
            failure.append(error)

    thread = threading.Thread(target=run_side, name="actorgraph-check")
    thread.start()
    try:
        result = main()
    except BaseException:
        thread.join()
        if failure:
            raise failure[0] from None
        raise
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0], result
