"""The stored source texts: reading them safely, and the sentence around a quote.

A source's text lives beside the file that declares its ``ag:textFile`` (or, for a remote graph,
in the folder given to :meth:`ActorGraph.connect`), is pinned by its SHA-256, and is read only
from inside that folder.

>>> text = "IS-K emerged in 2015. It recruited from the U.S.-trained forces. Others left."
>>> sentence_around(text, text.index("recruited"), text.index("recruited") + 9)
'It recruited from the U.S.-trained forces.'
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from .namespaces import AG, sparql_prologue

if TYPE_CHECKING:
    from .graph import ActorGraph

__all__ = ["SourceText", "read_sources", "sentence_around", "sentences"]

_SOURCES = (
    sparql_prologue()
    + """
SELECT ?source ?file ?sha WHERE {
  ?source a ag:Source . OPTIONAL { ?source ag:textFile ?file } OPTIONAL { ?source ag:sha256 ?sha }
}"""
)
# A sentence ends at . ? ! (and any closing quotes or brackets) before white space and a capital
# (any script's: "Ḥaqq", "Öcalan", also after an ʿayn), a digit or an opening quote; or at a blank
# line (a paragraph) or before a list item ("- ", "• ", "2. "). A single line break is otherwise
# white space: hard-wrapped text keeps its sentences.
# Abbreviations such as "U.S." or "Feb." do not end one when a lower-case word or a number
# follows, which is how this rule tells them apart.
_SENTENCE_END = re.compile(
    r"[.?!][”’\"')\]]*(?=\s+(?P<next>[ʿʾ]?\S))|\r?\n[ \t]*\r?\n"
    r"|\r?\n(?=[ \t]*(?:[-*•‣▪◦–—]|\d{1,3}[.)])[ \t])"  # a list item's line
)
_OPENING = "“‘\"'([0123456789"
_NOT_AN_END = re.compile(
    r"(?:\b[A-Z]\.[A-Z]|\b(?:Feb|Jan|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|Mr|Ms|Dr|St|No))\.$"
)


@dataclass(frozen=True)
class SourceText:
    """A source's stored text, or why it could not be read (``problem``, with the
    ``field`` of the source block it concerns)."""

    source: str
    text: str | None
    problem: str | None = None
    field: str = "textFile"


def read_sources(kg: ActorGraph) -> dict[str, SourceText]:
    """Every ``ag:Source`` of ``kg`` with its text, checked against its recorded SHA-256."""
    found = {}
    for row in kg.store.select(_SOURCES, {}).dicts():
        source = str(row["source"])
        found[source] = _read(kg, source, row["file"], row["sha"])
    return found


def _read(kg: ActorGraph, source: str, file: object, sha: object) -> SourceText:
    if file is None:
        return SourceText(source, None)  # the SHACL shape reports the missing ag:textFile
    declared_in = kg.file_declaring(source, AG["textFile"])
    if declared_in is not None:
        folder = declared_in.parent.resolve()
    elif kg.sources_path is not None:  # a remote graph: the texts are stored locally
        folder = Path(kg.sources_path).resolve()
    else:
        return SourceText(source, None, "ag:textFile is not stated in any loaded file")
    path = (folder / str(file)).resolve()
    if not path.is_relative_to(folder):
        return SourceText(
            source, None, f"ag:textFile {str(file)!r} must be a relative path inside {folder}"
        )
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO never blocks
        with open(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return SourceText(source, None, f"source text {path} is not a regular file")
            data = file.read()
    except OSError:
        return SourceText(source, None, f"source text {path} cannot be read")
    digest = hashlib.sha256(data).hexdigest()
    if sha is not None and digest != str(sha):
        message = f"source text {path} has sha256 {digest}, not the recorded {sha}"
        return SourceText(source, None, message, "sha256")
    try:
        return SourceText(source, data.decode("utf-8"))
    except UnicodeDecodeError:
        return SourceText(source, None, f"source text {path} is not UTF-8")


def sentence_around(text: str, start: int, end: int) -> str:
    """The whole sentence (or sentences) of ``text`` that hold the span ``start``–``end``."""
    ends = _sentence_ends(text)
    first = bisect.bisect_right(ends, start) - 1
    begin = ends[first] if first >= 0 else 0
    last = bisect.bisect_left(ends, end)
    finish = ends[last] if last < len(ends) else len(text)
    return text[begin:finish].strip()


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, without the white space around them.

    >>> sentences("IS-K grew. It recruited from the TTP, e.g. in Orakzai.\\n\\nA heading")
    ['IS-K grew.', 'It recruited from the TTP, e.g. in Orakzai.', 'A heading']
    """
    bounds = [0, *_sentence_ends(text), len(text)]
    found = (text[begin:end].strip() for begin, end in pairwise(bounds))
    return [sentence for sentence in found if sentence]


@functools.lru_cache(maxsize=16)
def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of ``text`` ends, in order (computed once per text)."""
    return [m.end() for m in _SENTENCE_END.finditer(text) if not _abbreviation(text, m)]


def _abbreviation(text: str, match: re.Match[str]) -> bool:
    """Whether a match of ``_SENTENCE_END`` is no end: not before a capital or an opening, or
    an abbreviation's full stop."""
    following = match.group("next")
    if following is None:
        return False  # a blank line
    first = following[-1]
    if not (first in _OPENING or first.isupper()):
        return True
    return bool(_NOT_AN_END.search(text[max(0, match.start() - 6) : match.start() + 1]))
