"""SHACL validation of a graph against a shapes file, by shacl-rust (a SHACL engine in Rust).

The engine was chosen by measurement (``python benchmarks/validate.py``): it reports the same
violations with the same messages as pySHACL on our shapes and on graphs that break every one
of them (``tests/test_validation.py``), 18 to 27 times faster from the bundled graph to 3k
actors. A shapes file it could not use in full is refused rather than partly applied: it must
conform to the W3C's "SHACL for SHACL" shapes and raise none of the engine's error-level lints
(a regular expression or SPARQL query that does not parse, a single-valued parameter given
twice …).

Only results of severity ``sh:Violation`` are violations; warnings and infos are not.

SPARQL-based constraints are the shapes author's queries, which can run for ever: shapes that
have them are validated in a fresh interpreter without network, stopped after
:data:`SPARQL_TIME_LIMIT` seconds or at once by Ctrl-C. Core SHACL cannot run away and is
validated in this process.

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

__all__ = ["SPARQL_TIME_LIMIT", "Violation", "shacl_violations"]

_SH = "http://www.w3.org/ns/shacl#"
# SPARQL-based constraints and constraint components: a query of the shapes' author, which may
# run for ever, so the engine runs them in a child process that a time limit or Ctrl-C kills
_SPARQL_BASED = {
    _SH + name
    for name in ("sparql", "select", "ask", "validator", "nodeValidator", "propertyValidator")
}
#: Seconds the SHACL engine may spend on shapes with SPARQL-based constraints before it is
#: stopped (shapes without them cannot run away and have no limit).
SPARQL_TIME_LIMIT = 300.0
_SHACL_SHACL = Path(__file__).resolve().parent / "shacl-shacl.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL result of severity ``sh:Violation``; terms in N-Triples syntax
    (``<iri>``, ``_:id``, ``"text"@en``)."""

    focus: str
    message: str
    value: str | None


def shacl_violations(data: bytes, shapes: TurtleFile) -> list[Violation]:
    """The violations of the Turtle ``data`` against ``shapes``, sorted; a shapes file the
    engine cannot use in full raises :class:`GraphFileError` naming it."""
    shapes_graph = _ntriples(shapes)
    _check_usable(shapes, shapes_graph)
    if any(t.predicate.value in _SPARQL_BASED for t in shapes.triples):
        report = _report_in_child(data, shapes_graph, shapes.path)
    else:
        report = _report(data, shapes_graph)
    messages = {
        t.object.value
        for t in shapes.triples
        if t.predicate.value == _SH + "message" and isinstance(t.object, ox.Literal)
    }
    return sorted(
        {_violation(result, messages) for result in report["results"] if _is_violation(result)},
        key=lambda v: (v.focus, v.message, v.value or ""),
    )


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


def _report_in_child(data: bytes, shapes_graph: bytes, path: Path) -> dict[str, Any]:
    """:func:`_report` in a fresh interpreter without network, killed after
    :data:`SPARQL_TIME_LIMIT` seconds or on Ctrl-C (the engine never returns to Python to
    notice either). A new interpreter, not a multiprocessing child, so that a script calling
    this needs no ``if __name__ == "__main__"`` guard and is not run again."""
    import json
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[1])
    code = f"import sys; sys.path.insert(0, {root!r}); import actorgraph.shacl as s; s._child()"
    command = [sys.executable, "-c", code]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as process:
        try:
            answer, _ = process.communicate(
                len(data).to_bytes(8, "big") + data + shapes_graph, timeout=SPARQL_TIME_LIMIT
            )
        except subprocess.TimeoutExpired:
            raise GraphFileError(
                path,
                None,
                f"the SPARQL constraints of these shapes ran past the {SPARQL_TIME_LIMIT:g} s "
                "limit and were stopped",
            ) from None
        except KeyboardInterrupt:
            raise Interrupted("interrupted; the SHACL validation was stopped") from None
        finally:
            if process.poll() is None:
                process.kill()
    if not answer:
        raise ActorGraphError("the SHACL engine's process ended without an answer")
    status, result = json.loads(answer)
    if status == "error":
        raise ActorGraphError(str(result))
    assert isinstance(result, dict)
    return result


def _child() -> None:
    """The child's side of :func:`_report_in_child`: the data's length (8 bytes), the data
    and the shapes on standard input; ``["ok", report]`` or ``["error", message]`` out."""
    import json
    import sys

    from .sandbox import deny_network

    _die_with_parent()
    deny_network()
    payload = sys.stdin.buffer.read()
    size = int.from_bytes(payload[:8], "big")
    try:
        answer: list[Any] = ["ok", _report(payload[8 : 8 + size], payload[8 + size :])]
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


def _check_usable(shapes: TurtleFile, shapes_graph: bytes) -> None:
    """Refuse shapes that break SHACL's syntax rules or that the engine would not apply in full."""
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
        reason = " ".join(str(error).split())
        raise GraphFileError(shapes.path, None, f"cannot use these shapes: {reason}") from None
    for result in syntax["results"]:
        path = result.get("resultPath")
        where = f"sh:{path[len(_SH) + 1 : -1]}" if str(path).startswith(f"<{_SH}") else path
        where = " ".join(str(x) for x in (where or "a shape", result.get("value")) if x)
        refusals.append(f"{where}: {(result.get('messages') or ['is not valid SHACL'])[0]}")
    for lint in lints.get("diagnostics", []):
        if str(lint.get("code", "")).startswith("L") and lint.get("severity") == "error":
            detail = " ".join(str(lint.get("actual") or "").split())[:200]
            refusals.append(f"{lint.get('title')}: {detail}" if detail else str(lint.get("title")))
    if refusals:
        more = f" (and {len(refusals) - 1} more)" if len(refusals) > 1 else ""
        message = f"cannot use these shapes: {refusals[0]}{more}"
        raise GraphFileError(shapes.path, None, message)


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
