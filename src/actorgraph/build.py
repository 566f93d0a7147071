"""Writing the graph out: Turtle, N-Triples and JSON-LD, and the validated build folder.

A build replaces its output folder as one whole generation, never file by file:

1. the graph is validated; nothing is touched unless it is valid;
2. the build takes a lock (``flock`` on the parent folder: builds there wait their turn; the
   kernel releases it however the process ends) and removes what killed builds left;
3. every file is written and synced into a new staging folder ``.NAME.staging-XXXX`` beside the
   output folder ``NAME``, on the same file system;
4. one ``rename``: a new output folder is renamed into place; an existing one is exchanged with
   the staging folder by ``renameat2(RENAME_EXCHANGE)``, which swaps the two names atomically
   on Linux, so at every instant ``NAME`` is either the previous generation, untouched, or the
   new one, complete; the staging folder, now holding the previous generation, is removed.
   Where the exchange is unsupported (another system, a file system without it), the old
   folder is renamed aside (``.NAME.previous-XXXX``) and the new one into place: ``NAME`` is
   briefly absent, and a build killed in between is restored by the next run.

``kill -9`` at any moment therefore leaves the old or the new generation plus, at worst, a
staging folder that the next build removes; SIGTERM and SIGHUP during steps 2–4 remove it
before the process ends as the signal asks. An existing output folder is replaced only if it
holds nothing but a build's files, so a mistaken ``-o`` never deletes other work.

>>> from actorgraph import ActorGraph
>>> ActorGraph.load().serialize(GraphFormat.TURTLE).startswith(b"@prefix")
True
"""

from __future__ import annotations

import contextlib
import enum
import errno
import functools
import json
import os
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import ActorGraphError, ValidationError
from .files import in_existing_folder, locked
from .namespaces import PREFIXES, RDF

if TYPE_CHECKING:
    from .graph import ActorGraph
    from .validate import Report

__all__ = ["BuildResult", "GraphFormat", "build", "jsonld", "serialize"]


class GraphFormat(enum.Enum):
    """RDF serialisations the graph can be written in (value: file extension)."""

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and what validation found."""

    folder: Path
    files: tuple[Path, ...]
    report: Report


def serialize(kg: ActorGraph, format: GraphFormat) -> bytes:
    """Serialise every triple of ``kg`` (direct edges included); JSON-LD uses an inline context."""
    if format is GraphFormat.JSONLD:
        return jsonld(kg.store.triples())
    if format is GraphFormat.NTRIPLES:
        ntriples = ox.serialize(kg.store.triples(), format=ox.RdfFormat.N_TRIPLES)
        assert ntriples is not None  # returned, not written: no output was given
        return ntriples
    return kg.store.turtle(PREFIXES)


def jsonld(triples: Iterable[ox.Triple]) -> bytes:
    """JSON-LD of ``triples``: one node object per subject, IRIs compacted by an inline
    ``@context`` of our prefixes (reading it needs no network), ``rdf:type`` as ``@type``.

    pyoxigraph writes the expanded document; only IRIs are shortened here, by prefixes that
    expand back to exactly the same IRI, so the graph is the same.

    >>> t = ox.Triple(ox.NamedNode(PREFIXES["act"] + "isk"),
    ...     ox.NamedNode(PREFIXES["skos"] + "prefLabel"), ox.Literal("IS-K", language="en"))
    >>> json.loads(jsonld([t]))["@graph"]
    [{'@id': 'act:isk', 'skos:prefLabel': [{'@language': 'en', '@value': 'IS-K'}]}]
    """
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate)))
    expanded = ox.serialize(ordered, format=ox.RdfFormat.JSON_LD)
    assert expanded is not None  # returned, not written: no output was given
    namespaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    @functools.cache
    def compact(iri: str) -> str:
        for prefix, namespace in namespaces:
            if iri.startswith(namespace) and not iri[len(namespace) :].startswith("//"):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def value(term: dict[str, str]) -> dict[str, str]:
        return {k: compact(v) if k in ("@id", "@type") else v for k, v in term.items()}

    nodes = []
    for node in json.loads(expanded):
        compacted: dict[str, Any] = {"@id": compact(node.pop("@id"))}
        types = node.pop(_RDF_TYPE, [])
        if all(set(t) == {"@id"} and not t["@id"].startswith("_:") for t in types):
            compacted.update({"@type": [compact(t["@id"]) for t in types]} if types else {})
        else:
            node[_RDF_TYPE] = types
        for predicate, objects in node.items():
            compacted[compact(predicate)] = [value(term) for term in objects]
        nodes.append(compacted)
    document = {"@context": dict(PREFIXES), "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def build(
    kg: ActorGraph, folder: Path, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Validate ``kg``; only if valid, replace ``folder`` by a new generation holding
    ``graph.ttl``, ``graph.jsonld`` and ``graph.html`` (see the module's description)."""
    folder = in_existing_folder(folder).resolve()  # a mistyped path makes no folder tree
    report = kg.validate(progress=progress)
    if not report.ok:
        raise ValidationError(report.problems)
    if progress is not None:
        progress("writing")
    if folder.exists() and not folder.is_dir():
        raise ActorGraphError(f"{folder}: exists and is not a folder")
    try:
        with _ending_cleanly(folder), locked(folder.parent):
            _remove_leftovers(folder)
            _check_replaceable(folder)
            _publish(kg, folder)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ActorGraphError(f"{folder}: cannot write build output: {reason}") from None
    return BuildResult(folder, tuple(folder / name for name in _OUTPUTS), report)


_RDF_TYPE = RDF["type"]
_OUTPUTS = ("graph.ttl", "graph.jsonld", "graph.html")
_STAGING = ".staging-"
_PREVIOUS = ".previous-"
_RENAME_EXCHANGE = 2  # linux/fs.h
_ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_AT_FDCWD = -100


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived during a build: unwinds it so its staging folder is removed."""


def _publish(kg: ActorGraph, folder: Path) -> None:
    """Write every file into a staging folder, then swap it with ``folder`` in one step."""
    from .view import render_view

    staging = _fresh_name(folder, _STAGING)
    try:
        staging.mkdir()  # inside: a signal arriving just after it still removes the folder
        contents = {
            "graph.ttl": serialize(kg, GraphFormat.TURTLE),
            "graph.jsonld": serialize(kg, GraphFormat.JSONLD),
            "graph.html": render_view(kg).encode("utf-8"),
        }
        for name, data in contents.items():
            _write_synced(staging / name, data)
        if folder.exists():  # the new generation keeps the folder's permissions
            os.chmod(staging, stat.S_IMODE(os.stat(folder).st_mode))
        _sync(staging)
        _swap(staging, folder)
        _sync(folder.parent)
    finally:
        _remove(staging)  # after the swap: the previous generation


def _swap(staging: Path, folder: Path) -> None:
    """Put ``staging`` in the place of ``folder``; afterwards ``staging`` holds what was there."""
    if not os.path.lexists(folder):
        os.rename(staging, folder)
    elif not _exchange(staging, folder):
        previous = _fresh_name(folder, _PREVIOUS)
        try:
            os.rename(folder, previous)
            os.rename(staging, folder)
        finally:  # also when a signal arrives between the two renames or just after them
            if os.path.lexists(folder):
                _remove(previous)  # the previous generation, if it was set aside
            else:
                os.rename(previous, folder)


def _remove(folder: Path) -> None:
    """Remove ``folder``, finishing even if SIGTERM interrupts (it interrupts only once)."""
    try:
        shutil.rmtree(folder, ignore_errors=True)
    except _Terminated:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically (Linux ``renameat2``); False if unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes  # only here: most commands never swap folders

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    path, at = ctypes.c_char_p, ctypes.c_int
    renameat2.argtypes = [at, path, at, path, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _fresh_name(folder: Path, kind: str) -> Path:
    """An unused name ``.NAME<kind>XXXXXXXX`` beside ``folder``."""
    while True:
        path = folder.with_name(f".{folder.name}{kind}{os.urandom(4).hex()}")
        if not os.path.lexists(path):
            return path


def _remove_leftovers(folder: Path) -> None:
    """Remove the staging folders of killed builds of ``folder``; a previous generation set
    aside by a build killed mid-swap goes back into place if ``folder`` is missing."""
    for entry in os.scandir(folder.parent):
        if not entry.name.startswith(f".{folder.name}."):
            continue
        rest = entry.name[len(folder.name) + 1 :]
        path = Path(entry.path)
        if rest.startswith(_PREVIOUS) and not os.path.lexists(folder):
            os.rename(path, folder)
        elif rest.startswith((_STAGING, _PREVIOUS)):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()


def _check_replaceable(folder: Path) -> None:
    """Refuse to replace a folder that holds anything but a build's files."""
    if not folder.exists():
        return
    foreign = sorted(
        name
        for name in os.listdir(folder)
        if name not in _OUTPUTS or not (folder / name).is_file() or (folder / name).is_symlink()
    )
    if foreign:
        shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
        raise ActorGraphError(
            f"{folder}: holds files a build did not write ({shown}); "
            "build into a new or empty folder"
        )


@contextlib.contextmanager
def _ending_cleanly(folder: Path) -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception inside the block, so its clean-up runs, then
    act on the signal as before (by default: end the process). Only in the main thread, where
    Python runs signal handlers; signals that were ignored stay ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, frame: object) -> None:
        if not received:
            received.append(signum)
            raise _Terminated(signum)

    previous = {}
    for signum in _ENDING_SIGNALS:
        if signal.getsignal(signum) not in (signal.SIG_IGN, None):
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    except _Terminated:
        pass
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)
    if received:
        signal.raise_signal(received[0])  # ends the process unless a previous handler returns
        name = signal.Signals(received[0]).name
        raise ActorGraphError(f"{folder}: build interrupted by {name}")


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "xb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _sync(folder: Path) -> None:
    """Make a folder's entries durable where the file system can (a crash, not a kill)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
