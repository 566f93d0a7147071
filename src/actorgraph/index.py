"""The index: a graph's files loaded, checked and derived once into an on-disk pyoxigraph store,
reopened in a fraction of a second as long as every file has the content it was built from.

An index is keyed by the content of every input file (a BLAKE2b digest each), the list of
files, the actorgraph and pyoxigraph versions and the source of the code that loads files. It is
never used stale: opening it compares each file's size, modification and change times and inode
with those recorded, and reads and compares by digest any file whose metadata differ or that
changed within two seconds of being recorded (a change in the same clock tick leaves the
metadata alone). A digest that differs, a file added or removed, or another version of
actorgraph means a rebuild. Builders write into a staging folder and rename it into place, so
concurrent builders and readers never see half an index; readers open the store read-only, any
number at once, and hold a shared lock on it so that no builder removes it under them.

Indexes live in the cache folder (``$ACTORGRAPH_CACHE``, else ``$XDG_CACHE_HOME/actorgraph``,
else ``~/.cache/actorgraph``), one folder per list of graph paths::

    indexes/<digest of the paths>/current     the key of the index in use
    indexes/<digest of the paths>/<key>/      manifest.json, code, lock and store/ (RocksDB)

>>> import os, tempfile
>>> from unittest import mock
>>> from actorgraph.loading import find_inputs
>>> with mock.patch.dict(os.environ, {"ACTORGRAPH_CACHE": tempfile.mkdtemp()}):
...     inputs = find_inputs([])
...     before = check_index(inputs)
...     store, files, built = build_index(inputs)
...     found, _ = check_index(inputs)
>>> before
(None, 'no index has been built for these files')
>>> found == built, built.reused, found.reused
(True, False, True)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from .errors import ActorGraphError
from .files import atomic_write
from .loading import GraphInputs, load_files
from .store import OxigraphStore
from .turtle import TurtleFile, digest, read_bytes

__all__ = [
    "Index",
    "IndexedFile",
    "build_index",
    "cache_folder",
    "check_index",
    "open_index",
    "reopen",
]

_FORMAT = 1
_MANIFEST = "manifest.json"
_CODE = "code"
_CURRENT = "current"
_LOCK = "lock"
_STORE = "store"
_STAGING = ".building-"
_RACY_NS = 2_000_000_000  # a file changed this close to being recorded is compared by digest
_STALE_STAGING_S = 3600  # a staging folder this old, and unlocked, was left by a dead builder
# The code whose results an index holds: a change to any of it makes a new index.
_LOADER_SOURCES = ("loading.py", "turtle.py", "truthy.py", "lexical.py", "store.py", "index.py")

Opened = tuple[OxigraphStore, list[TurtleFile], "Index"]


class _CacheError(ActorGraphError):
    """The cache folder cannot be written or an index in it cannot be opened."""


@dataclass(frozen=True)
class IndexedFile:
    """One input file as recorded in an index: resolved path, digest, and its metadata when
    the digest was last checked (``checked_ns``)."""

    path: str
    digest: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    checked_ns: int

    def state(self) -> Literal["same", "unsure", "gone"]:
        """``same`` if the metadata are those recorded and were recorded well after the last
        change; ``gone`` if the file cannot be found; else ``unsure`` (compare digests)."""
        try:
            now = os.stat(self.path)
        except OSError:
            return "gone"
        recorded = (self.size, self.mtime_ns, self.ctime_ns, self.inode)
        if (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino) != recorded:
            return "unsure"
        return "unsure" if self.mtime_ns >= self.checked_ns - _RACY_NS else "same"


@dataclass(frozen=True)
class Index:
    """A built index: its folder, key, the files it was built from (in load order) and how
    many triples it holds. ``reused`` is False when this call built it, ``reason`` saying why
    and ``seconds`` how long it took."""

    folder: Path
    key: str
    files: tuple[IndexedFile, ...] = field(compare=False)
    triples: int
    built_ns: int
    seconds: float = field(default=0.0, compare=False)
    reused: bool = field(default=True, compare=False)
    reason: str = field(default="", compare=False)

    def describe(self) -> str:
        """One line for a person: what was used or built, and where.

        >>> Index(Path("/c/x"), "k", (), 5, 0, 1.25, reused=False, reason="no index").describe()
        'index built in 1.2 s (no index): 5 triples in /c/x'
        """
        if self.reused:
            return f"using the index in {self.folder} ({self.triples:,} triples; files unchanged)"
        why = f" ({self.reason})" if self.reason else ""
        return (
            f"index built in {self.seconds:.1f} s{why}: {self.triples:,} triples in {self.folder}"
        )


#: Graphs whose files total fewer bytes load faster from their Turtle than an index opens, and
#: query faster in memory than on disk: ``ActorGraph.load(index=None)`` reads their files.
AUTO_INDEX_BYTES = 8_000_000


def worth_an_index(inputs: GraphInputs) -> bool:
    """Whether ``inputs`` are large enough that reopening an index beats reading the files."""
    total = 0
    for path in inputs.data_files:
        try:
            total += path.stat().st_size
        except OSError:
            return True  # let the index check report it, as it would
    return total >= AUTO_INDEX_BYTES


def cache_folder() -> Path:
    """Where indexes are kept: ``$ACTORGRAPH_CACHE``, else ``$XDG_CACHE_HOME/actorgraph``,
    else ``~/.cache/actorgraph``."""
    if folder := os.environ.get("ACTORGRAPH_CACHE"):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "actorgraph"


def open_index(
    inputs: GraphInputs, *, build: bool, progress: Callable[[str], None] | None = None
) -> Opened | None:
    """The store (read-only) and files of the index of ``inputs``, and the index: as it is
    when every file is unchanged; rebuilt first when it is out of date; built when there is
    none and ``build``. None when there is none and not ``build``, or (without ``build``)
    when an out-of-date index cannot be rebuilt in the cache: then read the Turtle files."""
    step = progress or (lambda _: None)
    step("checking the index")
    index, reason = check_index(inputs)
    if index is None and not build and _current_key(_folder_of(inputs)) is None:
        return None
    try:
        if index is not None:
            step("opening the index")
            try:
                return (*_open(index), index)
            except _CacheError:  # removed since it was checked: another builder replaced it
                reason = "the index was replaced while opening it"
        return build_index(inputs, progress, reason=reason)
    except _CacheError:
        if build:
            raise
        return None


def check_index(inputs: GraphInputs) -> tuple[Index | None, str]:
    """The index of ``inputs`` if it is up to date; else None and why it is not."""
    folder = _folder_of(inputs)
    key = _current_key(folder)
    if key is None:
        return None, "no index has been built for these files"
    index = _read_manifest(folder / key)
    if index is None or index.key != key:
        return None, "the index is incomplete or from another version"
    if _read_text(folder / key / _CODE) != _code_key():
        return None, "actorgraph changed since the index was built"
    wanted = {str(path.resolve()) for path in inputs.data_files}
    recorded = {f.path for f in index.files}
    if wanted - recorded or {p for p in recorded - wanted if not _is_bundled_ontology(p)}:
        return None, "files were added or removed"
    checked = []
    for indexed in index.files:
        state = indexed.state()
        if state == "gone":
            return None, f"{indexed.path} is gone"
        if state == "unsure":
            now_ns = time.time_ns()
            try:
                stat = os.stat(indexed.path)
                same = digest(read_bytes(Path(indexed.path))) == indexed.digest
            except (OSError, ActorGraphError):
                same = False
            if not same:
                return None, f"{indexed.path} changed"
            checked.append(_record(indexed, stat, now_ns))
        else:
            checked.append(indexed)
    if checked != list(index.files):
        index = _remember(index, tuple(checked))
    return index, ""


def build_index(
    inputs: GraphInputs, progress: Callable[[str], None] | None = None, *, reason: str = ""
) -> Opened:
    """Load ``inputs`` from Turtle with every check of a plain load, write the index and open
    it. When another builder of the same content finishes first, its index is used."""
    started = time.perf_counter()
    folder = _folder_of(inputs)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _CacheError(f"{folder}: cannot write the index: {error.strerror}") from None
    checked_ns = time.time_ns()
    before = {path: os.stat(path) for path in inputs.data_files}  # never newer than the read
    memory, files = load_files(inputs.data_files, progress)
    if progress is not None:
        progress("writing the index")
    recorded = tuple(
        _record_file(turtle, before.get(turtle.path) or os.stat(turtle.path), checked_ns)
        for turtle in files
    )
    lines = [_code_key(), *(f"{f.path}\t{f.digest}" for f in recorded)]
    key = digest("\n".join(lines).encode("utf-8"))[:32]
    index = Index(folder / key, key, recorded, len(memory), checked_ns, reused=False)
    if _read_manifest(index.folder) is None:
        _write(folder, memory, index)
    del memory
    try:
        atomic_write(folder / _CURRENT, key)
    except ActorGraphError as error:
        raise _CacheError(str(error)) from None
    _collect_garbage(folder)
    index = replace(index, seconds=time.perf_counter() - started, reason=reason)
    if progress is not None:
        progress("opening the index")
    return (*_open(index), index)


# ---------------------------------------------------------------- the cache folder


def _folder_of(inputs: GraphInputs) -> Path:
    roots = "\n".join(str(root.resolve()) for root in inputs.roots)
    return cache_folder() / "indexes" / digest(roots.encode("utf-8"))[:32]


def _current_key(folder: Path) -> str | None:
    key = _read_text(folder / _CURRENT)
    return key.strip() if key and key.strip().isalnum() else None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _write(folder: Path, memory: OxigraphStore, index: Index) -> None:
    """Write the store, code key and manifest into a staging folder, then rename it into
    place; a finished index of the same key already there (another builder's) is kept."""
    staging: Path | None = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=folder))
        with _locked(staging / _LOCK, exclusive=True):  # so garbage collection leaves it
            memory.save(staging / _STORE)
            (staging / _CODE).write_text(_code_key(), encoding="utf-8")
            (staging / _MANIFEST).write_text(_manifest(index), encoding="utf-8")
            try:
                os.rename(staging, index.folder)
                staging = None
            except OSError:
                if _read_manifest(index.folder) is None:
                    raise
    except OSError as error:
        raise _CacheError(f"{folder}: cannot write the index: {error.strerror}") from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _manifest(index: Index) -> str:
    return json.dumps(
        {
            "format": _FORMAT,
            "key": index.key,
            "triples": index.triples,
            "built_ns": index.built_ns,
            "files": [asdict(f) for f in index.files],
        },
        indent=1,
    )


def _read_manifest(folder: Path) -> Index | None:
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != _FORMAT:
            return None
        files = tuple(IndexedFile(**f) for f in manifest["files"])
        key, triples, built = manifest["key"], manifest["triples"], manifest["built_ns"]
        return Index(folder, str(key), files, int(triples), int(built))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _remember(index: Index, files: tuple[IndexedFile, ...]) -> Index:
    """The index with files found unchanged by digest recorded anew, so that the next opening
    trusts their metadata without reading them; best effort (a read-only cache stays)."""
    fresh = replace(index, files=files)
    with contextlib.suppress(ActorGraphError):
        atomic_write(index.folder / _MANIFEST, _manifest(fresh))
    return fresh


def _collect_garbage(folder: Path) -> None:
    """Remove the indexes other than the current one that no process has open, and the
    staging folders of builders that died."""
    current = _current_key(folder)
    with contextlib.suppress(OSError):
        for entry in list(folder.iterdir()):
            if entry.name == current or not entry.is_dir():
                continue
            young = time.time() - entry.stat().st_mtime < _STALE_STAGING_S
            if entry.name.startswith(_STAGING) and young:
                continue
            with contextlib.suppress(OSError), _locked(entry / _LOCK, exclusive=True, wait=False):
                shutil.rmtree(entry)


# ---------------------------------------------------------------- opening


def reopen(index: Index) -> tuple[OxigraphStore, list[TurtleFile]]:
    """The store (read-only) and files of an index already checked, such as another
    process's ``kg.index``: the files are not compared again."""
    return _open(index)


def _open(index: Index) -> tuple[OxigraphStore, list[TurtleFile]]:
    """The index's store opened read-only, holding a shared lock while it is open."""
    lock = _shared_lock(index.folder / _LOCK)
    try:
        raw = ox.Store.read_only(str(index.folder / _STORE))
    except OSError as error:
        if lock is not None:
            os.close(lock)
        raise _CacheError(f"{index.folder}: cannot open the index: {error}") from None
    store = OxigraphStore(raw, read_only=True)
    if lock is not None:
        weakref.finalize(store, os.close, lock)  # the lock lasts as long as the store
    files = [TurtleFile(Path(f.path), f.digest) for f in index.files]
    return store, files


def _shared_lock(path: Path) -> int | None:
    """A file descriptor holding a shared lock on ``path``; None where file locks are not
    available (indexes are then never collected)."""
    try:
        import fcntl
    except ImportError:
        return None
    try:
        handle = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise _CacheError(f"{path.parent}: cannot open the index: {error.strerror}") from None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


@contextlib.contextmanager
def _locked(path: Path, *, exclusive: bool, wait: bool = True) -> Iterator[None]:
    """Hold a lock on ``path`` for the with-block; without ``wait``, raise ``OSError`` at
    once if another process holds it (or if there are no file locks here)."""
    try:
        import fcntl
    except ImportError:
        if not wait:
            raise OSError("no file locks on this system") from None
        yield
        return
    with open(path, "ab") as handle:
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        fcntl.flock(handle, flags if wait else flags | fcntl.LOCK_NB)
        yield


# ---------------------------------------------------------------- keys


def _record_file(turtle: TurtleFile, stat: os.stat_result, checked_ns: int) -> IndexedFile:
    blank = IndexedFile(str(turtle.path.resolve()), turtle.digest, 0, 0, 0, 0, 0)
    return _record(blank, stat, checked_ns)


def _record(indexed: IndexedFile, stat: os.stat_result, checked_ns: int) -> IndexedFile:
    return replace(
        indexed,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        ctime_ns=stat.st_ctime_ns,
        inode=stat.st_ino,
        checked_ns=checked_ns,
    )


def _is_bundled_ontology(path: str) -> bool:
    from .bundled import graph_dir

    return path == str((graph_dir() / "ontology.ttl").resolve())


_CODE_KEY: list[str] = []


def _code_key() -> str:
    """A digest of the actorgraph and pyoxigraph versions and of the loader's source."""
    if not _CODE_KEY:
        from . import __version__

        here = Path(__file__).resolve().parent
        parts = [__version__, ox.__version__]
        parts += [digest((here / name).read_bytes()) for name in _LOADER_SOURCES]
        _CODE_KEY.append(digest("\n".join(parts).encode("utf-8")))
    return _CODE_KEY[0]
