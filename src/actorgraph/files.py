"""Finding a graph folder's files strictly, and writing output files whole or not at all.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> atomic_write(target, "hello").read_text()
'hello'
>>> [path.name for path in graph_files(target.parent, ".txt")]
['out.txt']
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import ActorGraphError, GraphFileError

__all__ = ["atomic_write", "graph_files", "in_existing_folder", "locked"]


def graph_files(root: Path, suffix: str) -> list[Path]:
    """Every file named ``*<suffix>`` in the folder ``root`` and its subfolders, sorted.

    Nothing is skipped silently: a folder that cannot be listed, a ``*<suffix>`` that is not a
    regular file (a FIFO, a device), and a ``*<suffix>`` or folder symbolic link that leads
    outside ``root`` raise :class:`GraphFileError` naming the path. A symbolic link to a folder
    inside ``root`` is not followed: what it leads to is found under its own name.
    """
    inside = Path(os.path.realpath(root))
    found: list[Path] = []
    folders = [Path(root)]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            raise GraphFileError(folder, None, f"cannot read folder: {_reason(error)}") from None
        for entry in entries:
            path = folder / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                    continue
                wanted = entry.name.endswith(suffix)
                if entry.is_symlink():
                    target = Path(os.path.realpath(path))
                    leads_to_folder = target.is_dir()
                    if not (wanted or leads_to_folder):
                        continue
                    if not target.is_relative_to(inside):
                        raise GraphFileError(
                            path, None, f"symbolic link leads outside the graph folder {root}"
                        )
                    if leads_to_folder:
                        continue
                if wanted:
                    if not stat.S_ISREG(os.stat(path).st_mode):
                        raise GraphFileError(path, None, "not a regular file")
                    found.append(path)
            except OSError as error:
                raise GraphFileError(path, None, f"cannot read: {_reason(error)}") from None
    return sorted(found)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def in_existing_folder(path: str | Path) -> Path:
    """``path``, if the folder it goes into exists: an output path is not a reason to create
    folders, where a mistyped one would make a tree nobody asked for.

    >>> in_existing_folder("/no/such/folder/out.graphml")
    Traceback (most recent call last):
    ...
    actorgraph.errors.ActorGraphError: /no/such/folder/out.graphml: the folder /no/such/folder \
does not exist; create it first
    """
    path = Path(path)
    folder = path.absolute().parent
    if not folder.is_dir():
        shown = path.parent if str(path.parent) != "." else folder
        raise ActorGraphError(f"{path}: the folder {shown} does not exist; create it first")
    return path


def atomic_write(path: str | Path, content: str | bytes | Callable[[Path], None]) -> Path:
    """Write ``content`` (text as UTF-8, bytes, or a function that writes a given path) to
    ``path`` through a temporary file in the same folder, so readers never see a partial file
    and a failure leaves nothing behind. A file that is replaced keeps its permissions; a new
    one gets the usual ones (umask applies). A symbolic link is followed: its target is
    written, the link kept. A stream (a device or pipe, such as ``/dev/stdout``) is written
    directly: it has no folder to stage in and nothing to replace."""
    path = Path(path)
    if _is_stream(path):
        return _write_stream(path, content)
    target = path.resolve()
    folder = target.parent
    staging: Path | None = None
    try:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}-", dir=folder)
        os.close(handle)
        staging = Path(name)
        if isinstance(content, str):
            staging.write_text(content, encoding="utf-8")
        elif isinstance(content, bytes):
            staging.write_bytes(content)
        else:
            content(staging)
        os.chmod(staging, mode)
        os.replace(staging, target)
        staging = None
    except OSError as error:
        raise ActorGraphError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        if staging is not None:
            staging.unlink(missing_ok=True)
    return path


def _is_stream(path: Path) -> bool:
    """A device, pipe or socket, or a name under /dev (``/dev/stdout`` redirected to a file)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISDIR(mode) and (not stat.S_ISREG(mode) or path.parts[:2] == ("/", "dev"))


def _write_stream(path: Path, content: str | bytes | Callable[[Path], None]) -> Path:
    try:
        if callable(content):
            content(path)
        else:
            with open(path, "wb") as out:
                out.write(content.encode("utf-8") if isinstance(content, str) else content)
    except BrokenPipeError:
        raise  # the reader stopped early (| head): the caller decides
    except OSError as error:
        raise ActorGraphError(f"{path}: cannot write: {error.strerror or error}") from None
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def locked(folder: str | Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder ``folder`` for the block: other processes,
    and other threads of this one, that take it wait their turn (builds beside each other,
    decisions on one review folder). The lock goes with the process: a killed holder leaves
    none behind. Windows has no ``flock``: nothing is locked there.

    >>> import tempfile
    >>> with locked(tempfile.mkdtemp()):
    ...     pass
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing the only descriptor of this open file releases the lock
