"""A graph folder that grows from new articles: ingest a text, then accept or reject candidates.

Layout of the folder (``DIR``)::

    sources/<ID>.txt   the text, byte for byte          sources/<ID>.ttl  its record, sha256
    candidates/<ID>.ttl  proposed statements and actors (ag:Candidate, ag:ProposedActor)
    claims/<ID>.ttl    accepted statements              actors/<ID>.ttl   accepted new actors
    review/<ID>.ttl    every decision, with its time (reversible: ``undo``)

Candidates are never statements: accepting one writes a statement in ``claims/`` (and the new
actors it needs in ``actors/``), then validates the whole graph, and undoes the write if
validation fails. A decided candidate is not proposed again when the text is ingested again.

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

import datetime
import hashlib
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ActorGraphError, QueryError, ValidationError
from .files import atomic_write
from .ingest import PROPOSED, Candidate, Reader, Reading
from .model import Stance, local_name
from .namespaces import ACT, AG, CAND, SRC, STMT, turtle_prefixes

if TYPE_CHECKING:
    import pyoxigraph as ox

    from .graph import ActorGraph

__all__ = ["IngestResult", "Verdict", "accept", "ingest", "link", "reject", "undo"]

_PREFIXES = turtle_prefixes(
    ["ag", "act", "stmt", "src", "cand", "prop", "rdf", "rdfs", "skos", "prov", "dcterms", "xsd"], 5
)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
Verdict = str  # "accepted", "rejected" or "linked"


@dataclass(frozen=True)
class IngestResult:
    """What ``ingest`` stored and proposed."""

    source: str
    text_file: Path
    candidates: list[Candidate]
    proposed: int
    skipped: int  # candidates already decided in an earlier review


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
) -> IngestResult:
    """Store ``file`` in the graph folder ``into`` and write its candidates for review.

    ``base`` are the graph folders whose actors and ontology the reader uses (none: the
    bundled graph), together with the folder's own accepted actors.
    """
    from .graph import ActorGraph

    folder = Path(into)
    if not _ID.fullmatch(source_id):
        raise QueryError(f"source id {source_id!r}: use lower-case letters, digits and hyphens")
    if published is not None and not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", published):
        raise QueryError(f"published {published!r}: expected a year, year-month or date")
    if url is not None and not re.match(r"https?://\S+$", url):
        raise QueryError(f"url {url!r}: expected an http(s) address")
    try:
        data = Path(file).read_bytes()
        text = data.decode("utf-8")
    except OSError as error:
        raise QueryError(f"{file}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise QueryError(f"{file}: not UTF-8 text") from None
    stored = folder / "sources" / f"{source_id}.txt"
    if stored.exists() and stored.read_bytes() != data:
        raise QueryError(f"{stored}: a different text is stored under the id {source_id!r}")
    atomic_write(stored, data)
    author_iri = ACT[_slug(author)] if author else ACT[f"author-of-{source_id}"]
    atomic_write(
        folder / "sources" / f"{source_id}.ttl",
        _source_record(source_id, title, url, published, author, author_iri, data),
    )
    kg = ActorGraph.load(*(list(base) or [_bundled()]), *_existing(folder))
    reader = Reader(kg, source=SRC[source_id], author=author_iri)
    reading = reader.read(text, published=published)
    decided = set(_decisions(folder))
    fresh = [c for c in reading.candidates if c.id not in decided]
    atomic_write(folder / "candidates" / f"{source_id}.ttl", _candidates(reading, fresh, source_id))
    return IngestResult(
        SRC[source_id], stored, fresh, len(reading.proposed), len(reading.candidates) - len(fresh)
    )


def accept(
    into: str | Path,
    candidate: str,
    *,
    edits: Mapping[str, str] | None = None,
    base: Iterable[str | Path] = (),
) -> StatementRef:
    """Accept a candidate (with ``edits``: relation, stance, assertedBy, subject, object,
    validFrom, validUntil, note): write it as a statement, with the new actors it needs, then
    validate the whole graph; on any problem, nothing is kept."""
    from .graph import ActorGraph

    folder = Path(into)
    kg = ActorGraph.load(*(list(base) or [_bundled()]), *_existing(folder))
    found = _candidate(kg, candidate)
    fields = dict(found)
    for key, value in (edits or {}).items():
        if key not in ("relation", "stance", "assertedBy", "subject", "object", "validFrom",
                       "validUntil", "attestedAt", "note"):  # fmt: skip
            raise QueryError(f"cannot edit {key!r} of a candidate")
        fields[key] = _resolve_edit(kg, key, value)
    links = _links(folder)
    for role in ("subject", "object", "assertedBy"):
        fields[role] = links.get(fields[role], fields[role])
    source = local_name(fields["source"])
    statement_id = _statement_id(kg, fields)
    claims = folder / "claims" / f"{source}.ttl"
    actors = folder / "actors" / f"{source}.ttl"
    backup = {path: path.read_bytes() if path.exists() else None for path in (claims, actors)}
    new_actors = [
        fields[role]
        for role in ("subject", "object", "assertedBy")
        if fields[role].startswith(PROPOSED)
    ]
    for proposed in dict.fromkeys(new_actors):
        actor_id = local_name(proposed)
        _append(actors, _actor_block(kg, proposed, actor_id))
        fields = {k: (ACT[actor_id] if v == proposed else v) for k, v in fields.items()}
    _append(claims, _statement_block(statement_id, fields))
    try:
        report = ActorGraph.load(*(list(base) or [_bundled()]), *_existing(folder)).validate()
    except ActorGraphError:
        _restore(backup)
        raise
    if not report.ok:
        _restore(backup)
        raise ValidationError(report.problems)
    _record(folder, source, candidate, "Accepted", statement=STMT[statement_id])
    return StatementRef(statement_id, claims)


@dataclass(frozen=True)
class StatementRef:
    """Where an accepted candidate was written."""

    id: str
    file: Path


def reject(into: str | Path, candidate: str, *, base: Iterable[str | Path] = ()) -> None:
    """Reject a candidate: it is recorded and never proposed again for this text."""
    from .graph import ActorGraph

    folder = Path(into)
    kg = ActorGraph.load(*(list(base) or [_bundled()]), *_existing(folder))
    found = _candidate(kg, candidate)
    _record(folder, local_name(found["source"]), candidate, "Rejected")


def link(into: str | Path, proposed: str, actor: str, *, base: Iterable[str | Path] = ()) -> str:
    """Treat a proposed actor as a known one from now on (its candidates' claims attach there)."""
    from .graph import ActorGraph

    folder = Path(into)
    kg = ActorGraph.load(*(list(base) or [_bundled()]), *_existing(folder))
    known = kg.actor(actor)
    iri = proposed if proposed.startswith(PROPOSED) else PROPOSED + proposed
    sources = {p.stem for p in (folder / "candidates").glob("*.ttl")}
    source = next(iter(sorted(sources)), "links")
    _record(folder, source, iri, "Linked", target=known.iri)
    return known.iri


def undo(into: str | Path, candidate: str) -> bool:
    """Take a decision back; an accepted candidate's statement is removed again."""
    folder = Path(into)
    changed = False
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
    return changed


# ---------------------------------------------------------------- reading the folder


def _bundled() -> Path:
    from .bundled import graph_dir

    return graph_dir()


def _existing(folder: Path) -> list[Path]:
    return [folder] if folder.exists() and any(folder.rglob("*.ttl")) else []


def _candidate(kg: ActorGraph, candidate: str) -> dict[str, str]:
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
        raise QueryError(f"unknown candidate {candidate!r}")
    return {k: str(v) for k, v in rows[0].items() if v is not None}


def _node(iri: str) -> ox.NamedNode:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _decisions(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted((folder / "review").glob("*.ttl")):
        for block in _blocks(path):
            match = re.search(r"ag:candidate (cand|prop):([\w-]+)", block)
            verdict = re.search(r"ag:verdict ag:(\w+)", block)
            if match and verdict:
                found[match.group(2)] = verdict.group(1)
    return found


def _links(folder: Path) -> dict[str, str]:
    links = {}
    for path in sorted((folder / "review").glob("*.ttl")):
        for block in _blocks(path):
            match = re.search(r"ag:candidate prop:([\w-]+) ;.*ag:linkedTo <([^>]+)>", block, re.S)
            if match:
                links[PROPOSED + match.group(1)] = match.group(2)
    return links


def _resolve_edit(kg: ActorGraph, key: str, value: str) -> str:
    if key in ("validFrom", "validUntil", "attestedAt"):
        if not re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", value):
            raise QueryError(f"{key} {value!r}: expected a year, year-month or date")
        return value
    if key in ("subject", "object", "assertedBy"):
        if value.startswith(PROPOSED):
            return value
        return kg.actor(value).iri
    if key == "relation":
        return kg.relation(value)
    if key == "stance":
        return Stance.parse(value).iri
    return value


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
    lines = [
        _PREFIXES,
        f"{_ref(author_iri)}  a ag:Person ;",
        f"    skos:prefLabel {_literal(author or f'the author of {title}')}@en .",
        "",
        f"src:{source_id}  a ag:Source ;",
        f"    dcterms:title   {_literal(title)}@en ;",
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
    used = {c.subject_iri for c in candidates} | {c.object_iri for c in candidates}
    used |= {c.asserted_by_iri for c in candidates}
    for actor in reading.proposed.values():
        if actor.iri not in used:
            continue
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
            f"    skos:prefLabel {_literal(local_name(slug))}@en ;\n"
            "    ag:suggestedClass ag:UnnamedParty .\n"
        )
    for c in candidates:
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
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


def _statement_block(statement_id: str, fields: Mapping[str, str]) -> str:
    lines = [
        f"\nstmt:{statement_id}  a ag:Statement ;",
        f"    rdf:subject   {_ref(fields['subject'])} ;",
        f"    rdf:predicate {_ref(fields['relation'])} ;",
        f"    rdf:object    {_ref(fields['object'])} ;",
        f"    ag:stance     {_ref(fields['stance'])} ;",
        f"    ag:assertedBy {_ref(fields['assertedBy'])} ;",
    ]
    if fields.get("contestedBy"):
        lines.append(f"    ag:contestedBy {_ref(fields['contestedBy'])} ;")
    if fields.get("polarity", "").endswith("#Negative"):
        lines.append("    ag:polarity   ag:Negative ;")
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


def _actor_block(kg: ActorGraph, proposed: str, actor_id: str) -> str:
    rows = kg.sparql(
        "SELECT ?p ?label ?kind WHERE { ?p skos:prefLabel ?label "
        "OPTIONAL { ?p ag:suggestedClass ?kind } }",
        p=_node(proposed),
    ).dicts()
    label = str(rows[0]["label"]) if rows else actor_id
    kind = local_name(str(rows[0]["kind"])) if rows and rows[0]["kind"] else "Organisation"
    aliases = kg.sparql(
        "SELECT ?p ?alias WHERE { ?p skos:altLabel ?alias }", p=_node(proposed)
    ).column("alias")
    lines = [f"\nact:{actor_id}  a ag:{kind}", f"    skos:prefLabel {_literal(label)}@en"]
    lines += [f"    skos:altLabel  {_literal(str(alias))}@en" for alias in aliases]
    return " ;\n".join(lines) + " .\n"


def _append(path: Path, block: str) -> None:
    current = path.read_text(encoding="utf-8") if path.exists() else _PREFIXES
    atomic_write(path, current + block)


def _restore(backup: Mapping[Path, bytes | None]) -> None:
    for path, data in backup.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, data)


def _record(
    folder: Path, source: str, candidate: str, verdict: str, *, statement: str | None = None,
    target: str | None = None,
) -> None:  # fmt: skip
    node = _ref(candidate) if candidate.startswith(PROPOSED) else f"cand:{candidate}"
    when = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    lines = ["\n[] a ag:Decision ;", f"    ag:candidate {node} ;", f"    ag:verdict ag:{verdict} ;"]
    if statement:
        lines.append(f"    ag:acceptedAs {_ref(statement)} ;")
    if target:
        lines.append(f"    ag:linkedTo <{target}> ;")
    lines.append(f'    dcterms:created "{when}"^^xsd:dateTime .')
    _append(folder / "review" / f"{source}.ttl", "\n".join(lines) + "\n")


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


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "author"


def remove(folder: Path) -> None:
    """Delete a graph folder made by ingestion (for tests and tidy-ups)."""
    shutil.rmtree(folder, ignore_errors=True)
