"""`actorgraph serve` under faults and load: dead workers, a full queue, clients that leave or
never finish their headers, huge results, and the smaller points of the SPARQL Protocol."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import select
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path

import pytest
from servers import (
    actorgraph_pid,
    is_running,
    query_workers,
    running_actorgraph,
    start_actorgraph,
)

from actorgraph import ActorGraph

# Never finishes: the count needs every row of a cross product of 10^13 rows.
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# As many rows, but the first ones come at once: what a row cap can cut short.
HUGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LEAKS = ("Traceback", 'File "', "site-packages", "/actorgraph/")

Reply = tuple[int, dict[str, str], bytes]


def fetch(url: str, *, method: str = "GET", body: bytes | None = None, **headers: str) -> Reply:
    """The status, headers and body of a request (status 0: no answer, the server is gone)."""
    message = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(message, timeout=20) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), error.read()
    except OSError:
        return 0, {}, b""


def _lower(headers: Message) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def query_url(base: str, query: str, **params: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def send_and_leave_open(base: str, query: str) -> socket.socket:
    """A raw connection that has sent a GET of ``query`` and reads nothing back."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = socket.create_connection((host, int(port)))
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    return connection


def within(seconds: float, condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` holds at some point in the next ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def one_clean_line(body: bytes) -> str:
    text = body.decode()
    assert text.endswith("\n") and text.count("\n") == 1, text
    assert not any(leak in text for leak in LEAKS), text
    return text


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Two workers, a 3 s limit and a cap of 50 rows: options older servers know."""
    with running_actorgraph("--workers", "2", "--timeout", "3", "--max-rows", "50") as base:
        yield base


# ---------------------------------------------------------------- worker deaths and signals


@pytest.mark.adversarial
def test_a_dead_worker_is_replaced_and_sigterm_still_stops_the_server() -> None:
    with (
        running_actorgraph("--workers", "1", "--timeout", "10") as base,
        concurrent.futures.ThreadPoolExecutor(2) as clients,
    ):
        server = actorgraph_pid(base)
        (first,) = query_workers(server)
        running = clients.submit(fetch, query_url(base, FOREVER))
        time.sleep(0.5)  # the query is running
        killed = time.monotonic()
        os.kill(first, signal.SIGKILL)
        status, _, body = running.result()
        assert (status, time.monotonic() - killed < 3) == (503, True)
        assert "worker" in one_clean_line(body)

        # replaced: the next query waits for the new worker instead of hanging
        assert fetch(query_url(base, "ASK { ?s ?p ?o }"))[0] == 200
        (second,) = query_workers(server)
        assert second != first
        os.kill(second, signal.SIGKILL)  # a second death, of an idle worker this time
        assert within(
            5, lambda: len(query_workers(server)) == 1 and second not in query_workers(server)
        )
        assert fetch(query_url(base, "ASK { ?s ?p ?o }"))[0] == 200

        # SIGTERM stops the server at once, with a query running, and takes its workers along
        workers = query_workers(server)
        running = clients.submit(fetch, query_url(base, FOREVER))
        time.sleep(0.5)
        os.kill(server, signal.SIGTERM)
        assert within(5, lambda: not is_running(server))
        assert running.result()[0] in (0, 503)
        assert within(2, lambda: not any(is_running(pid) for pid in workers))


@pytest.mark.adversarial
def test_no_worker_outlives_a_killed_server() -> None:
    with (
        running_actorgraph("--workers", "1", "--timeout", "30") as base,
        concurrent.futures.ThreadPoolExecutor(1) as clients,
    ):
        server = actorgraph_pid(base)
        (worker,) = query_workers(server)
        running = clients.submit(fetch, query_url(base, FOREVER))
        time.sleep(0.5)  # the worker is busy: it would not notice its server's end
        os.kill(server, signal.SIGKILL)
        assert running.result()[0] == 0
        assert within(2, lambda: not is_running(worker))


def test_serving_is_announced_once_bound_and_sigint_stops_it() -> None:
    with start_actorgraph("--port", "0", "--workers", "1") as process:
        try:
            assert process.stderr is not None
            readable, _, _ = select.select([process.stderr], [], [], 60)
            line = process.stderr.readline() if readable else ""
            assert line.startswith("serving on http://127.0.0.1:"), line
            base = line.split()[2].rstrip("/")
            status, _, _ = fetch(query_url(base, "ASK {}"))  # at once: it listens already
            assert status == 200
            process.send_signal(signal.SIGINT)
            process.wait(5)
        finally:
            process.kill()


# ---------------------------------------------------------------- admission control


@pytest.mark.adversarial
def test_a_full_queue_is_refused_and_the_wait_counts_in_the_limit() -> None:
    limit = 2.0
    options = ["--workers", "1", "--max-queue", "2", "--timeout", str(limit)]
    with (
        running_actorgraph(*options) as base,
        concurrent.futures.ThreadPoolExecutor(4) as clients,
    ):

        def timed(url: str) -> tuple[int, float]:
            started = time.monotonic()
            return fetch(url)[0], time.monotonic() - started

        clients.submit(fetch, query_url(base, FOREVER))  # runs
        time.sleep(0.3)
        waiting = [
            clients.submit(timed, query_url(base, FOREVER)),
            clients.submit(timed, base + "/queries/enemies?actor=IS-K"),
        ]
        time.sleep(0.3)
        started = time.monotonic()
        status, headers, body = fetch(base + "/queries/enemies?actor=IS-K")
        assert (status, time.monotonic() - started < 1) == (503, True)
        assert int(headers["retry-after"]) >= 1
        assert "busy" in one_clean_line(body)
        # the waiting requests end within their own limit, not after the runaway's
        for future in waiting:
            _, took = future.result()
            assert took < limit + 1


@pytest.mark.adversarial
def test_queries_of_clients_that_left_are_dropped_or_stopped() -> None:
    with running_actorgraph("--workers", "1", "--timeout", "8") as base:
        server = actorgraph_pid(base)
        running = send_and_leave_open(base, FOREVER)
        time.sleep(0.5)
        (worker,) = query_workers(server)
        waiting = send_and_leave_open(base, FOREVER)
        time.sleep(0.3)
        running.close()
        waiting.close()
        # the worker running the query of a client that left is stopped, long before the limit
        assert within(2, lambda: not is_running(worker))
        # and the waiting query never runs: the next one gets the new worker
        started = time.monotonic()
        status, _, _ = fetch(query_url(base, "ASK { ?s ?p ?o }"))
        assert (status, time.monotonic() - started < 4) == (200, True)


@pytest.mark.adversarial
def test_a_client_that_never_finishes_its_headers_is_dropped() -> None:
    with running_actorgraph("--header-timeout", "1") as base:
        host, port = urllib.parse.urlsplit(base).netloc.split(":")

        def closed_within(seconds: float, dribble: bool) -> bool:
            with socket.create_connection((host, int(port))) as connection:
                if dribble:
                    connection.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    try:
                        if dribble:
                            connection.sendall(b"X-Slow: 1\r\n")
                        readable, _, _ = select.select([connection], [], [], 0.25)
                        if readable and connection.recv(1024) == b"":
                            return True
                    except OSError:
                        return True
            return False

        assert closed_within(3, dribble=False)  # sends nothing at all
        assert closed_within(3, dribble=True)  # one header line at a time, never the end
        assert fetch(query_url(base, "ASK {}"))[0] == 200  # others are still answered


@pytest.mark.adversarial
def test_a_body_that_does_not_arrive_in_time_is_answered_408_and_closed() -> None:
    with running_actorgraph("--header-timeout", "1") as base:
        host, port = urllib.parse.urlsplit(base).netloc.split(":")
        with socket.create_connection((host, int(port))) as connection:
            connection.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK {"
            )  # 5 of 1,000 bytes, then nothing
            connection.settimeout(5)
            started, answer = time.monotonic(), b""
            with contextlib.suppress(OSError):
                while chunk := connection.recv(4096):
                    answer += chunk
            assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 4
            assert b"request body not received within 1 s" in answer
        # a client that leaves mid-body is no application error, and the server goes on
        with socket.create_connection((host, int(port))) as connection:
            connection.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK"
            )
        assert fetch(query_url(base, "ASK {}"))[0] == 200


# ---------------------------------------------------------------- results and the protocol


@pytest.mark.adversarial
def test_the_row_cap_stops_reading_a_huge_result(server: str) -> None:
    construct = "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    for query, format_name in ((HUGE, "json"), (construct, "ntriples")):
        started = time.monotonic()
        status, headers, body = fetch(query_url(server, query, format=format_name))
        assert (status, headers.get("x-actorgraph-truncated")) == (200, "true")
        assert time.monotonic() - started < 2  # it did not read on until the 3 s limit
        if format_name == "json":
            assert len(json.loads(body)["results"]["bindings"]) == 50
        else:
            assert 0 < len(body.splitlines()) <= 50


def _cpu_seconds(pid: int) -> float:
    """The CPU time process ``pid`` has used (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.adversarial
def test_a_long_query_is_checked_in_a_worker_not_in_the_server(server: str) -> None:
    """A long text is checked where the time limit stops the work: the server's own process
    spends next to nothing on a body made to be slow to check, whatever the answer."""
    post = {"method": "POST", "Content-Type": "application/sparql-query"}
    slow = "ASK { FILTER(1 " + "<x:(> " * 120 + "<" + "()" * 495_000 + "> 1) }"
    pid = actorgraph_pid(server)
    before = _cpu_seconds(pid)
    status, _, body = fetch(server + "/sparql", body=slow.encode(), **post)
    assert status in (400, 503), status  # refused by the check, or stopped at the limit
    assert "ways" in one_clean_line(body) or "limit" in one_clean_line(body)
    assert _cpu_seconds(pid) - before < 0.5

    padding = "# " + "x" * 10_000 + "\n"  # longer than the server checks itself
    status, _, body = fetch(server + "/sparql", body=(padding + HUGE).encode(), **post)
    assert status == 200
    status, headers, _ = fetch(
        server + "/sparql", body=(padding + "CONSTRUCT WHERE { ?s ?p ?o }").encode(), **post
    )
    assert status == 200 and headers["content-type"].startswith("text/turtle")  # a graph
    service = padding + "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    status, _, body = fetch(server + "/sparql", body=service.encode(), **post)
    assert status == 400 and "SERVICE is refused" in one_clean_line(body)


@pytest.mark.adversarial
def test_a_query_past_the_memory_limit_fails_alone_and_its_worker_is_replaced() -> None:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(20))
    doubling = f'SELECT (STRLEN(?s20) AS ?n) WHERE {{ BIND("{"x" * 1024}" AS ?s0) {binds} }}'
    with running_actorgraph("--workers", "1", "--max-memory", "300M") as base:  # index: on
        (first,) = query_workers(actorgraph_pid(base))
        status, _, body = fetch(query_url(base, doubling))  # 3 GB without a limit
        assert status == 503 and "worker" in one_clean_line(body)
        status, _, body = fetch(query_url(base, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
        assert status == 200
        assert query_workers(actorgraph_pid(base)) != [first]


def test_head_answers_like_get_without_a_body(server: str) -> None:
    url = query_url(server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    got = fetch(url)
    head = fetch(url, method="HEAD")
    assert (head[0], head[2]) == (200, b"")
    assert head[1]["content-type"] == got[1]["content-type"]
    assert int(head[1]["content-length"]) == len(got[2])
    status, headers, _ = fetch(server + "/sparql", method="HEAD")  # the service description
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/turtle")


def test_dataset_parameters_are_refused(server: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    graph = "https://example.org/other"
    form = "application/x-www-form-urlencoded"
    for name in ("default-graph-uri", "named-graph-uri"):
        replies = [
            fetch(query_url(server, query, **{name: graph})),
            fetch(
                server + "/sparql",
                method="POST",
                body=urllib.parse.urlencode({"query": query, name: graph}).encode(),
                **{"Content-Type": form},
            ),
            fetch(
                server + "/sparql?" + urllib.parse.urlencode({name: graph}),
                method="POST",
                body=query.encode(),
                **{"Content-Type": "application/sparql-query"},
            ),
        ]
        for status, _, body in replies:
            assert status == 400
            assert "one default graph" in one_clean_line(body)


def test_actor_pages_are_rendered_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    from actorgraph.server import create_app, pages

    threads: list[int] = []

    def page(kg: ActorGraph, name: str) -> str:
        threads.append(threading.get_ident())
        return f"<p>{name}</p>"

    monkeypatch.setattr(pages, "actor_page", page)
    app = create_app(ActorGraph.load(), {"paths": []})
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    async def visit() -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/actors/ttp",
            "raw_path": b"/actors/ttp",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:80")],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        await app(scope, receive, send)
        return threading.get_ident()

    loop_threads: list[int] = []
    runner = threading.Thread(target=lambda: loop_threads.append(asyncio.run(visit())))
    runner.start()  # a thread of its own: no other event loop may be running in it
    runner.join(30)
    (loop_thread,) = loop_threads
    assert sent[0]["status"] == 200
    assert threads and threads[0] != loop_thread
