"""Worker processes that run queries with a wall-clock limit that really stops the work.

Neither pyoxigraph nor rdflib can interrupt a running query, so each query runs in a worker
process holding its own copy of the graph. The pool heals itself: a worker that overruns the
limit, whose request is cancelled (its client left) or that dies (killed, crashed, out of
memory) is stopped and replaced, and the others keep answering meanwhile. Admission is bounded:
at most ``max_queue`` requests wait for a worker (more are refused at once), and the wait counts
in each request's time limit. A worker reads at most ``max_rows + 1`` rows of a result, and dies
with the process that started it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import math
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

import pyoxigraph as ox

from .errors import ActorGraphError, QueryError
from .results import Rows
from .store import OxigraphStore, Term, read_result

__all__ = [
    "Answer",
    "QueryPool",
    "QueryTimeout",
    "ServerBusy",
    "ShuttingDown",
    "Unavailable",
    "WorkerLost",
]

_HEADER = struct.Struct("!Q")  # each message on a worker's socket: its length, then a pickle
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class Unavailable(ActorGraphError):
    """The pool could not answer a request (HTTP 503); ``retry_after``: the seconds after which
    trying again may help, or None."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QueryTimeout(Unavailable):
    """A query ran past the time limit and was stopped."""


class ServerBusy(Unavailable):
    """Too many requests wait for a worker already, or none came free within the time limit."""


class WorkerLost(Unavailable):
    """The worker running a query died (killed, crashed, out of memory) and is being replaced."""


class ShuttingDown(Unavailable):
    """The pool is closing."""


@dataclass(frozen=True)
class Answer:
    """A rendered result: its bytes, media type, and whether the row cap cut it short."""

    body: bytes
    media_type: str
    truncated: bool


# ---------------------------------------------------------------- in the worker process


def _serve(
    channel: socket.socket,
    source: dict[str, Any],
    queries: str | None,
    max_rows: int,
    parent: int,
) -> None:
    """The worker's loop: load (or connect to) the graph, then answer until the socket closes."""
    _die_with(parent)
    from .graph import ActorGraph
    from .rendering import render_answer

    if source.get("remote"):
        kg = ActorGraph.connect(**source["remote"])
    else:
        from .sandbox import deny_network

        deny_network()  # before any thread starts; users' SPARQL runs here
        kg = ActorGraph.load(*source["paths"], queries=queries, index=source.get("index", False))
        if isinstance(kg.store, OxigraphStore):
            kg.store = _CappedStore(kg.store, max_rows + 1)
    worker = _Channel(channel)
    worker.send(("ready", None))
    while (request := worker.receive()) is not None:
        try:
            kind, payload, media_type = request
            if kind == "sparql":
                rows = kg.sparql(payload["text"])
            else:
                rows = kg.query(payload["name"], **payload["params"])
            reply: tuple[str, Any] = ("ok", render_answer(rows, media_type, max_rows))
        except ActorGraphError as error:
            reply = ("error", str(error))
        except Exception as error:  # a bug must not kill the worker or leak a traceback
            reply = ("internal", type(error).__name__)
        worker.send(reply)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the thread that started it ends (Linux), so no
    worker outlives a server stopped by SIGKILL; exit now if that has happened already."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


class _Channel:
    """The worker's end of its socket: whole messages in and out, blocking."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection

    def send(self, message: object) -> None:
        self.connection.sendall(_frame(message))

    def receive(self) -> Any:
        """The next message, or None once the pool has closed the socket."""
        header = self._read(_HEADER.size)
        if header is None:
            return None
        data = self._read(_HEADER.unpack(header)[0])
        return None if data is None else pickle.loads(data)

    def _read(self, size: int) -> bytes | None:
        buffer = bytearray(size)
        view, done = memoryview(buffer), 0
        while done < size:
            count = self.connection.recv_into(view[done:])
            if count == 0:
                return None
            done += count
        return bytes(buffer)


class _CappedStore(OxigraphStore):
    """A graph's in-memory store that reads no more than ``limit`` rows of any result: the row
    cap applied while reading, so a huge result never fills the worker's memory."""

    def __init__(self, store: OxigraphStore, limit: int) -> None:
        self._store = store._store  # the same pyoxigraph store, not a copy
        self.limit = limit

    def select(
        self, query: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> Rows:
        result = self._store.query(
            query,
            prefixes=dict(prefixes) if prefixes else None,
            substitutions={ox.Variable(name): term for name, term in bindings.items()},
        )
        try:
            return _read_at_most(result, self.limit)
        finally:
            del result  # see store.read_result


def _read_at_most(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, limit: int
) -> Rows:
    """The first ``limit`` rows of a pyoxigraph result; the rest is never computed."""
    try:
        if isinstance(result, ox.QueryBoolean):
            return read_result(result)
        rows: list[tuple[Term | None, ...]] = []
        if isinstance(result, ox.QuerySolutions):
            names = [variable.value for variable in result.variables]
            for solution in result:
                rows.append(tuple(solution[name] for name in names))
                if len(rows) >= limit:
                    break
            return Rows(names, rows)
        for triple in result:
            rows.append((triple.subject, triple.predicate, triple.object))
            if len(rows) >= limit:
                break
        return Rows(["subject", "predicate", "object"], rows, form="CONSTRUCT")
    finally:
        del result


def _frame(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


# ---------------------------------------------------------------- in the server process


async def _read_frame(reader: asyncio.StreamReader) -> Any:
    (size,) = _HEADER.unpack(await reader.readexactly(_HEADER.size))
    return pickle.loads(await reader.readexactly(size))


@dataclass(eq=False)
class _Worker:
    """A worker process, the server's end of its socket, and the reply it is awaited for."""

    process: BaseProcess
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    ready: bool = False
    alive: bool = True
    reply: asyncio.Future[Any] | None = None
    listener: asyncio.Task[None] | None = field(default=None, repr=False)


class QueryPool:
    """A fixed number of query workers with a bounded queue in front of them.

    A worker that dies, overruns the limit or whose request is cancelled is killed and
    replaced; the others keep serving. Use from one event loop: :meth:`start` it there, and
    :meth:`close` it (also from outside the loop, once it has ended).
    """

    def __init__(
        self,
        source: dict[str, Any],
        *,
        queries: str | None = None,
        workers: int = 2,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_queue: int | None = None,
        start_timeout: float = 120.0,
    ) -> None:
        self.source, self.queries = source, queries
        self.timeout, self.max_rows, self.start_timeout = timeout, max_rows, start_timeout
        self.size = workers
        self.max_queue = 4 * workers if max_queue is None else max_queue
        self._context = multiprocessing.get_context("spawn")  # safe beside the server's threads
        self._all: list[_Worker] = []  # every live worker: starting, idle or busy
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._starting: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    @property
    def retry_after(self) -> int:
        """Seconds after which every request now admitted has ended."""
        return max(1, math.ceil(self.timeout))

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the graph."""
        self._loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(self._spawn() for _ in range(self.size)), return_exceptions=True
        )
        failed = [error for error in started if isinstance(error, BaseException)]
        if failed and not self._closed:
            self.close()
            raise failed[0]
        for worker in started:
            if isinstance(worker, _Worker):
                self._release(worker)

    def close(self) -> None:
        """Kill every worker and end every waiting or running request with
        :class:`ShuttingDown`. Idempotent."""
        self._closed = True
        while self._waiting:
            waiter = self._waiting.popleft()
            with contextlib.suppress(RuntimeError):  # the loop has ended
                if not waiter.done():
                    waiter.set_exception(ShuttingDown("the server is shutting down"))
        for task in list(self._starting):
            with contextlib.suppress(RuntimeError):  # the loop has ended
                task.cancel()
        workers = list(self._all)
        for worker in workers:
            self._lose(worker, ShuttingDown("the server is shutting down"))
        for worker in workers:
            self._reap(worker, wait=5)

    async def run(
        self, kind: str, payload: dict[str, Any], media_type: str, *, deadline: float | None = None
    ) -> Answer:
        """Run one request on a worker within the time limit, waiting for a free one included.

        ``deadline`` (event-loop time) ends the limit early, for a request that began before.
        Raises :class:`ServerBusy` when the queue is full or no worker came free in time,
        :class:`QueryTimeout` when the query ran out of time, :class:`WorkerLost` when its
        worker died; cancelling the call stops the query (its worker is replaced).
        """
        loop = asyncio.get_running_loop()
        if deadline is None:
            deadline = loop.time() + self.timeout
        worker = await self._acquire(deadline)
        status, result = await self._ask(worker, (kind, payload, media_type), deadline)
        if status == "ok":
            return Answer(*result)
        if status == "error":
            raise QueryError(result)
        raise ActorGraphError(f"internal error ({result})")

    async def _acquire(self, deadline: float) -> _Worker:
        if self._closed:
            raise ShuttingDown("the server is shutting down")
        if self._idle:
            return self._idle.popleft()
        if len(self._waiting) >= self.max_queue:
            raise ServerBusy(
                f"the server is busy: {len(self._waiting)} queries are waiting already; "
                "try again later",
                self.retry_after,
            )
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout_at(deadline):
                return await waiter
        except BaseException as error:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # a worker came free just as we gave up
            waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiting.remove(waiter)
            if isinstance(error, TimeoutError):
                raise ServerBusy(
                    f"the server is busy: no query worker came free within the {self.timeout:g}"
                    " s limit; try again later",
                    self.retry_after,
                ) from None
            raise

    async def _ask(self, worker: _Worker, request: tuple[Any, ...], deadline: float) -> Any:
        worker.reply = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout_at(deadline):
                worker.writer.write(_frame(request))
                await worker.writer.drain()
                message = await worker.reply
        except TimeoutError:
            self._lose(worker)
            raise QueryTimeout(
                f"the query ran past the {self.timeout:g} s limit and was stopped"
            ) from None
        except OSError:  # the worker's end of the socket is gone
            self._lose(worker)
            raise self._lost() from None
        except Unavailable:  # set by _lose: the worker died, or the pool is closing
            raise
        except BaseException:  # cancelled: the client left, or the server is stopping
            self._lose(worker)
            raise
        worker.reply = None
        self._release(worker)
        return message

    @staticmethod
    def _lost() -> WorkerLost:
        return WorkerLost(
            "the query's worker process died while running it (killed, crashed or out of "
            "memory); it is being replaced"
        )

    def _release(self, worker: _Worker) -> None:
        """Hand a free worker to the first request still waiting, or keep it idle."""
        if not worker.alive:
            return
        if self._closed:
            self._lose(worker)
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    async def _spawn(self) -> _Worker:
        """Start one worker and wait until it has loaded the graph."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        try:
            process = self._context.Process(
                target=_serve,
                args=(theirs, self.source, self.queries, self.max_rows, os.getpid()),
                daemon=True,
            )
            process.start()  # on the loop's thread, which outlives the worker (see _die_with)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        reader, writer = await asyncio.open_unix_connection(sock=ours, limit=1 << 20)
        worker = _Worker(process, reader, writer)
        self._all.append(worker)
        loop.add_reader(process.sentinel, self._reap, worker)  # readable once it has exited
        try:
            async with asyncio.timeout(self.start_timeout):
                ready = await _read_frame(reader) == ("ready", None)
        except Exception:
            ready = False
        except BaseException:
            self._lose(worker)
            raise
        if not ready or not worker.alive:
            self._lose(worker)
            raise ActorGraphError("a query worker failed to start")
        worker.ready = True
        worker.listener = loop.create_task(self._listen(worker))
        return worker

    async def _listen(self, worker: _Worker) -> None:
        """Pass the worker's replies on; its socket's end means the worker has died."""
        try:
            while True:
                message = await _read_frame(worker.reader)
                if worker.reply is not None and not worker.reply.done():
                    worker.reply.set_result(message)
        except asyncio.CancelledError:
            # the worker is lost, or the event loop is ending: then the worker, seeing its
            # socket closed, exits by itself
            worker.writer.close()
            raise
        except Exception:
            self._lose(worker)

    def _lose(self, worker: _Worker, error: Unavailable | None = None) -> None:
        """Kill a worker (if it still runs), fail its request with ``error`` (default:
        :class:`WorkerLost`) and start a replacement. Idempotent."""
        if not worker.alive:
            return
        worker.alive = False
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()
        with contextlib.suppress(ValueError):
            self._all.remove(worker)
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        with contextlib.suppress(RuntimeError):  # the loop has ended
            worker.writer.close()
        with contextlib.suppress(RuntimeError):
            if worker.listener is not None and worker.listener is not _current_task():
                worker.listener.cancel()
        with contextlib.suppress(RuntimeError):
            if worker.reply is not None and not worker.reply.done():
                worker.reply.set_exception(error or self._lost())
        if worker.ready and not self._closed and self._loop is not None:
            task = self._loop.create_task(self._replace())
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)

    def _reap(self, worker: _Worker, wait: float = 0) -> None:
        """Collect a worker's exited process: called when its sentinel becomes readable."""
        if self._loop is not None:
            with contextlib.suppress(Exception):  # the loop has ended, or the fd is closed
                self._loop.remove_reader(worker.process.sentinel)
        self._lose(worker)
        with contextlib.suppress(ValueError, OSError):
            worker.process.join(wait)
            worker.process.close()

    async def _replace(self) -> None:
        """Start a worker in place of a lost one, retrying with growing pauses."""
        pause = 0.5
        while not self._closed:
            try:
                worker = await self._spawn()
            except (ActorGraphError, OSError):
                await asyncio.sleep(pause)
                pause = min(2 * pause, 30.0)
            else:
                self._release(worker)
                return


def _current_task() -> asyncio.Task[Any] | None:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running loop
        return None
