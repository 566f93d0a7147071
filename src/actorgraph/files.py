"""Writing output files whole or not at all.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> atomic_write(target, "hello").read_text()
'hello'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ActorGraphError

__all__ = ["atomic_write"]


def atomic_write(path: str | Path, content: str | bytes | Callable[[Path], None]) -> Path:
    """Write ``content`` (text as UTF-8, bytes, or a function that writes a given path) to
    ``path`` through a temporary file in the same folder, so readers never see a partial file
    and a failure leaves nothing behind. The file gets the usual permissions (umask applies)."""
    path = Path(path)
    folder = path.resolve().parent
    staging: Path | None = None
    try:
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
        os.chmod(staging, 0o666 & ~_umask())
        os.replace(staging, path)
        staging = None
    except OSError as error:
        raise ActorGraphError(f"{path}: cannot write: {error.strerror or error}") from None
    finally:
        if staging is not None:
            staging.unlink(missing_ok=True)
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
