"""Worker processes that run queries with a wall-clock limit that really stops the work.

Neither pyoxigraph nor rdflib can interrupt a running query, so each query runs in a worker
process holding its own copy of the graph; a worker that overruns the limit is killed and
replaced, and the other workers keep answering meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .errors import ActorGraphError, QueryError

__all__ = ["Answer", "QueryPool", "QueryTimeout"]


class QueryTimeout(ActorGraphError):
    """A query ran past the time limit and was stopped."""


@dataclass(frozen=True)
class Answer:
    """A rendered result: its bytes, media type, and whether the row cap cut it short."""

    body: bytes
    media_type: str
    truncated: bool


def _serve(
    connection: Connection, source: dict[str, Any], queries: str | None, max_rows: int
) -> None:
    """The worker's loop: load (or connect to) the graph, then answer until the pipe closes."""
    from .graph import ActorGraph
    from .rendering import render_answer

    if source.get("remote"):
        kg = ActorGraph.connect(**source["remote"])
    else:
        from .sandbox import deny_network

        deny_network()  # before any thread starts; users' SPARQL runs here
        kg = ActorGraph.load(*source["paths"], queries=queries)
    connection.send(("ready", None))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        try:
            kind, payload, media_type = request
            if kind == "sparql":
                rows = kg.sparql(payload["text"])
            else:
                rows = kg.query(payload["name"], **payload["params"])
            connection.send(("ok", render_answer(rows, media_type, max_rows)))
        except ActorGraphError as error:
            connection.send(("error", str(error)))
        except Exception as error:  # a bug must not kill the worker or leak a traceback
            connection.send(("internal", type(error).__name__))


class _Worker:
    def __init__(
        self, context: Any, source: dict[str, Any], queries: str | None, max_rows: int
    ) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, source, queries, max_rows), daemon=True
        )
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> None:
        if not self.connection.poll(timeout) or self.connection.recv()[0] != "ready":
            self.kill()
            raise ActorGraphError("a query worker failed to start")

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
            self.connection.close()


class QueryPool:
    """A fixed number of query workers; a stuck one is replaced, the others keep serving."""

    def __init__(
        self,
        source: dict[str, Any],
        *,
        queries: str | None = None,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        start_timeout: float = 120.0,
    ) -> None:
        self.source, self.queries = source, queries
        self.timeout, self.max_rows, self.start_timeout = timeout, max_rows, start_timeout
        self.size = workers
        self._context = multiprocessing.get_context("spawn")  # safe beside the server's threads
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: list[_Worker] = []

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.source, self.queries, self.max_rows)
        worker.wait_ready(self.start_timeout)
        self._all.append(worker)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        loop = self._loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(loop.run_in_executor(None, self._spawn) for _ in range(self.size))
        )
        for worker in workers:
            self._idle.put_nowait(worker)

    def close(self) -> None:
        for worker in self._all:
            worker.kill()
        self._all.clear()

    async def run(self, kind: str, payload: dict[str, Any], media_type: str) -> Answer:
        """Run one request on an idle worker; raise :class:`QueryTimeout` past the limit."""
        assert self._idle is not None, "start() the pool first"
        loop = asyncio.get_running_loop()
        worker = await self._idle.get()
        try:
            worker.connection.send((kind, payload, media_type))
            ready = await loop.run_in_executor(None, worker.connection.poll, self.timeout)
        except (OSError, EOFError):
            ready = False
        if not ready:
            worker.kill()
            self._all.remove(worker)
            threading.Thread(target=self._replace, daemon=True).start()
            raise QueryTimeout(f"the query ran past the {self.timeout:g} s limit and was stopped")
        status, result = worker.connection.recv()
        self._idle.put_nowait(worker)
        if status == "ok":
            return Answer(*result)
        if status == "error":
            raise QueryError(result)
        raise ActorGraphError(f"internal error ({result})")

    def _replace(self) -> None:
        worker = self._spawn()
        self._loop.call_soon_threadsafe(self._idle.put_nowait, worker)  # type: ignore[union-attr]
