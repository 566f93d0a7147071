"""Local servers for the tests and the benchmarks, each on free loopback ports: `actorgraph
serve`, an Oxigraph server (PyPI ``oxigraph``) and Virtuoso (Debian
``virtuoso-opensource-7-bin``). Each is a context manager that yields the server's base URL and
stops the server on exit.

>>> with running_actorgraph() as base:
...     base.startswith("http://127.0.0.1:")
True
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "VIRTUOSO_AUTH",
    "VIRTUOSO_GRAPH",
    "ServerError",
    "actorgraph_pid",
    "children",
    "free_port",
    "is_running",
    "oxigraph_binary",
    "query_workers",
    "running_actorgraph",
    "running_oxigraph",
    "running_virtuoso",
    "start_actorgraph",
    "virtuoso_binary",
]

VIRTUOSO_GRAPH = "https://w3id.org/actorgraph/graph"
VIRTUOSO_AUTH = ("dba", "dba")  # a fresh database's administrator
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = virtuoso.db
ErrorLogFile       = virtuoso.log
LockFile           = virtuoso.lck
TransactionFile    = virtuoso.trx
xa_persistent_file = virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = .
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerThreads = 10
Charset       = UTF-8

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


class ServerError(RuntimeError):
    """A server exited or did not answer in time."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary: on PATH or beside this Python (a venv's bin/)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    return found if Path(found).exists() else None


def virtuoso_binary() -> str | None:
    """Virtuoso's ``virtuoso-t`` on PATH."""
    return shutil.which("virtuoso-t")


def _die_with_parent() -> None:
    """In the child: be stopped when the process that started us dies, even by a signal that
    skips its clean-up (a CI timeout's SIGTERM), so no server outlives a test run (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def _serving(
    command: list[str], ready: str, *, cwd: Path | None = None, seconds: float = 60
) -> Iterator[None]:
    """Run ``command`` until the with-block ends, once ``ready`` (a URL) answers."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent,
    )
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                urllib.request.urlopen(ready, timeout=2).read()
                break
            except OSError:
                if process.poll() is not None:
                    error = process.stderr.read().decode() if process.stderr else ""
                    raise ServerError(f"{command[0]} exited: {error.strip()}") from None
                if time.monotonic() > deadline:
                    raise ServerError(f"no answer from {ready}") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(30)
        if process.stderr:
            process.stderr.close()


@contextlib.contextmanager
def running_actorgraph(*options: str) -> Iterator[str]:
    """``actorgraph serve OPTIONS`` on the bundled graph."""
    port = free_port()
    command = [sys.executable, "-c", "from actorgraph.cli import main; main()", "serve"]
    base = f"http://127.0.0.1:{port}"
    with _serving([*command, "--port", str(port), *options], base + "/sparql?query=ASK%7B%7D"):
        yield base


@contextlib.contextmanager
def running_oxigraph(binary: str) -> Iterator[str]:
    """An empty in-memory Oxigraph server (``/query``, ``/update``)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _serving(
        [binary, "serve", "--bind", f"127.0.0.1:{port}"], base + "/query?query=ASK%7B%7D"
    ):
        yield base


@contextlib.contextmanager
def running_virtuoso(binary: str, folder: Path) -> Iterator[str]:
    """A fresh Virtuoso with its database in ``folder``: ``/sparql`` anonymous and read-only,
    ``/sparql-auth`` for updates with HTTP Digest as ``VIRTUOSO_AUTH``."""
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(sql_port=free_port(), http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    command = [binary, "+foreground", "+configfile", str(ini)]
    with _serving(command, base + "/sparql?query=ASK%7B%7D", cwd=folder, seconds=120):
        yield base


def start_actorgraph(*options: str) -> subprocess.Popen[str]:
    """Start ``actorgraph serve OPTIONS`` on the bundled graph without waiting for it; its
    standard error is a text pipe (what it announces), and it is the caller's to stop."""
    command = [sys.executable, "-c", "from actorgraph.cli import main; main()", "serve"]
    return subprocess.Popen(
        [*command, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_die_with_parent,
    )


def _stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent's id, from ``/proc`` (None: no such process)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, parent = text.rpartition(")")[2].split()[:2]  # the name before ")" may hold spaces
    return state, int(parent)


def _arguments(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def is_running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie has)."""
    found = _stat(pid)
    return found is not None and found[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    """The running child processes of ``pid`` (Linux ``/proc``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == pid and stat[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return sorted(found)


def actorgraph_pid(base: str) -> int:
    """The id of the ``actorgraph serve`` process, started by this one, that answers at
    ``base`` (from :func:`running_actorgraph` or :func:`start_actorgraph`)."""
    port = base.rstrip("/").rpartition(":")[2]
    for pid in children(os.getpid()):
        arguments = _arguments(pid)
        if "serve" in arguments and f"--port\0{port}" in "\0".join(arguments):
            return pid
    raise ServerError(f"no actorgraph serve of this process listens on port {port}")


def query_workers(server: int) -> list[int]:
    """The running query worker processes of the ``actorgraph serve`` process ``server``."""
    return [pid for pid in children(server) if any("spawn_main" in a for a in _arguments(pid))]
