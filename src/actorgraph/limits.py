"""Running one query from the command line with a wall-clock limit that really stops it.

Neither pyoxigraph nor a remote store can be interrupted mid-query, so ``--timeout`` runs the
query in a child process (without network, on a local graph, with at most ``max_memory`` bytes
of memory) and kills it at the limit or on Ctrl-C; the parent prints the rendered answer.
Without a limit, the standalone command still answers Ctrl-C at once (:func:`interruptible`).

>>> from actorgraph.bundled import graph_dir
>>> text = run_limited({"paths": [str(graph_dir())]}, "query", {"name": "actors",
...                    "params": {"kind": "Person"}}, "csv", timeout=60)
>>> text.splitlines()[0]
'actor,label,aliases,kind'
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from .errors import ActorGraphError, Interrupted, QueryError
from .memory import QUERY_MEMORY, describe

__all__ = ["QueryInterrupted", "interruptible", "run_limited"]

T = TypeVar("T")


class QueryInterrupted(ActorGraphError):
    """The query was stopped: past its time limit, or by Ctrl-C."""


class _StoppedByUser(QueryInterrupted, Interrupted):
    """Ctrl-C stopped the query."""


def run_limited(
    source: dict[str, Any],
    kind: str,
    payload: dict[str, Any],
    output_format: str,
    timeout: float,
    max_memory: int = QUERY_MEMORY,
) -> str:
    """The rendered answer of one query (``kind`` "sparql" or "query") on the graph ``source``
    describes (``{"paths": [...]}`` or ``{"remote": {...}}``), stopped after ``timeout`` s or
    once it needs more than ``max_memory`` bytes (0: no limit)."""
    if timeout <= 0:
        raise QueryError("parameter 'timeout': expected a number of seconds above 0")
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(child, source, kind, payload, output_format, max_memory), daemon=True
    )
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryInterrupted(f"the query ran past the {timeout:g} s limit and was stopped")
        status, result = parent.recv()
    except EOFError:
        limit = f" or ran out of its {describe(max_memory)} of memory" if max_memory > 0 else ""
        raise ActorGraphError(
            f"the query's process ended without an answer (it crashed{limit})"
        ) from None
    except KeyboardInterrupt:
        raise _StoppedByUser("interrupted; the query was stopped") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "error":
        raise QueryError(result)
    if status == "internal":
        raise ActorGraphError(f"internal error ({result})")
    return str(result)


def _child(
    connection: Connection,
    source: dict[str, Any],
    kind: str,
    payload: dict[str, Any],
    output_format: str,
    max_memory: int = 0,
) -> None:
    from .graph import ActorGraph
    from .memory import limit_memory
    from .output import OutputFormat, present

    limit_memory(max_memory)

    try:
        if source.get("remote"):
            kg = ActorGraph.connect(**source["remote"])
        else:
            kg = ActorGraph.load(*source["paths"])
            if not {"service", "load"} & set(payload.get("allow", ())):
                from .sandbox import deny_network

                deny_network()
        if kind == "sparql":
            typed = {n: (t, v) for n, (t, v) in payload["params"].items()}
            params, warnings = kg._typed_bindings(typed)
            for warning in warnings:
                print(warning, file=sys.stderr)
            rows = kg.sparql(payload["text"], params, allow=payload.get("allow", ()))
        else:
            rows = kg.query(payload["name"], payload["params"], parts=payload.get("parts", True))
        shape = payload.get("present", {})
        connection.send(("ok", present(rows, OutputFormat(output_format), **shape)))
    except ActorGraphError as error:
        connection.send(("error", str(error)))
    except Exception as error:  # a bug must reach the parent as one line
        connection.send(("internal", type(error).__name__))


def interruptible(work: Callable[[], T]) -> T:
    """Run ``work`` in a thread so that Ctrl-C ends the process at once, even while the engine
    is busy in code that never checks for signals (only for a standalone command: it exits)."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as error:  # handed to the main thread below
            failure.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted; the query was stopped\n")
        sys.stderr.flush()
        os._exit(130)
    if failure:
        raise failure[0]
    return result[0]
