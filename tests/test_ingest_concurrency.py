"""Decisions on one review folder from several tabs, reviewers or commands at once; the review
page's host, origin and body checks."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from actorgraph import ActorGraph
from actorgraph.errors import ActorGraphError, GraphFileError
from actorgraph.review import accept, ingest
from actorgraph.review_app import create_review_app
from actorgraph.starter import init_graph

# A text of our own: one candidate per sentence, all between the same two actors.
SENTENCES = 12
TEXT = "".join(
    f"The River Brigade attacked the Northern Front in {1900 + i}.\n" for i in range(SENTENCES)
)
Call = tuple[int, bytes, int]  # status, body, how many times the app asked for the body


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    grown = init_graph(tmp_path / "g")
    text = tmp_path / "many.txt"
    text.write_text(TEXT, encoding="utf-8")
    result = ingest(text, into=grown, source_id="many", title="Many")
    assert len(result.candidates) == SENTENCES
    return grown


def open_candidates(folder: Path) -> list[str]:
    rows = ActorGraph.load(folder).query("candidates").dicts()
    return sorted(str(row["statement"]).rsplit("/", 1)[1] for row in rows)


def decided(folder: Path) -> dict[str, str]:
    """Each candidate decided on disk and its verdict, read from the review files."""
    found = {}
    for path in (folder / "review").glob("*.ttl"):
        for block in path.read_text(encoding="utf-8").split("[] a ag:Decision")[1:]:
            ident = block.split("cand:", 1)[1].split()[0]
            found[ident] = block.split("ag:verdict ag:", 1)[1].split()[0]
    return found


def call(
    app: object,
    method: str,
    path: str,
    headers: Sequence[tuple[str, str]],
    chunks: Sequence[bytes] = (b"",),
    server: tuple[str, int] = ("127.0.0.1", 8001),
) -> Call:
    """One request to an ASGI app, as uvicorn makes it, on a loop of its own."""
    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(),
        "query_string": b"", "root_path": "", "scheme": "http", "http_version": "1.1",
        "server": server, "client": ("127.0.0.1", 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }  # fmt: skip
    sent: list[dict[str, object]] = []
    asked = [0]

    async def receive() -> dict[str, object]:
        asked[0] += 1
        if asked[0] > len(chunks):
            return {"type": "http.disconnect"}
        return {
            "type": "http.request", "body": chunks[asked[0] - 1],
            "more_body": asked[0] < len(chunks),
        }  # fmt: skip

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    failure: list[BaseException] = []

    def serve() -> None:  # a thread of its own: a browser test may leave a loop running here
        try:
            asyncio.run(app(scope, receive, send))  # type: ignore[operator]
        except Exception as error:  # an error answered 500 is raised on to the server
            failure.append(error)
        finally:
            gc.collect()  # pyoxigraph objects made here are dropped here, not on another thread

    thread = threading.Thread(target=serve)
    thread.start()
    thread.join()
    if failure and not sent:
        raise failure[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])  # type: ignore[misc]
    return int(str(sent[0]["status"])), body, asked[0]


def decide(app: object, verdict: str, candidate: str, host: str = "127.0.0.1:8001") -> Call:
    data = json.dumps({"verdict": verdict, "candidate": candidate}).encode()
    headers = [
        ("host", host),
        ("origin", f"http://{host}"),
        ("content-type", "application/json"),
        ("content-length", str(len(data))),
    ]
    return call(app, "POST", "/decide", headers, [data])


def at_once(jobs: Sequence[Callable[[], Call]]) -> list[Call]:
    """Run ``jobs`` on threads of their own, released together."""
    start = threading.Barrier(len(jobs))
    answers: list[Call | None] = [None] * len(jobs)

    def run(index: int) -> None:
        start.wait()
        answers[index] = jobs[index]()

    gc.collect()  # here: pyoxigraph's objects of earlier tests may not be dropped on another thread
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(answer is not None for answer in answers)
    return [answer for answer in answers if answer is not None]


def test_decisions_from_several_tabs_at_once_are_all_kept(folder: Path) -> None:
    app = create_review_app(folder)
    ids = open_candidates(folder)
    verdicts = {c: ("accept" if i % 2 == 0 else "reject") for i, c in enumerate(ids)}
    answers = at_once(
        [lambda c=c, v=v: decide(app, v, c) for c, v in verdicts.items()]  # type: ignore[misc]
    )
    assert [status for status, _, _ in answers] == [200] * len(ids), answers
    on_disk = decided(folder)
    assert on_disk == {c: v.capitalize() + "ed" for c, v in verdicts.items()}
    kg = ActorGraph.load(folder)
    assert kg.validate().ok
    assert len(kg.statements()) == 1 + len(ids) // 2  # the starter's statement and the accepts
    assert open_candidates(folder) == []


def test_decisions_from_several_commands_at_once_are_all_kept(folder: Path) -> None:
    ids = open_candidates(folder)[:4]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    commands = [
        subprocess.Popen(
            [sys.executable, "-m", "actorgraph", "accept" if i % 2 else "reject", str(folder), c],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, c in enumerate(ids)
    ]
    for command in commands:
        _, error = command.communicate(timeout=120)
        assert command.returncode == 0, error
    assert decided(folder) == {c: "Accepted" if i % 2 else "Rejected" for i, c in enumerate(ids)}
    assert ActorGraph.load(folder).validate().ok


def test_an_accept_whose_check_cannot_read_a_file_writes_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    def unreadable(self: ActorGraph) -> object:
        raise GraphFileError("g/claims/many.ttl", 14, "a dot is expected")

    monkeypatch.setattr(ActorGraph, "validate", unreadable)
    with pytest.raises(ActorGraphError) as raised:
        accept(folder, open_candidates(folder)[0])
    assert str(raised.value) == (
        "g/claims/many.ttl:14: a dot is expected (the accept was undone: nothing written)"
    )
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_an_accept_killed_while_it_validates_leaves_the_folder_as_it_was(folder: Path) -> None:
    """Validation runs before anything is written: a crash, an out-of-memory kill or
    ``kill -9`` in it leaves no statement that was never validated."""
    before = {p: p.read_bytes() for p in folder.rglob("*.ttl")}
    code = (
        "import os, signal, sys\n"
        "from actorgraph import ActorGraph\n"
        "from actorgraph.review import accept\n"
        "ActorGraph.validate = lambda self: os.kill(os.getpid(), signal.SIGKILL)\n"
        "accept(sys.argv[1], sys.argv[2])\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", code, str(folder), open_candidates(folder)[0]], env=os.environ
    )
    assert killed.returncode == -9
    assert {p: p.read_bytes() for p in folder.rglob("*.ttl")} == before
    accept(folder, open_candidates(folder)[0])  # and the next accept goes through
    assert ActorGraph.load(folder).validate().ok


@pytest.mark.parametrize(
    "host",
    ["attacker.example:8001", "attacker.example", "127.0.0.1:8002", "localhost:9", "[::2]:8001"],
)
def test_the_review_page_answers_its_own_host_and_port_only(folder: Path, host: str) -> None:
    app = create_review_app(folder)
    status, _, _ = call(app, "GET", "/", [("host", host)])
    assert status == 400
    candidate = open_candidates(folder)[0]
    status, _, _ = decide(app, "reject", candidate, host=host)  # a page re-bound to 127.0.0.1
    assert status == 400
    assert decided(folder) == {}


@pytest.mark.parametrize("host", ["127.0.0.1:8001", "localhost:8001", "[::1]:8001"])
def test_the_review_page_answers_its_loopback_names(folder: Path, host: str) -> None:
    app = create_review_app(folder)
    status, page, _ = call(app, "GET", "/", [("host", host)])
    assert status == 200 and b"River Brigade" in page
    status, _, _ = decide(app, "reject", open_candidates(folder)[0], host=host)
    assert status == 200


def test_a_decision_from_another_origin_is_refused(folder: Path) -> None:
    app = create_review_app(folder)
    data = json.dumps({"verdict": "reject", "candidate": open_candidates(folder)[0]}).encode()
    for origin in ("http://attacker.example:8001", "http://127.0.0.1:8002", "null"):
        headers = [("host", "127.0.0.1:8001"), ("origin", origin),
                   ("content-type", "application/json")]  # fmt: skip
        status, body, _ = call(app, "POST", "/decide", headers, [data])
        assert (status, body) == (403, b"decisions come from this page only\n")
    assert decided(folder) == {}


def test_an_oversized_decision_is_refused_before_it_is_read(folder: Path) -> None:
    app = create_review_app(folder)
    headers = [("host", "127.0.0.1:8001"), ("content-type", "application/json")]
    declared = [*headers, ("content-length", str(10**9))]
    status, body, asked = call(app, "POST", "/decide", declared, [b"{"] * 1000)
    assert (status, body, asked) == (413, b"request too large\n", 0)
    streamed = [b"x" * 4096] * 1000  # no length given: cut once past the limit
    status, body, asked = call(app, "POST", "/decide", headers, streamed)
    assert (status, body) == (413, b"request too large\n") and asked < 10
