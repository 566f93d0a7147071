"""Worker processes that run queries with a wall-clock limit that really stops the work.

Neither pyoxigraph nor rdflib can interrupt a running query, so each query runs in a worker
process holding its own copy of the graph. The pool heals itself: a worker that overruns the
limit, whose request is cancelled (its client left) or that dies (killed, crashed, out of
memory) is stopped and replaced, and the others keep answering meanwhile. Admission is bounded:
at most ``max_queue`` requests wait for a worker (more are refused at once), and the wait counts
in each request's time limit. A worker reads at most ``max_rows + 1`` rows of a result, holds at
most ``max_memory`` bytes (a query past it ends the worker, which is replaced), and dies with the
process that started it.

The hand-off is cheap and unpickled: a request goes to a worker as JSON, an answer comes back as
a fixed header and the body's bytes, and a worker that answers is given the next waiting request
in the same step, before the answer's own request resumes.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import json
import math
import multiprocessing
import os
import signal
import socket
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from .errors import ActorGraphError, QueryError
from .memory import QUERY_MEMORY, limit_memory
from .results import Rows, merge_runs
from .safety import check_read_only, engine_errors
from .store import OxigraphStore, Term, read_result

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = [
    "Answer",
    "QueryPool",
    "QueryTimeout",
    "ServerBusy",
    "ShuttingDown",
    "Unavailable",
    "WorkerLost",
]

_REQUEST = struct.Struct("!Q")  # a request to a worker: its length, then its JSON
_REPLY = struct.Struct("!QB?")  # a worker's reply: its body's length, its status, truncated?
_READY, _OK, _ERROR, _INTERNAL = range(4)  # the statuses of a reply
_MAX_REPLY = 1 << 32  # a longer reply is a broken worker's
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


#: A worker copies an index of at most this many triples into memory, where queries run up to
#: four times faster than on disk (the copy takes well under a second); a larger graph is
#: queried on disk, shared by every worker through the page cache.
IN_MEMORY_TRIPLES = 200_000

# ---------------------------------------------------------------- in the worker process


def _serve(
    channel: socket.socket,
    source: dict[str, Any],
    queries: str | None,
    max_rows: int,
    parent: int,
    max_memory: int = 0,
) -> None:
    """The worker's loop: load (or connect to) the graph, then answer until the socket closes.
    Ctrl-C reaches the whole process group; the server that owns the worker stops it, so the
    worker ignores it (no traceback of an interrupted read)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked since the start: a Ctrl-C then is dropped
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with(parent)
    limit_memory(max_memory)
    from .graph import ActorGraph

    if source.get("remote"):
        kg = ActorGraph.connect(**source["remote"])
    else:
        from .sandbox import deny_network

        deny_network()  # before any thread starts; users' SPARQL runs here
        kg = ActorGraph.load(*source["paths"], queries=queries, index=source.get("index", False))
        if isinstance(kg.store, OxigraphStore):
            kg.store = working_store(kg, max_rows)
    worker = _Channel(channel)
    worker.send(_READY)
    while (request := worker.receive()) is not None:
        try:
            body, _, truncated = _answer(kg, *request, max_rows=max_rows)
            reply = (_OK, body, truncated)
        except ActorGraphError as error:
            reply = (_ERROR, str(error).encode(), False)
        except Exception as error:  # a bug must not kill the worker or leak a traceback
            reply = (_INTERNAL, type(error).__name__.encode(), False)
        worker.send(*reply)


def _answer(
    kg: ActorGraph, kind: str, payload: dict[str, Any], media_type: str, *, max_rows: int
) -> tuple[bytes, str, bool]:
    """One request's answer: ``kind`` "sparql" (``payload``: the text) or "query" (the name
    and parameters of a named query) as ``media_type``, cut to ``max_rows``; or "check": the
    form of the query ``payload`` holds, once the read-only check has passed.

    On the embedded store, each run of the query is read to ``max_rows + 1`` rows at most, so a
    huge result is never computed to its end; SELECT and ASK results in the SPARQL formats are
    written by the engine straight from its results, the rest (``application/json`` rows,
    graphs) through :class:`Rows`. A remote store's client reads within its own limits.

    >>> from actorgraph import ActorGraph
    >>> kg = ActorGraph.load()
    >>> kg.store = _CappedStore(kg.store, 3)
    >>> request = {"name": "enemies", "params": {"actor": "IS-K"}}
    >>> body, media_type, truncated = _answer(kg, "query", request, "text/csv", max_rows=2)
    >>> len(body.splitlines()), truncated
    (3, True)
    """
    from .namespaces import PREFIXES
    from .rendering import ENGINE_TYPES, render_answer, write_results

    if kind == "check":  # a long text's read-only check, here where the time limit stops it
        return check_read_only(payload["text"]).form.encode(), "text/plain", False
    store = kg.store
    if not isinstance(store, _CappedStore):
        if kind == "sparql":
            return render_answer(kg.sparql(payload["text"]), media_type, max_rows)
        return render_answer(kg.query(payload["name"], payload["params"]), media_type, max_rows)
    if kind == "sparql":
        check_read_only(payload["text"])  # as kg.sparql does; the server checked it too
        runs: list[tuple[str, dict[str, Term]]] = [(payload["text"], {})]
        prefixes = PREFIXES
    else:  # a catalogue query: its parameters checked and bound
        runs, prefixes = kg.query_runs(payload["name"], payload["params"]), None
    with engine_errors(text=runs[0][0]):
        if media_type in ENGINE_TYPES:
            results = (store.results(text, bindings, prefixes) for text, bindings in runs)
            return write_results(results, media_type, max_rows)
        read = [store.rows(text, bindings, prefixes) for text, bindings in runs]
    rows = read[0] if len(read) == 1 else merge_runs(read)
    if kind == "query":  # its list columns, as kg.query gives them
        named = kg.named_query(payload["name"])
        rows = replace(rows, lists=named.lists, shown=named.shown)
    return render_answer(rows, media_type, max_rows)


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT blocked on this thread for the block: a process started in it inherits the mask,
    so a Ctrl-C while it boots waits, and is dropped once the worker ignores it; this process
    gets it when the block ends (POSIX; elsewhere nothing is blocked)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when the thread that started it ends (Linux), so no
    worker outlives a server stopped by SIGKILL; exit now if that has happened already."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


class _Channel:
    """The worker's end of its socket: whole requests in, replies out, blocking."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection

    def send(self, status: int, body: bytes = b"", truncated: bool = False) -> None:
        self.connection.sendall(_REPLY.pack(len(body), status, truncated) + body)

    def receive(self) -> Any:
        """The next request, or None once the pool has closed the socket."""
        header = self._read(_REQUEST.size)
        if header is None:
            return None
        data = self._read(_REQUEST.unpack(header)[0])
        return None if data is None else json.loads(data)

    def _read(self, size: int) -> bytes | None:
        chunks, missing = [], size
        while missing:
            chunk = self.connection.recv(missing, socket.MSG_WAITALL)
            if not chunk:
                return None
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)


def working_store(
    kg: ActorGraph, max_rows: int, in_memory_triples: int = IN_MEMORY_TRIPLES
) -> _CappedStore:
    """The store a worker answers from: ``kg``'s, in memory when its index holds at most
    ``in_memory_triples`` triples, its answers read to ``max_rows + 1`` rows at most.

    >>> from actorgraph import ActorGraph
    >>> kg = ActorGraph.load(index=True)
    >>> working_store(kg, 10).read_only, working_store(kg, 10, in_memory_triples=0).read_only
    (False, True)
    """
    assert isinstance(kg.store, OxigraphStore)
    store = kg.store
    if kg.index is not None and kg.index.triples <= in_memory_triples:
        store = store.in_memory()
    return _CappedStore(store, max_rows + 1)


class _CappedStore(OxigraphStore):
    """A worker's embedded store: the same pyoxigraph store, whose answers :meth:`rows` reads
    to ``limit`` rows at most, so a huge result never fills the worker's memory; the graph's
    own lookups (:meth:`select`) read in full."""

    def __init__(self, store: OxigraphStore, limit: int) -> None:
        super().__init__(store._store, read_only=store.read_only)  # the same store, no copy
        self.limit = limit

    def rows(
        self, query: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> Rows:
        """The first ``limit`` rows of a query's result; the rest is never computed."""
        result = self.results(query, bindings, prefixes)
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
                rows.append(tuple(solution))  # in the order of the variables; faster by name
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


def _request(kind: str, payload: dict[str, Any], media_type: str) -> bytes:
    data = json.dumps([kind, payload, media_type]).encode()
    return _REQUEST.pack(len(data)) + data


# ---------------------------------------------------------------- in the server process


@dataclass(eq=False)
class _Job:
    """A request for a worker: waiting for one, running on one, or done (answered, failed or
    given up by its caller)."""

    request: bytes
    media_type: str
    reply: asyncio.Future[Answer]
    worker: _Worker | None = None
    state: str = "waiting"  # or "running", "done"


@dataclass(eq=False)
class _Worker:
    """A worker process, the server's end of its socket, and the job it runs."""

    process: BaseProcess
    ready: asyncio.Future[None]  # done once the worker has loaded the graph
    transport: asyncio.Transport | None = None
    started: bool = False
    alive: bool = True
    job: _Job | None = None


class _Link(asyncio.Protocol):
    """The server's end of a worker's socket: each whole reply passed to the pool as it comes."""

    def __init__(self, pool: QueryPool, worker: _Worker) -> None:
        self.pool, self.worker = pool, worker
        self.buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.worker.transport = cast(asyncio.Transport, transport)  # a socket's: it writes

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _REPLY.size:
            size, status, truncated = _REPLY.unpack_from(self.buffer)
            if size > _MAX_REPLY or status > _INTERNAL:
                self.pool._lose(self.worker)
                return
            end = _REPLY.size + size
            if len(self.buffer) < end:
                return
            body = bytes(self.buffer[_REPLY.size : end])
            del self.buffer[:end]
            self.pool._replied(self.worker, status, body, truncated)

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool._lose(self.worker)  # the worker has died, or the pool let it go


class QueryPool:
    """A fixed number of query workers with a bounded queue in front of them.

    A worker that dies, overruns the limit or whose request is cancelled is killed and
    replaced; the others keep serving. Use from one event loop: :meth:`start` it there, and
    :meth:`close` it (also from outside the loop, once it has ended).

    >>> async def ask() -> bytes:
    ...     pool = QueryPool({"paths": []}, workers=1)
    ...     await pool.start()
    ...     try:
    ...         answer = await pool.run("sparql", {"text": "ASK {}"}, "text/csv")
    ...     finally:
    ...         pool.close()
    ...     return answer.body
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever the caller runs
    ...     thread.submit(asyncio.run, ask()).result()
    b'true'
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
        max_memory: int = QUERY_MEMORY,
    ) -> None:
        self.source, self.queries, self.max_memory = source, queries, max_memory
        self.timeout, self.max_rows, self.start_timeout = timeout, max_rows, start_timeout
        self.size = workers
        self.max_queue = 4 * workers if max_queue is None else max_queue
        self._context = multiprocessing.get_context("spawn")  # safe beside the server's threads
        self._all: list[_Worker] = []  # every live worker: starting, idle or busy
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiting: collections.deque[_Job] = collections.deque()
        self._starting: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._guard: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def retry_after(self) -> int:
        """Seconds after which every request now admitted has ended."""
        return max(1, math.ceil(self.timeout))

    async def start(self) -> None:
        """Start the workers and wait until each has loaded the graph. The pool closes when
        its event loop ends, if it has not been closed before."""
        self._loop = asyncio.get_running_loop()
        self._guard = self._loop.create_task(self._close_with_loop())
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

    async def _close_with_loop(self) -> None:
        """Wait until the event loop ends (which cancels this task), then close the pool while
        the loop can still close the workers' sockets."""
        try:
            await asyncio.get_running_loop().create_future()
        finally:
            self.close()

    def close(self) -> None:
        """Kill every worker and end every waiting or running request with
        :class:`ShuttingDown`. Idempotent."""
        self._closed = True
        if self._guard is not None and not self._guard.done():
            with contextlib.suppress(RuntimeError):  # the loop has ended
                if self._guard is not _current_task():
                    self._guard.cancel()
        while self._waiting:
            self._fail(self._waiting.popleft(), ShuttingDown("the server is shutting down"))
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
        if self._closed:
            raise ShuttingDown("the server is shutting down")
        loop = asyncio.get_running_loop()
        if deadline is None:
            deadline = loop.time() + self.timeout
        job = _Job(_request(kind, payload, media_type), media_type, loop.create_future())
        if self._idle:
            self._dispatch(self._idle.popleft(), job)
        elif len(self._waiting) >= self.max_queue:
            raise ServerBusy(
                f"the server is busy: {len(self._waiting)} queries are waiting already; "
                "try again later",
                self.retry_after,
            )
        else:
            self._waiting.append(job)
        try:
            async with asyncio.timeout_at(deadline):
                return await job.reply
        except TimeoutError:
            if job.state == "done" and job.reply.done() and not job.reply.cancelled():
                return job.reply.result()  # answered just as the limit came
            if self._give_up(job) == "waiting":
                raise ServerBusy(
                    f"the server is busy: no query worker came free within the {self.timeout:g}"
                    " s limit; try again later",
                    self.retry_after,
                ) from None
            raise QueryTimeout(
                f"the query ran past the {self.timeout:g} s limit and was stopped"
            ) from None
        except asyncio.CancelledError:  # the client left, or the server is stopping
            self._give_up(job)
            raise

    def _give_up(self, job: _Job) -> str:
        """Drop a job its caller no longer waits for: out of the queue, or its worker stopped
        (and replaced). What the job was doing."""
        state, job.state = job.state, "done"
        if state == "waiting":
            with contextlib.suppress(ValueError):
                self._waiting.remove(job)
        elif state == "running" and job.worker is not None:
            self._lose(job.worker)
        return state

    def _dispatch(self, worker: _Worker, job: _Job) -> None:
        job.state, job.worker, worker.job = "running", worker, job
        assert worker.transport is not None  # set once the worker's socket was connected
        worker.transport.write(job.request)

    def _replied(self, worker: _Worker, status: int, body: bytes, truncated: bool) -> None:
        """A worker's reply: its job answered (or failed), the next waiting job dispatched."""
        if status == _READY:
            if not worker.ready.done():
                worker.ready.set_result(None)
            return
        job, worker.job = worker.job, None
        if job is None:  # a reply nobody asked for: the worker is broken
            self._lose(worker)
            return
        if job.state == "running":
            job.state = "done"
            if status == _OK:
                result = Answer(body, job.media_type, truncated)
                if not job.reply.done():
                    job.reply.set_result(result)
            elif status == _ERROR:
                self._fail(job, QueryError(body.decode(errors="replace")))
            else:
                self._fail(
                    job, ActorGraphError(f"internal error ({body.decode(errors='replace')})")
                )
        self._release(worker)

    @staticmethod
    def _fail(job: _Job, error: ActorGraphError) -> None:
        job.state = "done"
        with contextlib.suppress(RuntimeError):  # the loop has ended
            if not job.reply.done():
                job.reply.set_exception(error)

    @staticmethod
    def _lost() -> WorkerLost:
        return WorkerLost(
            "the query's worker process died while running it (killed, crashed or out of "
            "memory); it is being replaced"
        )

    def _release(self, worker: _Worker) -> None:
        """Give a free worker the first job still waiting, or keep it idle."""
        if not worker.alive:
            return
        if self._closed:
            self._lose(worker)
            return
        while self._waiting:
            job = self._waiting.popleft()
            if job.state == "waiting":
                self._dispatch(worker, job)
                return
        self._idle.append(worker)

    async def _spawn(self) -> _Worker:
        """Start one worker and wait until it has loaded the graph."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        try:
            process = self._context.Process(
                target=_serve,
                args=(
                    theirs,
                    self.source,
                    self.queries,
                    self.max_rows,
                    os.getpid(),
                    self.max_memory,
                ),
                daemon=True,
            )
            with _sigint_blocked():  # the worker starts with it blocked, until it ignores it
                process.start()  # on the loop's thread, which outlives the worker (_die_with)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        worker = _Worker(process, loop.create_future())
        try:
            await loop.create_unix_connection(lambda: _Link(self, worker), sock=ours)
        except BaseException:
            ours.close()
            process.kill()
            raise
        self._all.append(worker)
        loop.add_reader(process.sentinel, self._reap, worker)  # readable once it has exited
        try:
            async with asyncio.timeout(self.start_timeout):
                await worker.ready
            ready = True
        except Exception:
            ready = False
        except BaseException:
            self._lose(worker)
            raise
        if not ready or not worker.alive:
            self._lose(worker)
            raise ActorGraphError("a query worker failed to start")
        worker.started = True
        return worker

    def _lose(self, worker: _Worker, error: Unavailable | None = None) -> None:
        """Kill a worker (if it still runs), fail its job with ``error`` (default:
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
            if worker.transport is not None:
                worker.transport.close()
        with contextlib.suppress(RuntimeError):
            if not worker.ready.done():
                worker.ready.set_exception(ActorGraphError("a query worker failed to start"))
        job, worker.job = worker.job, None
        if job is not None and job.state == "running":
            self._fail(job, error or self._lost())
        if worker.started and not self._closed and self._loop is not None:
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
