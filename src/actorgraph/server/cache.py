"""Answers kept to be served again: the served graph never changes while the server runs, so
the same request always gets the same answer.

A key is everything a query worker is told — the request's kind, its query text or name and
parameters, and the media type — so two requests share an entry only when a worker would give
them the same bytes. Least recently used answers go first once the byte budget is spent; one
answer over an eighth of the budget is not kept.

>>> from actorgraph.workers import Answer
>>> cache = AnswerCache(1_000)
>>> key = answer_key("query", {"name": "enemies", "params": {"actor": "IS-K"}}, "text/csv")
>>> kept = cache.put(key, Answer(b"actor\\r\\n", "text/csv", truncated=False))
>>> cache.get(key).answer.body, cache.get(answer_key("sparql", {"text": "ASK {}"}, "text/csv"))
(b'actor\\r\\n', None)
"""

from __future__ import annotations

import collections
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..workers import Answer

__all__ = ["AnswerCache", "Kept", "answer_key", "etag"]

Key = tuple[str, str, str]


def answer_key(kind: str, payload: Mapping[str, Any], media_type: str) -> Key:
    """The cache key of a worker request: its kind, its payload (as canonical JSON: the order
    of parameters does not matter, their values do) and the media type."""
    return kind, json.dumps(payload, sort_keys=True, ensure_ascii=False), media_type


def etag(answer: Answer) -> str:
    """A strong HTTP entity tag for an answer's bytes in its media type."""
    digest = hashlib.blake2b(answer.media_type.encode(), digest_size=16)
    digest.update(answer.body)
    return f'"{digest.hexdigest()}"'


@dataclass(frozen=True)
class Kept:
    """A kept answer and its entity tag."""

    answer: Answer
    etag: str


class AnswerCache:
    """Answers by :func:`answer_key`, least recently used dropped first beyond ``max_bytes``
    of bodies; ``max_bytes=0`` keeps nothing. Used from the event loop only."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: collections.OrderedDict[Key, Kept] = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> Kept | None:
        """The answer kept for ``key``, now the most recently used; None if there is none."""
        kept = self._entries.get(key)
        if kept is not None:
            self._entries.move_to_end(key)
        return kept

    def put(self, key: Key, answer: Answer) -> Kept:
        """Keep ``answer`` for ``key`` (unless it is over an eighth of the budget); the answer
        with its entity tag either way."""
        kept = Kept(answer, etag(answer))
        size = len(answer.body)
        if not self.max_bytes or size > self.max_bytes // 8:
            return kept
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= len(previous.answer.body)
        self._entries[key] = kept
        self.size += size
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped.answer.body)
        return kept
