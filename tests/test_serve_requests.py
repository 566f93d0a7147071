"""``actorgraph serve``: which host names it answers (DNS rebinding), and requests refused before
any query runs: a query both in the URL and the body, parameters that are not UTF-8."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from actorgraph import ActorGraph
from actorgraph.hosts import allowed_hosts
from actorgraph.server import ServerSettings, create_app


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(ActorGraph.load(), {"paths": []})  # no lifespan: no worker is started


def call(
    app: Any,
    method: str,
    path: str,
    query: bytes = b"",
    headers: Sequence[tuple[str, str]] = (("host", "127.0.0.1:8000"),),
    body: bytes = b"",
) -> tuple[int, str]:
    """One request to the app, as uvicorn makes it, on a thread and loop of its own."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
        "root_path": "", "headers": [(k.encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    gc.collect()  # here: pyoxigraph's objects of earlier tests may not be dropped on another thread
    runner = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    runner.start()
    runner.join(30)
    text = b"".join(m.get("body", b"") for m in sent[1:]).decode()
    return int(sent[0]["status"]), text


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.2:8000", ""])
def test_a_request_for_another_host_name_is_refused(app: Any, host: str) -> None:
    for path in ("/", "/sparql", "/queries", "/actors/ttp"):
        status, text = call(app, "GET", path, headers=[("host", host)] if host else [])
        assert (status, text) == (400, "Invalid host header"), path
    form = [("host", host), ("content-type", "application/x-www-form-urlencoded")]
    status, _ = call(app, "POST", "/sparql", headers=form, body=b"query=ASK%7B%7D")
    assert status == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"])
def test_the_loopback_names_are_answered(app: Any, host: str) -> None:
    status, text = call(app, "GET", "/sparql", headers=[("host", host)])
    assert status == 200
    assert f"sd:endpoint <http://{host}/sparql>" in text


def test_the_host_names_a_user_allows_are_answered() -> None:
    hosts = allowed_hosts("0.0.0.0", ["graph.example.org", "*.example.net"])
    assert hosts == ["127.0.0.1", "localhost", "[::1]", "graph.example.org", "*.example.net"]
    app = create_app(ActorGraph.load(), {"paths": []}, ServerSettings(allowed_hosts=hosts))
    for host in ("graph.example.org", "graph.example.org:443", "a.example.net", "localhost:80"):
        assert call(app, "GET", "/queries", headers=[("host", host)])[0] == 200, host
    for host in ("example.org", "evil.example", "192.0.2.7"):
        assert call(app, "GET", "/queries", headers=[("host", host)])[0] == 400, host
    assert allowed_hosts("192.0.2.7") == ["192.0.2.7"]  # not reachable on loopback
    assert allowed_hosts("::1") == ["127.0.0.1", "localhost", "[::1]"]
    assert allowed_hosts("fd00::7", ["*"]) == ["[fd00::7]", "*"]


def test_the_allowed_host_option_refuses_a_port_or_scheme(run: Any) -> None:
    for value in ("graph.example.org:8000", "http://graph.example.org", "a.*.org"):
        result = run("serve", "--allowed-host", value)
        assert result.exit_code == 2
        assert "--allowed-host" in result.output and "without scheme or port" in result.output


def test_the_review_page_listens_on_loopback_only(run: Any, tmp_path: Any) -> None:
    result = run("review", str(tmp_path), "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "listens on this machine only" in result.output


def test_a_post_with_a_query_in_the_url_and_the_body_is_refused(app: Any) -> None:
    url = b"query=SELECT%20*%7B%7D"
    for content_type, body in (
        ("application/sparql-query", b"ASK{}"),
        ("application/x-www-form-urlencoded", b"query=ASK{}"),
    ):
        headers = [("host", "127.0.0.1:8000"), ("content-type", content_type)]
        status, text = call(app, "POST", "/sparql", url, headers, body)
        assert (status, text) == (
            400,
            "give exactly one query: a POST carries it in the body, not the URL\n",
        )
    headers = [("host", "127.0.0.1:8000"), ("content-type", "application/sparql-query")]
    status, text = call(app, "POST", "/sparql", b"update=CLEAR%20ALL", headers, b"ASK{}")
    assert (status, text) == (400, "updates are refused: this endpoint is read-only\n")


def test_parameters_that_are_not_utf8_are_refused(app: Any) -> None:
    query = b"query=ASK%7BFILTER(%22%FF%22%3D%22%EF%BF%BD%22)%7D"
    expected = (400, "parameter 'query' is not UTF-8 (percent-encode its text as UTF-8)\n")
    assert call(app, "GET", "/sparql", query) == expected
    form = [("host", "127.0.0.1:8000"), ("content-type", "application/x-www-form-urlencoded")]
    assert call(app, "POST", "/sparql", headers=form, body=query) == expected
    status, text = call(app, "GET", "/queries/find-actors", b"text=%FF")
    assert (status, text) == (
        400,
        "parameter 'text' is not UTF-8 (percent-encode its text as UTF-8)\n",
    )
    raw = 'query=ASK{FILTER("\xff")}'.encode("latin-1")  # a raw byte, not UTF-8, in the URL
    assert call(app, "GET", "/sparql", raw) == expected
