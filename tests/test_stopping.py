"""Ctrl-C and a busy port on the commands that run until stopped: one line, or none, and the
exit status a shell expects (130 after Ctrl-C, 1 for an error)."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from actorgraph import ActorGraph

COMMAND = [sys.executable, "-c", "from actorgraph.cli import main; main()"]
NOISE = ("Traceback", "KeyboardInterrupt", "Aborted", "Process ", "ERROR")


def ctrl_c(args: list[str], ready: str, url: str) -> tuple[int, str]:
    """Start ``actorgraph ARGS`` in a process group of its own, wait for the stderr line
    starting with ``ready``, fetch ``url`` from the address it names, then send SIGINT to
    the whole group, as a terminal's Ctrl-C does: the exit status and all of stderr."""
    process = subprocess.Popen(
        [*COMMAND, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stderr is not None
        readable, _, _ = select.select([process.stderr], [], [], 60)
        line = process.stderr.readline() if readable else ""
        assert line.startswith(ready), line
        base = next(word for word in line.split() if word.startswith("http://")).rstrip("/")
        deadline = time.monotonic() + 20
        while True:  # the server answers (and its workers are up)
            try:
                with urllib.request.urlopen(base + url, timeout=30) as response:
                    assert response.status == 200
                    break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
        os.killpg(process.pid, signal.SIGINT)
        _, rest = process.communicate(timeout=30)
        return process.returncode, line + rest
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()


def test_ctrl_c_stops_serve_and_its_workers_quietly() -> None:
    status, stderr = ctrl_c(
        ["serve", "--port", "0", "--workers", "2"], "serving on", "/sparql?query=ASK%7B%7D"
    )
    assert status == 130
    assert not any(noise in stderr for noise in NOISE), stderr
    assert len(stderr.splitlines()) <= 2  # the address, and the index used


def test_ctrl_c_stops_the_review_page_quietly(tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    status, stderr = ctrl_c(["review", str(folder), "--port", "0"], "reviewing", "/")
    assert status == 130
    assert stderr.splitlines() == [stderr.splitlines()[0]]  # nothing after the address


def test_ctrl_c_in_any_command_is_one_line_and_status_130(run, monkeypatch, tmp_path) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ActorGraph, "build", interrupted)
    result = run("build", "-o", str(tmp_path / "site"))
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Error: interrupted\n")


@contextmanager
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize("command", [["serve"], ["review", "."]])
def test_a_port_in_use_is_one_error_line(run, command: list[str]) -> None:
    with busy_port() as port:
        result = run(*command, "--port", str(port))
    assert result.exit_code == 1 and not result.stdout
    assert result.stderr == (
        f"Error: cannot listen on 127.0.0.1:{port}: address already in use (another server is "
        "using it: stop it or choose another --port)\n"
    )
