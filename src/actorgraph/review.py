"""A graph folder that grows from new articles: ingest a text, then accept or reject candidates.

Layout of the folder (``DIR``)::

    sources/<ID>.txt   the text, byte for byte          sources/<ID>.ttl  its record, sha256
    candidates/<ID>.ttl  proposed statements and actors (ag:Candidate, ag:ProposedActor)
    claims/<ID>.ttl    accepted statements              actors/<ID>.ttl   accepted new actors
    review/<ID>.ttl    every decision, with its time (reversible: ``undo``)

Candidates are never statements: accepting one validates the whole graph as it would be with
the statement in ``claims/`` (and the new actors it needs in ``actors/``), on staged copies,
and writes them only if it is valid: whatever stops validation (an error, a crash, a kill),
the folder is left as it was. A decided candidate is not proposed again when the text is
ingested again.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> text = folder / "note.txt"
>>> _ = text.write_text("IS-K attacked the Taliban in Kabul in 2022.", encoding="utf-8")
>>> result = ingest(text, into=folder / "g", source_id="note", title="A note")
>>> [(c.subject, c.relation, c.object, c.confidence) for c in result.candidates]
[('isk', 'targets', 'taliban', 0.85), ('taliban', 'operatesIn', 'kabul', 0.55)]
>>> accept(folder / "g", result.candidates[0].id).id
'note-isk-targets-taliban'
>>> reject(folder / "g", result.candidates[1].id)
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ActorGraphError, QueryError, ValidationError
from .files import atomic_write, in_existing_folder, locked
from .ingest import PROPOSED, Candidate, Reader, Reading, candidate_digest, transliterate
from .model import Basis, Polarity, Stance, local_name
from .namespaces import ACT, AG, CAND, PROP, RDF, SRC, STMT, turtle_prefixes

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .graph import ActorGraph
    from .validate import Report

__all__ = [
    "MAX_TEXT_BYTES", "IngestResult", "StatementRef", "Verdict", "accept", "candidate_id",
    "check_date", "check_url", "decided_ids", "graph_paths", "ingest", "link", "reject", "undo",
]  # fmt: skip

_PREFIXES = turtle_prefixes(
    ["ag", "act", "stmt", "src", "cand", "prop", "rdf", "rdfs", "skos", "prov", "dcterms", "xsd"], 5
)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
#: The largest text ``ingest`` reads (10 MB, a book): reading takes about 4 s a megabyte.
MAX_TEXT_BYTES = 10_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")
_UNNAMED_LABELS = {"press-reporting": "press reporting", "some-analysts": "some analysts",
                   "unnamed-source": "an unnamed source"}  # fmt: skip
_EDITS = ("relation", "stance", "assertedBy", "subject", "object", "validFrom", "validUntil",
          "attestedAt", "note", "contestedBy", "polarity", "basis", "against", "subjectClass",
          "objectClass", "assertedByClass", "subjectAliases",
          "objectAliases")  # fmt: skip
#: what clears a date edit: the reader's period was wrong and the text gives none
NO_DATE = "none"
Verdict = str  # "accepted", "rejected" or "linked"


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest`` stored and proposed (``notes``: what the user should know, such as a
    title another source already has)."""

    source: str
    text_file: Path
    candidates: list[Candidate]
    proposed: int
    skipped: int  # candidates already decided in an earlier review
    notes: list[str] = field(default_factory=list)


def check_date(name: str, value: str) -> str:
    """``value`` if it is a real year, year-month or date, else a one-line error naming
    ``name``.

    >>> check_date("published", "2024-02-29")
    '2024-02-29'
    >>> check_date("published", "2024-13")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: published '2024-13': not a date; expected a year, ...
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value)
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in match.groups())
        datetime.date(year, month, day)
    except ValueError:
        raise QueryError(
            f"{name} {value!r}: not a date; expected a year, year-month or date "
            "(2021, 2021-09, 2021-09-02)"
        ) from None
    return value


def check_url(value: str) -> str:
    """``value`` if it is an http(s) address that can be written as an IRI, else an error."""
    if not _URL.fullmatch(value):
        raise QueryError(
            f'url {value!r}: expected an http(s) address without spaces or any of <>"{{}}|\\^`'
            " (percent-encode them)"
        )
    return value


def graph_paths(base: Iterable[str | Path], folder: str | Path | None = None) -> list[Path]:
    """The paths to load for a graph folder that grows: ``base`` (none: the bundled graph,
    unless ``folder`` holds an ontology of its own, a copy of a whole graph), then ``folder``;
    each file or folder once, by its resolved path, and ``folder`` not again when a base path
    already holds it."""
    chosen = [Path(p) for p in base]
    own = Path(folder) if folder is not None else None
    if not chosen and not (own is not None and (own / "ontology.ttl").is_file()):
        chosen = [_bundled()]
    if own is not None and own.exists() and any(own.rglob("*.ttl")):
        chosen.append(own)
    kept: list[Path] = []
    for path in chosen:
        resolved = path.resolve()
        if any(resolved == k.resolve() or resolved.is_relative_to(k.resolve()) for k in kept):
            continue
        kept = [k for k in kept if not k.resolve().is_relative_to(resolved)] + [path]
    return kept


def ingest(
    file: str | Path,
    *,
    into: str | Path,
    source_id: str,
    title: str,
    url: str | None = None,
    published: str | None = None,
    author: str | None = None,
    base: Iterable[str | Path] = (),
    progress: Callable[[int, int], None] | None = None,
) -> IngestResult:
    """Store ``file`` in the graph folder ``into`` and write its candidates for review.

    ``base`` are the graph folders whose actors and ontology the reader uses (none: the
    bundled graph), together with the folder's own accepted actors. Everything is checked and
    read before anything is written: a bad argument, a text already stored under another id,
    a source id another loaded graph uses, or an interruption leave the folder as it was.
    Ingests and decisions on one folder take turns (a lock on the folder).
    """
    folder = Path(into)
    if not _ID.fullmatch(source_id):
        raise QueryError(f"source id {source_id!r}: use lower-case letters, digits and hyphens")
    if not title.strip():
        raise QueryError("title: give the text's title")
    if published is not None:
        check_date("published", published)
    if url is not None:
        check_url(url)
    in_existing_folder(folder)  # the folder may be new, not a tree of them (a mistyped path)
    data, notes = _text_bytes(Path(file))
    with _changing(folder, create=True):
        return _ingest(
            folder, data, notes, source_id=source_id, title=title, url=url,
            published=published, author=author, base=base, progress=progress,
        )  # fmt: skip


def _ingest(
    folder: Path,
    data: bytes,
    notes: list[str],
    *,
    source_id: str,
    title: str,
    url: str | None,
    published: str | None,
    author: str | None,
    base: Iterable[str | Path],
    progress: Callable[[int, int], None] | None,
) -> IngestResult:
    """``ingest`` once its arguments are checked, with the folder locked."""
    from .graph import ActorGraph

    text = data.decode("utf-8")
    stored = folder / "sources" / f"{source_id}.txt"
    if stored.exists() and stored.read_bytes() != data:
        raise QueryError(f"{stored}: a different text is stored under the id {source_id!r}")
    kg = ActorGraph.load(*graph_paths(base, folder))
    notes += _clashes(kg, folder, source_id, title, data)
    recorded = (
        _recorded(kg, source_id) if (folder / "sources" / f"{source_id}.ttl").exists() else None
    )
    if recorded is not None:  # read again: what was recorded stays unless given anew
        published = published or recorded.published
        url = url or recorded.url
    if recorded is not None and recorded.author is not None and not (author and author.strip()):
        author_iri, author_label = recorded.author
    else:
        author_iri, author_label = _author(kg, author, source_id, title)
    reader = Reader(kg, source=SRC[source_id], author=author_iri)
    reading = reader.read(text, published=published, progress=progress)
    decided = set(_decisions(folder))
    reading.candidates = [  # decided under the ids read from the actors: kept under those
        replace(c, id=former) if (former := reading.former_ids.get(c.id)) in decided else c
        for c in reading.candidates
    ]
    written = _written_claims(kg, source_id)
    reading.candidates = [  # a claim already written on the same words (accepted as edited)
        c for c in reading.candidates if c.id in decided or not _already_written(c, written)
    ]
    fresh = [c for c in reading.candidates if c.id not in decided]
    declared = kg.file_declaring(author_iri, RDF["type"])
    own = declared is None or declared.resolve().parent == (folder / "sources").resolve()
    record = _source_record(
        source_id, title, url, published, author_label if own else None, author_iri, data
    )
    proposals = _candidates(reading, reading.candidates, source_id)
    for content, name in ((record, "source record"), (proposals, "candidates")):
        _check_turtle(content, name)
    record_file = folder / "sources" / f"{source_id}.ttl"
    proposals_file = folder / "candidates" / f"{source_id}.ttl"
    with _transaction([stored, proposals_file, record_file]):
        atomic_write(stored, data)
        atomic_write(proposals_file, proposals)
        atomic_write(record_file, record)  # last: the source is registered once all is there
    return IngestResult(
        SRC[source_id], stored, fresh, len(reading.proposed), len(reading.candidates) - len(fresh),
        notes,
    )  # fmt: skip


def _written_claims(kg: ActorGraph, source_id: str) -> set[tuple[str, str, str, int, int]]:
    """The statements of a source: subject, relation, object and the quote's offsets."""
    return {
        (s.subject_iri, s.relation_iri, s.object_iri, s.evidence.start, s.evidence.end)
        for s in kg.statements()
        if s.evidence.source == SRC[source_id]
    }


def _already_written(c: Candidate, written: set[tuple[str, str, str, int, int]]) -> bool:
    """Whether a candidate's claim is a statement already, on the same words, either way."""
    relation = AG[c.relation]
    return (c.subject_iri, relation, c.object_iri, c.start, c.end) in written or (
        c.object_iri,
        relation,
        c.subject_iri,
        c.start,
        c.end,
    ) in written


def _text_bytes(path: Path) -> tuple[bytes, list[str]]:
    """The text's bytes, refused when not a text (empty, too large, not UTF-8, control
    characters), with a byte-order mark stripped (and said so)."""
    try:
        with path.open("rb") as handle:  # a pipe or device has no size: read one byte past
            data = handle.read(MAX_TEXT_BYTES + 1)
        if len(data) > MAX_TEXT_BYTES:
            size = path.stat().st_size
            shown = f"{size:,} bytes" if size > MAX_TEXT_BYTES else "more bytes than that"
            raise QueryError(
                f"{path}: {shown}; ingest reads texts up to {MAX_TEXT_BYTES:,} bytes "
                "(split a longer one into parts, each with its own --source-id)"
            )
        text = data.decode("utf-8")
    except OSError as error:
        raise QueryError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text") from None
    notes = []
    if text.startswith("\ufeff"):
        data = data[3:]
        text = text[1:]
        notes.append(f"{path}: the byte-order mark at its start was left out of the stored text")
    if not text.strip():
        raise QueryError(f"{path}: the text is empty")
    control = _CONTROL.search(text)
    if control:
        raise QueryError(
            f"{path}: not a text file (control character U+{ord(control.group()):04X} at "
            f"character {control.start()})"
        )
    return data, notes


def _clashes(kg: ActorGraph, folder: Path, source_id: str, title: str, data: bytes) -> list[str]:
    """Refuse a source id another loaded graph has, or a text already stored under another
    id (which would corroborate itself); a title another source has is a note."""
    iri = SRC[source_id]
    declared = kg.file_declaring(iri, AG["sha256"])
    if declared is not None and not declared.resolve().is_relative_to(folder.resolve()):
        raise QueryError(f"source id {source_id!r} is already used by {declared}: choose another")
    digest = hashlib.sha256(data).hexdigest()
    rows = kg.sparql(
        "SELECT ?s ?title WHERE { ?s a ag:Source . "
        "OPTIONAL { ?s ag:sha256 ?sha } OPTIONAL { ?s dcterms:title ?title } }"
        " ORDER BY ?s"
    ).dicts()
    shas = kg.sparql("SELECT ?s ?sha WHERE { ?s ag:sha256 ?sha } ORDER BY ?s").dicts()
    for row in shas:
        if str(row["sha"]) == digest and str(row["s"]) != iri:
            where = kg.file_declaring(str(row["s"]), AG["sha256"])
            raise QueryError(
                f"this text is already the source {local_name(str(row['s']))!r}"
                + (f" ({where})" if where else "")
                + ": ingest it under that id, not as a second source"
            )
    words = _words(data.decode("utf-8"))
    from .sources import read_sources

    mine = _sentence_set(data.decode("utf-8"))
    for source, stored in read_sources(kg).items():
        if source == iri or stored.text is None:
            continue
        if _words(stored.text) == words:
            raise QueryError(
                f"this text is already the source {local_name(source)!r} but for white space "
                "or line breaks: one text is one source (two would corroborate each other)"
            )
        shared = len(mine & _sentence_set(stored.text))
        if len(mine) >= _SIMILAR_MIN and shared >= _SIMILAR_SHARE * len(mine):
            raise QueryError(
                f"{shared} of this text's {len(mine)} sentences are in the source "
                f"{local_name(source)!r}: a revised or republished version of a text is not a "
                "second source (the two would corroborate each other)"
            )
    notes = []
    for row in rows:
        if row["title"] is not None and str(row["s"]) == iri and str(row["title"]) != title:
            notes.append(f"note: the title of {source_id!r} changes from {str(row['title'])!r}")
        if row["title"] is not None and str(row["s"]) != iri and str(row["title"]) == title:
            notes.append(
                f"note: the source {local_name(str(row['s']))!r} has the same title; "
                "is it the same text?"
            )
    return notes


_SIMILAR_MIN = 3  # sentences of some length a text needs before it is compared so
_SIMILAR_SHARE = 0.5  # the share of its sentences another source may hold before it is refused


def _sentence_set(text: str) -> set[str]:
    """A text's sentences of six words or more, however wrapped and in any case."""
    from .sources import sentences

    read = (" ".join(_words(sentence)).casefold() for sentence in sentences(text))
    return {sentence for sentence in read if sentence.count(" ") >= 5}


def _words(text: str) -> list[str]:
    """A text's words, composed (NFC): the same text however it is wrapped or encoded."""
    import unicodedata

    return unicodedata.normalize("NFC", text.removeprefix("\ufeff")).split()


@dataclass(frozen=True)
class _Recorded:
    """What a source's record already says: its author (IRI, label), date and URL."""

    author: tuple[str, str] | None
    published: str | None
    url: str | None


def _recorded(kg: ActorGraph, source_id: str) -> _Recorded:
    """The record of a source ingested before, so that ingesting its text again without
    --author, --published or --url keeps them."""
    rows = kg.sparql(
        "SELECT ?source ?creator ?label ?issued ?page WHERE { ?source a ag:Source . "
        "OPTIONAL { ?source dcterms:creator ?creator OPTIONAL { ?creator skos:prefLabel ?label } } "
        "OPTIONAL { ?source dcterms:issued ?issued } OPTIONAL { ?source rdfs:seeAlso ?page } }",
        source=_node(SRC[source_id]),
    ).dicts()
    if not rows:
        return _Recorded(None, None, None)
    row = rows[0]
    creator, label = row["creator"], row["label"]
    author = (str(creator), str(label)) if creator is not None and label is not None else None
    issued = str(row["issued"]) if row["issued"] is not None else None
    page = str(row["page"]) if row["page"] is not None else None
    return _Recorded(author, issued, page)


def _author(kg: ActorGraph, author: str | None, source_id: str, title: str) -> tuple[str, str]:
    """The author's IRI (from the transliterated name; from the source id when the name has
    no Latin letters or the id is another's) and label."""
    if not author or not author.strip():
        return ACT[f"author-of-{source_id}"], f"the author of {title}"
    label = " ".join(author.split())
    slug = re.sub(r"[^a-z0-9]+", "-", transliterate(label).lower()).strip("-")
    if slug:
        known = kg.sparql("SELECT ?a ?l WHERE { ?a skos:prefLabel ?l }", a=_node(ACT[slug])).column(
            "l"
        )
        if not known or str(known[0]) == label:
            return ACT[slug], label
    return ACT[f"author-of-{source_id}"], label


def accept(
    into: str | Path,
    candidate: str,
    *,
    edits: Mapping[str, str | Sequence[str]] | None = None,
    base: Iterable[str | Path] = (),
) -> StatementRef:
    """Accept a candidate (with ``edits``: relation, stance, assertedBy, contestedBy (one or
    several parties), subject, object, validFrom, validUntil, note; for a new actor,
    subjectClass/objectClass/assertedByClass and subjectAliases/objectAliases): write it as a
    statement, with
    the new actors it needs, and its decision, once the whole graph with them is valid (it is
    validated before they are written); on any problem or interruption, nothing is written.

    A subject or object that no actor has, given with its class, is a new actor of that name:
    an actor the reader missed can be added so.
    """
    folder, candidate = Path(into), candidate_id(candidate)
    with _changing(folder):
        return _accept(folder, candidate, edits, base)


def add(
    into: str | Path,
    source_id: str,
    quote: str,
    *,
    edits: Mapping[str, str | Sequence[str]],
    base: Iterable[str | Path] = (),
) -> StatementRef:
    """Add a claim the reader missed: ``quote`` is found in the stored text of ``source_id``
    (it must occur there once, character for character, which gives its offsets), and
    ``edits`` say the claim as :func:`accept` takes them, with its ``subject``, ``relation``
    and ``object`` (a new actor with its class). It is recorded as a candidate and accepted:
    written and validated as one, and on any problem nothing is left.

    The asserting party is the source's author unless ``assertedBy`` says otherwise.
    """
    folder, wanted = Path(into), dict(edits)
    for key in ("subject", "relation", "object"):
        if not wanted.get(key):
            raise QueryError(f"{key}: give the claim's {key}")
    with _changing(folder):
        stored = folder / "sources" / f"{source_id}.txt"
        if not stored.is_file():
            raise QueryError(
                f"{folder}: no stored text of the source {source_id!r} (ingest it first)"
            )
        text = stored.read_text(encoding="utf-8")
        times = text.count(quote) if quote.strip() else 0
        if times != 1:
            where = "is not in" if times == 0 else f"occurs {times} times in"
            more = "copy it character for character" if times == 0 else "quote more words"
            raise QueryError(f"--quote {where} the text of {source_id} ({stored}): {more}")
        from .graph import ActorGraph

        kg = ActorGraph.load(*graph_paths(base, folder))
        start = text.index(quote)
        author = _source_author(kg, source_id)
        relation = local_name(kg.relation(_one("relation", wanted["relation"])))
        digest = candidate_digest(
            source_id, start, len(quote), relation, wanted["subject"], wanted["object"]
        )
        candidate = Candidate(
            id=digest, subject="", relation=relation, object="", stance="Asserted",
            asserted_by="", quote=quote, start=start, end=start + len(quote), confidence=1.0,
            subject_iri=author, object_iri=author, asserted_by_iri=author,
        )  # fmt: skip
        proposals = folder / "candidates" / f"{source_id}.ttl"
        before = proposals.read_text(encoding="utf-8") if proposals.exists() else None
        block = _candidate_block(candidate, source_id)
        _check_turtle(_PREFIXES + block, "candidate")
        atomic_write(proposals, (before if before is not None else _PREFIXES) + block)
        try:
            return _accept(folder, digest, wanted, base)
        except BaseException:
            if before is None:
                proposals.unlink(missing_ok=True)
            else:
                atomic_write(proposals, before)
            raise


def _source_author(kg: ActorGraph, source_id: str) -> str:
    """The party a source's own claims are asserted by: its author, else its publisher."""
    rows = kg.sparql(
        "SELECT ?s ?who WHERE { { ?s dcterms:creator ?who } UNION { ?s dcterms:publisher ?who } }",
        s=_node(SRC[source_id]),
    ).column("who")
    if not rows:
        raise QueryError(f"the source {source_id!r} has no author or publisher in the graph")
    return str(rows[0])


def _accept(
    folder: Path,
    candidate: str,
    edits: Mapping[str, str | Sequence[str]] | None,
    base: Iterable[str | Path],
) -> StatementRef:
    """``accept`` with the folder locked."""
    from .graph import ActorGraph

    paths = graph_paths(base, folder)
    kg = ActorGraph.load(*paths)
    decided = _decided(folder)
    verdict, statement = decided.get(candidate, ("", None))
    if verdict == "Accepted" and statement not in {s.id for s in kg.statements()}:
        _undo(folder, candidate)  # a decision whose statement was never written (a killed accept)
        kg = ActorGraph.load(*paths)
        decided.pop(candidate)
    if candidate in decided:
        raise QueryError(
            f"candidate {candidate!r} is already {verdict.lower()}"
            + (f" as stmt:{statement}" if statement else "")
            + f": `actorgraph undo {folder} {candidate}` first"
        )
    found = _candidate(kg, candidate, folder)
    fields: dict[str, str] = dict(found)
    wanted = dict(edits or {})
    for key in wanted:
        if key not in _EDITS:
            raise QueryError(f"cannot edit {key!r} of a candidate")
    new: dict[str, tuple[str, str, list[str]]] = {}  # proposed IRI: label, class, aliases
    parties_first = sorted(wanted.items(), key=lambda kv: kv[0] not in _PARTY_ROLES)
    for key, value in parties_first:  # a contester may be the subject this decision adds
        if key in _PARTY_ROLES:
            fields[key] = _resolve_actor(kg, key, _one(key, value), wanted, new)
        elif key in ("contestedBy", "against"):
            fields[key] = " ".join(_resolve_party(kg, key, v, new) for v in _several(value))
        elif not key.endswith(("Class", "Aliases")):
            fields[key] = _resolve_edit(kg, key, _one(key, value))
    notes: list[str] = []
    notes += _contest(fields, wanted)
    for role in _PARTY_ROLES:
        klass = wanted.get(f"{role}Class")
        if klass and not fields[role].startswith(PROPOSED):
            raise QueryError(f"{role}Class: the {role} is the known actor {fields[role]}")
    links = _links(folder)
    for role in _PARTY_ROLES:
        fields[role] = links.get(fields[role], fields[role])
    source = local_name(fields["source"])
    statement_id = _statement_id(kg, fields)
    claims = folder / "claims" / f"{source}.ttl"
    actors = folder / "actors" / f"{source}.ttl"
    review_file = folder / "review" / f"{source}.ttl"
    blocks: list[str] = []
    roles = (*_PARTY_ROLES, "contestedBy", "against")
    named = [(r, party) for r in roles for party in fields.get(r, "").split()]
    for proposed in dict.fromkeys(p for _, p in named if p.startswith(PROPOSED)):
        role = next(r for r, p in named if p == proposed)
        label, kind, aliases = new.get(proposed) or _proposed_actor(kg, proposed)
        kind = str(wanted.get(f"{role}Class") or kind)
        aliases = [*aliases, *_several(wanted.get(f"{role}Aliases", ()))]
        actor_id = _actor_id(kg, label, proposed)
        written = kg.sparql("ASK { ?a skos:prefLabel ?l }", a=_node(ACT[actor_id]))
        if not written.column("result")[0]:
            option = f"give {_option(role)}-class to" if role in _PARTY_ROLES else ""
            if kind == "Actor":
                notes.append(
                    f"note: the class of the new actor act:{actor_id} ({label}) is not known; "
                    f"it is written as ag:Actor" + (f" ({option} set it)" if option else "")
                )
            elif not wanted.get(f"{role}Class"):  # the reader's guess, which can be wrong
                notes.append(
                    f"note: the new actor act:{actor_id} ({label}) is written as ag:{kind}, the "
                    "class the reader suggested" + (f" ({option} change it)" if option else "")
                )
            blocks.append(_actor_block(actor_id, label, _class(kg, kind), aliases))
        for r in roles:  # the party fields only: a quote's own spacing stays
            if fields.get(r):
                fields[r] = " ".join(
                    ACT[actor_id] if p == proposed else p for p in fields[r].split()
                )
    statement = _statement_block(statement_id, fields)
    decision = _decision(candidate, "Accepted", statement=STMT[statement_id])
    for content in (statement, decision, *blocks):
        _check_turtle(_PREFIXES + content, "statement")
    changes = {
        review_file: _appended(review_file, decision),
        actors: _appended(actors, "".join(blocks)),
        claims: _appended(claims, statement),
    }
    report = _validated(paths, changes)  # before anything is written, on staged copies
    with _transaction(list(changes)):  # in the order a killed accept is recovered from
        for path, new_text in changes.items():
            if new_text is not None:
                atomic_write(path, new_text)
    mine = f"{statement_id}: "  # validation's warnings about this statement, as notes
    notes += [
        f"note: {w.message.removeprefix(mine)} (--asserted-by)"
        for w in report.warnings
        if w.message.startswith(mine)
    ]
    return StatementRef(statement_id, claims, notes)


def _contest(fields: dict[str, str], wanted: Mapping[str, object]) -> list[str]:
    """Keep ``contestedBy`` and the Disputed stance together (guide S3): contesting parties
    given without a stance make the claim Disputed (said in a note); given with another stance
    they are refused; a stance edited away from Disputed drops the reader's contesting parties
    (said in a note)."""
    disputed = Stance.DISPUTED.iri
    if wanted.get("contestedBy") and fields.get("contestedBy"):
        if "stance" in wanted and fields["stance"] != disputed:
            stance = local_name(fields["stance"])
            raise QueryError(
                f"contestedBy: a claim a party contests is Disputed, not {stance} (guide S3); "
                "give --stance Disputed or leave --stance out"
            )
        if fields["stance"] != disputed:
            fields["stance"] = disputed
            return ["note: the stance is Disputed, as the claim is contested (guide S3)"]
    elif fields.get("contestedBy") and fields["stance"] != disputed:
        fields.pop("contestedBy")
        stance = local_name(fields["stance"])
        return [f"note: the reader's contesting parties are left out: the stance is {stance}"]
    return []


@dataclass(frozen=True)
class StatementRef:
    """Where an accepted candidate was written, and notes for the user."""

    id: str
    file: Path
    notes: list[str] = field(default_factory=list)


def reject(into: str | Path, candidate: str, *, base: Iterable[str | Path] = ()) -> None:
    """Reject a candidate: it is recorded and never proposed again for this text."""
    from .graph import ActorGraph

    folder, candidate = Path(into), candidate_id(candidate)
    with _changing(folder):
        kg = ActorGraph.load(*graph_paths(base, folder))
        found = _candidate(kg, candidate, folder)
        if candidate in _decisions(folder):
            raise QueryError(f"candidate {candidate!r} is already decided: undo it first")
        review_file = folder / "review" / f"{local_name(found['source'])}.ttl"
        with _transaction([review_file]):
            _append(review_file, _decision(candidate, "Rejected"))


def link(into: str | Path, proposed: str, actor: str, *, base: Iterable[str | Path] = ()) -> str:
    """Treat a proposed actor (its id, label or alias) as a known one from now on: its
    candidates' claims are written about that actor when accepted. Returns the actor's IRI.
    An unknown proposed actor is an error naming the proposed ones."""
    from .graph import ActorGraph

    folder = Path(into)
    with _changing(folder):
        kg = ActorGraph.load(*graph_paths(base, folder))
        iri = _proposed(kg, proposed)
        known = kg.actor(actor)
        where = kg.file_declaring(iri, AG["suggestedClass"])
        source = where.stem if where is not None else "links"
        review_file = folder / "review" / f"{source}.ttl"
        with _transaction([review_file]):
            _append(review_file, _decision(iri, "Linked", target=known.iri))
    return known.iri


def undo(into: str | Path, candidate: str) -> bool:
    """Take a decision back; an accepted candidate's statement is removed again, with the new
    actors it brought that no other statement uses. The candidate is open for review again."""
    folder, candidate = Path(into), candidate_id(candidate)
    with _changing(folder):
        return _undo(folder, candidate)


def decided_ids(into: str | Path) -> list[str]:
    """The ids of the candidates and proposed actors decided in the folder ``into``: what
    :func:`undo` can take back."""
    return sorted(_decided(Path(into)))


def candidate_id(text: str) -> str:
    """A candidate's (or proposed actor's) id from the id itself, ``cand:ID`` or ``prop:ID``
    as ``candidates`` prints it, or the full IRI.

    >>> [candidate_id(t) for t in ("bb522ba98591", "cand:bb522ba98591",
    ...     "https://w3id.org/actorgraph/candidate/bb522ba98591", " prop:jnim ")]
    ['bb522ba98591', 'bb522ba98591', 'bb522ba98591', 'jnim']
    """
    text = text.strip()
    for prefix in ("cand:", "prop:", str(CAND), str(PROP)):
        if text.startswith(prefix):
            return text.removeprefix(prefix)
    return text


def _undo(folder: Path, candidate: str) -> bool:
    """``undo`` with the folder locked."""
    changed = False
    files = [
        *sorted((folder / "review").glob("*.ttl")),
        *sorted((folder / "claims").glob("*.ttl")),
        *sorted((folder / "actors").glob("*.ttl")),
    ]
    with _transaction(files):
        for path in sorted((folder / "review").glob("*.ttl")):
            blocks = _blocks(path)
            kept = [
                b for b in blocks if f"cand:{candidate} " not in b and f"prop:{candidate} " not in b
            ]
            for block in blocks:
                if block in kept:
                    continue
                changed = True
                accepted = re.search(r"ag:acceptedAs stmt:([\w-]+)", block)
                if accepted:
                    _remove_statement(folder, accepted.group(1))
            if len(kept) != len(blocks):
                atomic_write(path, _PREFIXES + "".join(kept))
        if changed:
            _remove_unused_actors(folder)
    return changed


@contextlib.contextmanager
def _changing(folder: Path, *, create: bool = False) -> Iterator[None]:
    """Hold the folder's lock while a step reads it and changes it: ingests and decisions on
    one folder (from the command line, the review page, several tabs) run one after another,
    so none reads what another is half-way through writing or restores over another's write.
    With ``create``, a missing folder is made (and removed again if the step fails)."""
    made = create and not folder.exists()
    if made:
        try:
            folder.mkdir()
        except OSError as error:
            raise ActorGraphError(f"{folder}: cannot create: {error.strerror or error}") from None
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such graph folder")
    try:
        with locked(folder):
            yield
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when nothing was written into it
        raise


@contextlib.contextmanager
def _transaction(paths: Sequence[Path]) -> Iterator[Callable[[], None]]:
    """Writes to ``paths`` that are kept together or not at all: on an error, Ctrl-C or
    SIGTERM inside, every file is put back as it was (the callback does so at once)."""
    backup = {path: path.read_bytes() if path.exists() else None for path in paths}
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if main else None

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if main:
        signal.signal(signal.SIGTERM, interrupted)
    try:
        yield lambda: _restore(backup)
    except BaseException:
        _restore(backup)
        raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------- reading the folder


def _bundled() -> Path:
    from .bundled import graph_dir

    return graph_dir()


def _candidate(kg: ActorGraph, candidate: str, folder: Path) -> dict[str, str]:
    if not re.fullmatch(r"[\w-]+", candidate):
        raise _unknown_candidate(kg, candidate, folder)
    rows = kg.sparql(
        """SELECT * WHERE {
             ?c a ag:Candidate ; rdf:subject ?subject ; rdf:predicate ?relation ;
                rdf:object ?object ; ag:stance ?stance ; ag:assertedBy ?assertedBy ;
                prov:wasDerivedFrom ?e .
             ?e ag:source ?source ; ag:quote ?quote ; ag:start ?start ; ag:end ?end .
             OPTIONAL { ?c ag:validFrom ?validFrom } OPTIONAL { ?c ag:validUntil ?validUntil }
             OPTIONAL { ?c ag:attestedAt ?attestedAt } OPTIONAL { ?c ag:polarity ?polarity }
             OPTIONAL { ?c ag:contestedBy ?contestedBy }
           }""",
        c=_node(CAND[candidate]),
    ).dicts()
    if not rows:
        raise _unknown_candidate(kg, candidate, folder)
    found = {k: str(v) for k, v in rows[0].items() if v is not None and k != "contestedBy"}
    contesters = dict.fromkeys(str(r["contestedBy"]) for r in rows if r["contestedBy"])
    if contesters:  # a row each: every party that contests the claim, not one of them
        found["contestedBy"] = " ".join(contesters)
    return found


_LISTED_CANDIDATES = 8  # an unknown candidate's error names at most this many of the folder's


def _unknown_candidate(kg: ActorGraph, candidate: str, folder: Path) -> QueryError:
    """The error for an id no candidate has, naming the folder's open candidates."""
    decided = _decisions(folder)
    known = [
        local_name(str(iri))
        for iri in kg.sparql("SELECT ?c WHERE { ?c a ag:Candidate } ORDER BY ?c").column("c")
    ]
    open_ = [c for c in known if c not in decided]
    listed = ", ".join(open_[:_LISTED_CANDIDATES]) + (
        " …" if len(open_) > _LISTED_CANDIDATES else ""
    )
    where = f"open candidates in {folder}: {listed}" if open_ else f"no open candidates in {folder}"
    return QueryError(
        f"unknown candidate {candidate!r} ({where}; `actorgraph candidates {folder}` lists them)"
    )


def _node(iri: str) -> ox.NamedNode:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _decided(folder: Path) -> dict[str, tuple[str, str | None]]:
    """Each decided candidate (or proposed actor): its verdict and the statement accepted."""
    found: dict[str, tuple[str, str | None]] = {}
    for path in sorted((folder / "review").glob("*.ttl")):
        for block in _blocks(path):
            match = re.search(r"ag:candidate (cand|prop):([\w-]+)", block)
            verdict = re.search(r"ag:verdict ag:(\w+)", block)
            statement = re.search(r"ag:acceptedAs stmt:([\w-]+)", block)
            if match and verdict:
                found[match.group(2)] = (verdict.group(1), statement and statement.group(1))
    return found


def _decisions(folder: Path) -> dict[str, str]:
    return {key: verdict for key, (verdict, _) in _decided(folder).items()}


def _links(folder: Path) -> dict[str, str]:
    links = {}
    for path in sorted((folder / "review").glob("*.ttl")):
        for block in _blocks(path):
            match = re.search(
                r"ag:candidate prop:([\w-]+) ;.*ag:linkedTo (?:<([^>]+)>|act:([\w-]+))", block, re.S
            )
            if match:
                links[PROPOSED + match.group(1)] = match.group(2) or ACT[match.group(3)]
    return links


_PARTY_ROLES = ("subject", "object", "assertedBy")  # the edits that name one actor each


def _option(key: str) -> str:
    """The command-line option of an edit: ``assertedBy`` → ``--asserted-by``.

    >>> _option("assertedBy"), _option("against")
    ('--asserted-by', '--against')
    """
    return "--" + re.sub(r"(?<=[a-z])(?=[A-Z])", "-", key).lower()


def _resolve_party(
    kg: ActorGraph, key: str, value: str, new: Mapping[str, tuple[str, str, list[str]]]
) -> str:
    """A contesting party or the actor a claim is against: a known actor, one the reader
    proposed, or one this decision adds (as its subject, object or asserting party); else an
    error naming the option."""
    if value.startswith(PROPOSED):
        return value
    try:
        return kg.actor(value).iri
    except ActorGraphError as error:
        unknown = error
    with contextlib.suppress(QueryError):
        return _proposed(kg, value)
    wanted = " ".join(value.split()).casefold()
    for iri, (label, _, aliases) in new.items():
        if wanted in {label.casefold(), *(a.casefold() for a in aliases)}:
            return iri
    raise QueryError(
        f"{_option(key)}: {unknown} (an actor the graph knows, the reader proposed, or this "
        "decision adds)"
    )


def _resolve_edit(kg: ActorGraph, key: str, value: str) -> str:
    if key in ("validFrom", "validUntil", "attestedAt"):
        return "" if value.strip().casefold() == NO_DATE else check_date(key, value)
    if key == "polarity":
        return Polarity.parse(value).iri
    if key == "basis":
        return Basis.parse(value).iri
    if key == "relation":
        return kg.relation(value)
    if key == "stance":
        return Stance.parse(value).iri
    return value


def _one(key: str, value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    if len(value) != 1:
        raise QueryError(f"{key}: give one value")
    return str(value[0])


def _several(value: str | Sequence[str]) -> list[str]:
    """One value, a list, or several separated by ";" (as a form sends them)."""
    items = value.split(";") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def _resolve_actor(
    kg: ActorGraph,
    role: str,
    value: str,
    wanted: Mapping[str, str | Sequence[str]],
    new: dict[str, tuple[str, str, list[str]]],
) -> str:
    """The actor a subject or object edit names: a known actor, a proposed one (its id, label
    or alias), or, given with its class, a new actor of that name."""
    if value.startswith(PROPOSED):
        return value
    with contextlib.suppress(QueryError):
        return _proposed(kg, value)
    klass = wanted.get(f"{role}Class")
    try:
        return kg.actor(value).iri
    except ActorGraphError as error:
        if not klass:
            raise QueryError(
                f"{error}; to add {value!r} as a new actor, give its class "
                f"({_option(role)}-class ArmedGroup, Person, …)"
            ) from None
    label = " ".join(value.split())
    iri = PROPOSED + _slug(label)
    new[iri] = (label, _one(f"{role}Class", klass), [])
    return iri


def _proposed(kg: ActorGraph, name: str) -> str:
    """The proposed actor ``name`` is the id, label or alias of; an error naming them all."""
    rows = kg.sparql(
        "SELECT ?p ?label ?alias WHERE { ?p a ag:ProposedActor ; skos:prefLabel ?label "
        "OPTIONAL { ?p skos:altLabel ?alias } } ORDER BY ?p"
    ).dicts()
    wanted = " ".join(name.removeprefix(PROPOSED).removeprefix("prop:").split()).casefold()
    for row in rows:
        names = {local_name(str(row["p"])), str(row["label"]), str(row["alias"] or "")}
        if wanted in {n.casefold() for n in names if n}:
            return str(row["p"])
    listed = sorted({f"{local_name(str(r['p']))} ({r['label']})" for r in rows})
    raise QueryError(
        f"unknown proposed actor {name!r}"
        + (f"; the proposed actors are: {', '.join(listed)}" if listed else "; none is proposed")
    )


def _proposed_actor(kg: ActorGraph, proposed: str) -> tuple[str, str, list[str]]:
    rows = kg.sparql(
        "SELECT ?p ?label ?kind WHERE { ?p skos:prefLabel ?label "
        "OPTIONAL { ?p ag:suggestedClass ?kind } }",
        p=_node(proposed),
    ).dicts()
    label = str(rows[0]["label"]) if rows else local_name(proposed)
    kind = local_name(str(rows[0]["kind"])) if rows and rows[0]["kind"] else "Actor"
    if kind == "UnnamedParty":
        label = label.replace("-", " ")
    aliases = kg.sparql(
        "SELECT ?p ?alias WHERE { ?p skos:altLabel ?alias }", p=_node(proposed)
    ).column("alias")
    return label, kind, [str(a) for a in aliases]


def _class(kg: ActorGraph, kind: str) -> str:
    """A class of the ontology: an actor's or an unnamed party's."""
    name = kind.rsplit("#", 1)[-1].removeprefix("ag:")
    classes = {
        local_name(str(c))
        for c in kg.sparql(
            "SELECT ?c WHERE { ?c rdfs:subClassOf* ag:Party . FILTER(?c != ag:Party) }"
        ).column("c")
    }
    if name not in classes:
        raise QueryError(f"unknown class {kind!r}; one of: {', '.join(sorted(classes))}")
    return name


def _actor_id(kg: ActorGraph, label: str, proposed: str) -> str:
    """The new actor's id: the transliterated label, another when an actor of another
    label has it."""
    base = _slug(label) if label else local_name(proposed)
    ident, n = base, 2
    while True:
        labels = kg.sparql("SELECT ?a ?l WHERE { ?a skos:prefLabel ?l }", a=_node(ACT[ident]))
        found = labels.column("l")
        if not found or str(found[0]) == label:
            return ident
        ident, n = f"{base}-{n}", n + 1


def _statement_id(kg: ActorGraph, fields: Mapping[str, str]) -> str:
    parts = (fields["source"], fields["subject"], fields["relation"], fields["object"])
    base = "-".join(local_name(part) for part in parts)  # the source first: ids stay apart
    taken = {s.id for s in kg.statements()}
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


# ---------------------------------------------------------------- writing Turtle


def _literal(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _date(value: str) -> str:
    kind = {4: "xsd:gYear", 7: "xsd:gYearMonth", 10: "xsd:date"}[len(value)]
    return f'"{value}"^^{kind}'


def _ref(iri: str) -> str:
    namespaces = (("act:", str(ACT)), ("ag:", str(AG)), ("prop:", PROPOSED), ("src:", str(SRC)),
                  ("stmt:", str(STMT)))  # fmt: skip
    for prefix, namespace in namespaces:
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z0-9][\w-]*", local):
            return prefix + local
    return f"<{iri}>"


def _source_record(
    source_id: str, title: str, url: str | None, published: str | None, author: str | None,
    author_iri: str, data: bytes,
) -> str:  # fmt: skip
    """The source's record, and its author's (``author`` None: an actor the graph has)."""
    lines = [_PREFIXES]
    if author is not None:
        lines += [
            f"{_ref(author_iri)}  a ag:Person ;",
            f"    skos:prefLabel {_literal(author)}{_language(author)} .",
            "",
        ]
    lines += [
        f"src:{source_id}  a ag:Source ;",
        f"    dcterms:title   {_literal(title)}{_language(title)} ;",
        f"    dcterms:creator {_ref(author_iri)} ;",
    ]
    if published:
        lines.append(f"    dcterms:issued  {_date(published)} ;")
    if url:
        lines.append(f"    rdfs:seeAlso    <{url}> ;")
    lines += [
        f'    ag:textFile     "{source_id}.txt" ;',
        f'    ag:sha256       "{hashlib.sha256(data).hexdigest()}" .',
        "",
    ]
    return "\n".join(lines)


def _candidates(reading: Reading, candidates: list[Candidate], source_id: str) -> str:
    parts = [
        f"# Candidate statements proposed for src:{source_id}: review them with\n"
        "# `actorgraph review`, `accept` or `reject`.\n"
        "# They are not statements: nothing here is a claim of the graph until accepted.\n",
        _PREFIXES,
    ]
    for actor in reading.proposed.values():  # all, with a claim or not: link and accept use them
        block = [
            f"\n{_ref(actor.iri)}  a ag:ProposedActor ;",
            f"    skos:prefLabel {_literal(actor.label)}@en ;",
            *(f"    skos:altLabel  {_literal(alias)}@en ;" for alias in actor.aliases),
            f"    ag:suggestedClass ag:{actor.kind}",
        ]
        if actor.match:
            block[-1] += " ;"
            block.append(f"    ag:possibleMatch {_ref(actor.match)}")
        parts.append("\n".join(block) + " .\n")
    for slug in sorted(
        {c.asserted_by_iri for c in candidates if c.asserted_by_iri.startswith(PROPOSED)}
        - set(reading.proposed)
    ):
        parts.append(
            f"\n{_ref(slug)}  a ag:ProposedActor ;\n"
            f"    skos:prefLabel {_literal(_unnamed_label(local_name(slug)))}@en ;\n"
            "    ag:suggestedClass ag:UnnamedParty .\n"
        )
    parts += [_candidate_block(c, source_id) for c in candidates]
    return "".join(parts)


def _candidate_block(c: Candidate, source_id: str) -> str:
    """A candidate's Turtle block, as the candidates file holds it."""
    lines = [
        f"\ncand:{c.id}  a ag:Candidate ;",
        f"    rdf:subject   {_ref(c.subject_iri)} ;",
        f"    rdf:predicate ag:{c.relation} ;",
        f"    rdf:object    {_ref(c.object_iri)} ;",
        f"    ag:stance     ag:{c.stance} ;",
        f"    ag:assertedBy {_ref(c.asserted_by_iri)} ;",
    ]
    if c.polarity == "Negative":
        lines.append("    ag:polarity   ag:Negative ;")
    for party in c.contested_by:
        lines.append(f"    ag:contestedBy {_ref(party)} ;")
    for key, value in (
        ("validFrom", c.valid_from),
        ("validUntil", c.valid_until),
        ("attestedAt", c.attested_at),
    ):
        if value:
            lines.append(f"    {'ag:' + key:<13} {_date(value)} ;")
    lines.append(f"    ag:confidence {c.confidence} ;")
    for a, b in c.cues:
        lines.append(f'    ag:cueSpan    "{a}-{b}" ;')
    lines += [
        "    prov:wasDerivedFrom",
        f"        [ a ag:Evidence ; ag:source src:{source_id} ; "
        f"ag:start {c.start} ; ag:end {c.end} ;",
        f"          ag:quote {_literal(c.quote)} ] .",
    ]
    return "\n".join(lines) + "\n"


def _statement_block(statement_id: str, fields: Mapping[str, str]) -> str:
    lines = [
        f"\nstmt:{statement_id}  a ag:Statement ;",
        f"    rdf:subject   {_ref(fields['subject'])} ;",
        f"    rdf:predicate {_ref(fields['relation'])} ;",
        f"    rdf:object    {_ref(fields['object'])} ;",
        f"    ag:stance     {_ref(fields['stance'])} ;",
        f"    ag:assertedBy {_ref(fields['assertedBy'])} ;",
    ]
    for party in fields.get("contestedBy", "").split():
        lines.append(f"    ag:contestedBy {_ref(party)} ;")
    for party in fields.get("against", "").split():
        lines.append(f"    ag:against    {_ref(party)} ;")
    if fields.get("polarity", "").endswith("#Negative"):
        lines.append("    ag:polarity   ag:Negative ;")
    if fields.get("basis", "").endswith(("#Inferred", "#OpenQuestion")):
        lines.append(f"    ag:basis      {_ref(fields['basis'])} ;")
    for key in ("validFrom", "validUntil", "attestedAt"):
        if fields.get(key):
            lines.append(f"    {'ag:' + key:<13} {_date(fields[key])} ;")
    if fields.get("note"):
        lines.append(f"    rdfs:comment  {_literal(fields['note'])}@en ;")
    lines += [
        "    prov:wasDerivedFrom",
        f"        [ a ag:Evidence ; ag:source {_ref(fields['source'])} ;"
        f" ag:start {fields['start']} ;"
        f" ag:end {fields['end']} ;",
        f"          ag:quote {_literal(fields['quote'])} ] .",
    ]
    return "\n".join(lines) + "\n"


def _actor_block(actor_id: str, label: str, kind: str, aliases: Sequence[str]) -> str:
    lines = [
        f"\nact:{actor_id}  a ag:{kind}",
        f"    skos:prefLabel {_literal(label)}{_language(label)}",
    ]
    lines += [f"    skos:altLabel  {_literal(a)}{_language(a)}" for a in dict.fromkeys(aliases)]
    plain = transliterate(label)
    if plain != label and plain.strip():
        lines.append(f"    skos:hiddenLabel {_literal(plain)}")  # found when typed without accents
    return " ;\n".join(lines) + " .\n"


def _language(text: str) -> str:
    """``@en`` for a text in Latin letters (a name as English writes it); none otherwise."""
    letters = [c for c in text if c.isalpha()]
    latin = all(transliterate(c).isascii() for c in letters)
    return "@en" if latin else ""


def _unnamed_label(slug: str) -> str:
    return _UNNAMED_LABELS.get(slug, slug.replace("-", " "))


def _check_turtle(content: str, what: str) -> None:
    """Refuse to write Turtle that does not parse (a last guard: every text is escaped)."""
    import pyoxigraph as ox

    try:
        list(ox.parse(content, ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as error:
        message = " ".join(str(error).split())
        raise ActorGraphError(
            f"the {what} would not be valid Turtle ({message}): nothing written"
        ) from None


def _append(path: Path, block: str) -> None:
    current = path.read_text(encoding="utf-8") if path.exists() else _PREFIXES
    atomic_write(path, current + block)


def _appended(path: Path, block: str) -> str | None:
    """The text of ``path`` with ``block`` added at its end (None: no block, no change)."""
    if not block:
        return None
    current = path.read_text(encoding="utf-8") if path.exists() else _PREFIXES
    return current + block


def _validated(paths: Sequence[Path], changes: Mapping[Path, str | None]) -> Report:
    """The validation of the graph ``paths`` make, with each file of ``changes`` holding its
    new text: copies in a temporary folder are validated, so the folder itself changes only
    once its new state is known to be valid, whatever stops validation (an error, a crash or
    a kill of the process). A problem raises, with the files named as they will be."""
    from .files import graph_files
    from .graph import ActorGraph

    with tempfile.TemporaryDirectory(prefix="actorgraph-accept-") as staging:
        copies: dict[Path, Path] = {}
        for number, (path, content) in enumerate(changes.items()):
            if content is not None:
                copy = Path(staging) / str(number) / path.name
                copy.parent.mkdir()
                copy.write_text(content, encoding="utf-8")
                copies[path.resolve()] = copy
        named = {str(copies[p.resolve()]): str(p) for p in changes if p.resolve() in copies}
        staged = dict(copies)
        files: list[Path] = []
        for root in paths:
            for path in graph_files(root, ".ttl") if root.is_dir() else [root]:
                files.append(staged.pop(path.resolve(), path))
        files += staged.values()  # files the accept creates

        def real(text: str) -> str:
            for copy, path in named.items():
                text = text.replace(copy, path)
            return text

        try:
            report = ActorGraph.load(*files).validate()
        except ActorGraphError as error:  # the message is kept whole
            raise ActorGraphError(
                f"{real(str(error))} (the accept was undone: nothing written)"
            ) from None
        if not report.ok:
            problems = [
                replace(p, message=real(p.message), path=p.path and real(p.path))
                for p in report.problems
            ]
            raise ValidationError(
                [f"{problems[0]} (the accept was undone: nothing written)", *problems[1:]]
            )
    return report


def _restore(backup: Mapping[Path, bytes | None]) -> None:
    for path, data in backup.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, data)


def _decision(
    candidate: str, verdict: str, *, statement: str | None = None, target: str | None = None
) -> str:
    node = _ref(candidate) if candidate.startswith(PROPOSED) else f"cand:{candidate}"
    when = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    lines = ["\n[] a ag:Decision ;", f"    ag:candidate {node} ;", f"    ag:verdict ag:{verdict} ;"]
    if statement:
        lines.append(f"    ag:acceptedAs {_ref(statement)} ;")
    if target:
        lines.append(f"    ag:linkedTo {_ref(target)} ;")
    lines.append(f'    dcterms:created "{when}"^^xsd:dateTime .')
    return "\n".join(lines) + "\n"


def _blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    body = text[len(_PREFIXES) :] if text.startswith(_PREFIXES) else text
    return [b + "\n" for b in re.split(r"\n(?=\n\[\] a ag:Decision)", body) if b.strip()]


def _remove_statement(folder: Path, statement_id: str) -> None:
    for path in (folder / "claims").glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"\nstmt:{re.escape(statement_id)}  a ag:Statement ;.*?\] \.\n", re.S)
        if pattern.search(text):
            atomic_write(path, pattern.sub("", text))


def _remove_unused_actors(folder: Path) -> None:
    """Remove the actors an accept wrote that no statement or candidate of the folder names
    any more."""
    claims = "".join(
        p.read_text(encoding="utf-8")
        for p in [*(folder / "claims").glob("*.ttl"), *(folder / "candidates").glob("*.ttl")]
    )
    for path in (folder / "actors").glob("*.ttl"):
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(r"\nact:([\w-]+)  a ag:\w+ ;.*?(?: \.\n)", re.S)
        kept = pattern.sub(
            lambda m: (
                m.group() if re.search(rf"act:{re.escape(m.group(1))}(?![\w-])", claims) else ""
            ),
            text,
        )
        if kept != text:
            atomic_write(path, kept)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", transliterate(name).lower()).strip("-") or "actor"


def remove(folder: Path) -> None:
    """Delete a graph folder made by ingestion (for tests and tidy-ups)."""
    shutil.rmtree(folder, ignore_errors=True)
