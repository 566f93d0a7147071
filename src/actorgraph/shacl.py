"""SHACL validation of a graph against a shapes file, by shacl-rust (a SHACL engine in Rust).

The engine was chosen by measurement (``python benchmarks/validate.py``): it reports the same
violations with the same messages as pySHACL on our shapes and on graphs that break every one
of them (``tests/test_validation.py``), 18 to 27 times faster from the bundled graph to 3k
actors. A shapes file it could not use in full is refused rather than partly applied: it must
conform to the W3C's "SHACL for SHACL" shapes and raise none of the engine's error-level lints
(a regular expression or SPARQL query that does not parse, a single-valued parameter given
twice …).

Only results of severity ``sh:Violation`` are violations; warnings and infos are not.

Only the bundled shapes (recognised by their content digest) are validated in this process.
Any other shapes file is its author's program: SPARQL-based constraints can run for ever, and
core SHACL too can take exponential time and memory (shapes that use each other twice over)
or crash the engine. Such shapes are pre-checked and validated in a fresh interpreter without
network, stopped after :data:`TIME_LIMIT` seconds, past :data:`MEMORY_LIMIT` bytes or at once
by Ctrl-C; a crash of that process is an error naming the shapes file. Shapes that refer back
to themselves (``sh:node``, ``sh:property``, ``sh:and`` … leading to the same shape), whose
meaning SHACL leaves open and which crash the engine, are refused first.

>>> from actorgraph.bundled import graph_dir
>>> from actorgraph.turtle import read_turtle
>>> shapes = read_turtle(graph_dir() / "shapes.ttl")
>>> data = b'''@prefix ag: <https://w3id.org/actorgraph/ontology#> .
... <http://e/relation> a ag:Relation ; ag:sign 2 .'''
>>> for v in shacl_violations(data, shapes):
...     print(v.focus, v.message, v.value)
<http://e/relation> a relation type has a skos:definition None
<http://e/relation> a relation type has an rdfs:label None
<http://e/relation> a relation type has one ag:sign: -1, 0 or 1 "2"^^<http://www.w3.org/2001/XMLSchema#integer>
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import ActorGraphError, GraphFileError, Interrupted
from .turtle import TurtleFile

__all__ = ["MEMORY_LIMIT", "TIME_LIMIT", "Violation", "shacl_violations"]

_SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# SPARQL-based constraints and constraint components: a query of the shapes' author
_SPARQL_BASED = {
    _SH + name
    for name in ("sparql", "select", "ask", "validator", "nodeValidator", "propertyValidator")
}
# where a shape names other shapes it uses (the logical ones through an RDF list)
_USES = {_SH + name for name in ("node", "property", "not", "qualifiedValueShape")}
_USES_LIST = {_SH + name for name in ("and", "or", "xone")}
#: Seconds the SHACL engine may spend on shapes other than the bundled ones before it is stopped.
TIME_LIMIT = 300.0
#: Bytes of memory (heap) the SHACL engine may take on shapes other than the bundled ones.
MEMORY_LIMIT = 4 << 30
_SHACL_SHACL = Path(__file__).resolve().parent / "shacl-shacl.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL result of severity ``sh:Violation``; terms in N-Triples syntax
    (``<iri>``, ``_:id``, ``"text"@en``)."""

    focus: str
    message: str
    value: str | None


def shacl_violations(data: bytes, shapes: TurtleFile) -> list[Violation]:
    """The violations of the Turtle ``data`` against ``shapes``, sorted; shapes the engine
    cannot use in full, or that it could not finish with, raise :class:`GraphFileError`
    naming the file."""
    _check_not_recursive(shapes)
    shapes_graph = _ntriples(shapes)
    if shapes.digest == _bundled_digest():
        problem = _usability_problem(shapes_graph)
        if problem:
            raise GraphFileError(shapes.path, None, problem)
        report = _report(data, shapes_graph)
    else:
        sparql = any(t.predicate.value in _SPARQL_BASED for t in shapes.triples)
        report = _report_in_child(data, shapes_graph, shapes.path, sparql)
    messages = {
        t.object.value
        for t in shapes.triples
        if t.predicate.value == _SH + "message" and isinstance(t.object, ox.Literal)
    }
    return sorted(
        {_violation(result, messages) for result in report["results"] if _is_violation(result)},
        key=lambda v: (v.focus, v.message, v.value or ""),
    )


@cache
def _bundled_digest() -> str:
    """The content digest of the bundled shapes, the only ones trusted to run in-process."""
    from .bundled import graph_dir
    from .turtle import digest, read_bytes

    return digest(read_bytes(graph_dir() / "shapes.ttl"))


def _check_not_recursive(shapes: TurtleFile) -> None:
    """Refuse shapes in which a shape uses itself, directly or through others.

    >>> from actorgraph.turtle import checked_turtle
    >>> text = (b"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> . "
    ...         b"ex:R a sh:NodeShape ; sh:property [ sh:path ex:partOf ; sh:node ex:R ] .")
    >>> _check_not_recursive(checked_turtle(Path("shapes.ttl"), text))
    Traceback (most recent call last):
    ...
    actorgraph.errors.GraphFileError: shapes.ttl: recursive shapes are not supported: <http://e/R>...
    """
    uses: dict[str, list[tuple[str, str]]] = {}  # shapes by their N-Triples form
    rest: dict[str, str] = {}
    first: dict[str, str] = {}
    lists: list[tuple[str, str, str]] = []
    for t in shapes.triples:
        predicate, subject, used = t.predicate.value, str(t.subject), str(t.object)
        if predicate in _USES:
            uses.setdefault(subject, []).append((predicate, used))
        elif predicate in _USES_LIST:
            lists.append((subject, predicate, used))
        elif predicate == _RDF + "first":
            first[subject] = used
        elif predicate == _RDF + "rest":
            rest[subject] = used
    for subject, predicate, node in lists:
        seen = set()
        while node in first and node not in seen:
            seen.add(node)
            uses.setdefault(subject, []).append((predicate, first[node]))
            node = rest.get(node, node)
    cycle = _cycle(uses)
    if cycle:
        start = next((shape for shape, _ in cycle if shape.startswith("<")), cycle[0][0])
        at = [shape for shape, _ in cycle].index(start)
        steps = [f"sh:{p[len(_SH) :]}" for _, p in cycle[at:] + cycle[:at]]
        raise GraphFileError(
            shapes.path,
            None,
            f"recursive shapes are not supported: {start} uses itself (through {', '.join(steps)})",
        )


def _cycle(uses: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """A cycle of ``uses`` as (shape, how it uses the next) pairs, or ``[]``; iterative, so
    that a long chain of shapes cannot overflow the interpreter's stack."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in uses:
        if root in state:
            continue
        stack, taken = [(root, 0)], list[str]()  # taken[i]: how stack[i] uses stack[i + 1]
        state[root] = 1
        while stack:
            shape, index = stack[-1]
            edges = uses.get(shape, [])
            if index == len(edges):
                stack.pop()
                state[shape] = 2
                if taken:
                    taken.pop()
                continue
            stack[-1] = (shape, index + 1)
            predicate, used = edges[index]
            if state.get(used) == 1:
                on_path = [s for s, _ in stack]
                begin = on_path.index(used)
                return list(zip(on_path[begin:], [*taken[begin:], predicate], strict=True))
            if used not in state:
                state[used] = 1
                taken.append(predicate)
                stack.append((used, 0))
    return []


def _report(data: bytes, shapes_graph: bytes) -> dict[str, Any]:
    """The engine's report on the Turtle ``data`` against the N-Triples ``shapes_graph``."""
    import shacl_rust

    try:
        report: dict[str, Any] = shacl_rust.validate_file(
            io.BytesIO(data), io.BytesIO(shapes_graph), data_format="turtle", shapes_format="nt"
        )
    except ValueError as error:  # the graph as written out: not expected
        reason = " ".join(str(error).split())
        raise ActorGraphError(f"the SHACL engine could not read the graph: {reason}") from None
    return report


def _report_in_child(data: bytes, shapes_graph: bytes, path: Path, sparql: bool) -> dict[str, Any]:
    """The shapes' pre-check and :func:`_report`, in a fresh interpreter without network,
    limited to :data:`MEMORY_LIMIT` bytes and killed after :data:`TIME_LIMIT` seconds or on
    Ctrl-C (the engine never returns to Python to notice either); its end without an answer
    (a crash, out of memory) is an error naming the shapes file at ``path``. A new
    interpreter, not a multiprocessing child, so that a script calling this needs no
    ``if __name__ == "__main__"`` guard and is not run again."""
    import json
    import subprocess
    import sys

    from .memory import describe

    root = str(Path(__file__).resolve().parents[1])
    code = (
        f"import sys; sys.path.insert(0, {root!r}); import actorgraph.shacl as s; "
        f"s._child({MEMORY_LIMIT})"
    )
    command = [sys.executable, "-c", code]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        try:
            answer, errors = process.communicate(
                len(data).to_bytes(8, "big") + data + shapes_graph, timeout=TIME_LIMIT
            )
        except subprocess.TimeoutExpired:
            what = "the SPARQL constraints of these shapes" if sparql else "validation"
            raise GraphFileError(
                path, None, f"{what} ran past the {TIME_LIMIT:g} s limit and were stopped"
            ) from None
        except KeyboardInterrupt:
            raise Interrupted("interrupted; the SHACL validation was stopped") from None
        finally:
            if process.poll() is None:
                process.kill()
    if not answer:
        if b"memory allocation" in errors or b"MemoryError" in errors:
            reason = f"ran out of its {describe(MEMORY_LIMIT)} of memory"
        else:
            reason = f"crashed ({_ending(process.returncode)})"
        raise GraphFileError(path, None, f"the SHACL engine {reason} on these shapes")
    status, result = json.loads(answer)
    if status == "unusable":
        raise GraphFileError(path, None, str(result))
    if status == "error":
        raise ActorGraphError(str(result))
    assert isinstance(result, dict)
    return result


def _ending(returncode: int) -> str:
    """How a process ended, for a message: ``signal 11, SIGSEGV`` or ``exit status 1``."""
    import signal

    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"signal {-returncode}, {signal.Signals(-returncode).name}"
        return f"signal {-returncode}"
    return f"exit status {returncode}"


def _child(memory: int) -> None:
    """The child's side of :func:`_report_in_child`: the data's length (8 bytes), the data
    and the shapes on standard input; ``["ok", report]``, ``["unusable", why]`` or
    ``["error", message]`` out."""
    import json
    import sys

    from .memory import limit_memory
    from .sandbox import deny_network

    _die_with_parent()
    deny_network()
    payload = sys.stdin.buffer.read()
    limit_memory(memory)
    size = int.from_bytes(payload[:8], "big")
    shapes_graph = payload[8 + size :]
    answer: list[Any]
    try:
        problem = _usability_problem(shapes_graph)
        if problem:
            answer = ["unusable", problem]
        else:
            answer = ["ok", _report(payload[8 : 8 + size], shapes_graph)]
    except ActorGraphError as error:
        answer = ["error", str(error)]
    sys.stdout.write(json.dumps(answer, default=str))


def _ntriples(shapes: TurtleFile) -> bytes:
    """The shapes as N-Triples: the graph our strict reader parsed (errors name file and line)."""
    ntriples = ox.serialize(shapes.triples, format=ox.RdfFormat.N_TRIPLES)
    assert ntriples is not None  # returned, not written: no output was given
    return ntriples


def _is_violation(result: dict[str, Any]) -> bool:
    return result.get("severity") in (None, f"<{_SH}Violation>")


def _violation(result: dict[str, Any], messages: set[str]) -> Violation:
    """A result with the shape's own ``sh:message`` where it has one (the engine lists its own
    wording too)."""
    given = [m for m in result.get("messages", []) if m in messages]
    message = (given or result.get("messages") or ["violates a shape"])[0]
    return Violation(result["focusNode"], message, result.get("value"))


def _usability_problem(shapes_graph: bytes) -> str | None:
    """Why the N-Triples ``shapes_graph`` breaks SHACL's syntax rules or would not be applied
    in full by the engine, or None."""
    import shacl_rust

    refusals = []
    try:
        syntax = shacl_rust.validate_file(
            io.BytesIO(shapes_graph),
            io.BytesIO(_shacl_shacl()),
            data_format="nt",
            shapes_format="turtle",
        )
        lints = shacl_rust.validate_file(
            io.BytesIO(b""),
            io.BytesIO(shapes_graph),
            data_format="nt",
            shapes_format="nt",
            diagnostics=True,
        )
    except ValueError as error:  # a construct the engine refuses (MINUS, SERVICE in sh:select …)
        return f"cannot use these shapes: {' '.join(str(error).split())}"
    for result in syntax["results"]:
        path = result.get("resultPath")
        where = f"sh:{path[len(_SH) + 1 : -1]}" if str(path).startswith(f"<{_SH}") else path
        where = " ".join(str(x) for x in (where or "a shape", result.get("value")) if x)
        refusals.append(f"{where}: {(result.get('messages') or ['is not valid SHACL'])[0]}")
    for lint in lints.get("diagnostics", []):
        if str(lint.get("code", "")).startswith("L") and lint.get("severity") == "error":
            detail = " ".join(str(lint.get("actual") or "").split())[:200]
            refusals.append(f"{lint.get('title')}: {detail}" if detail else str(lint.get("title")))
    if not refusals:
        return None
    more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
    return f"cannot use these shapes: {refusals[0]}{more}"


@cache
def _shacl_shacl() -> bytes:
    return _SHACL_SHACL.read_bytes()


def _die_with_parent() -> None:
    """Have Linux kill this process when its parent ends, however it ends (elsewhere: no-op)."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
