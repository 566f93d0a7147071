"""``actorgraph review``: a local page to accept, edit or reject candidate statements.

Served on 127.0.0.1 with the endpoint's hardening: a Content-Security-Policy that allows no
outside resource, a small body limit, decisions only by same-origin ``POST`` of JSON (so another
site cannot make a visitor's browser decide), one-line errors without tracebacks. Every decision
is saved at once by :mod:`actorgraph.review` (accepted claims validated, reversible with undo).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ActorGraphError
from .model import local_name

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["create_review_app", "review_data"]

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"
)
_MAX_BODY = 20_000
_CUES = "SELECT ?c ?span WHERE { ?c a ag:Candidate ; ag:cueSpan ?span }"
_PROPOSED = """SELECT ?p ?label ?kind ?match WHERE {
  ?p a ag:ProposedActor ; skos:prefLabel ?label .
  OPTIONAL { ?p ag:suggestedClass ?kind } OPTIONAL { ?p ag:possibleMatch ?match } }"""


def review_data(folder: Path, base: Sequence[Path] = ()) -> dict[str, Any]:
    """What the page shows: the open candidates (with their sentence cut at the cue words),
    the known actors, relation types and stances to choose from."""
    from .graph import ActorGraph
    from .review import graph_paths

    kg = ActorGraph.load(*graph_paths(base, folder))
    spans: dict[str, list[tuple[int, int]]] = {}
    for row in kg.sparql(_CUES).dicts():
        first, last = str(row["span"]).split("-")
        spans.setdefault(str(row["c"]), []).append((int(first), int(last)))
    proposed = {
        str(r["p"]): {
            "label": str(r["label"]),
            "kind": local_name(str(r["kind"] or "")),
            "match": kg.label(str(r["match"])) if r["match"] else None,
        }
        for r in kg.sparql(_PROPOSED).dicts()
    }

    def name(iri: str) -> str:
        return f"{proposed[iri]['label']} (new)" if iri in proposed else kg.label(iri)

    items = []
    for row in kg.query("candidates").dicts():
        iri, start = str(row["statement"]), int(str(row["start"]))
        quote = str(row["quote"])
        pieces: list[dict[str, Any]] = []
        cursor = 0
        for cue_start, cue_end in sorted(spans.get(iri, [])):
            a, b = max(cue_start - start, cursor), min(cue_end - start, len(quote))
            if a >= b:
                continue
            pieces += [{"text": quote[cursor:a]}, {"text": quote[a:b], "cue": True}]
            cursor = b
        pieces.append({"text": quote[cursor:]})
        items.append(
            {
                "id": local_name(iri),
                "subject": name(str(row["subject"])),
                "subjectIri": str(row["subject"]),
                "relation": local_name(str(row["relation"])),
                "object": name(str(row["object"])),
                "objectIri": str(row["object"]),
                "stance": local_name(str(row["stance"])),
                "assertedBy": name(str(row["assertedBy"])),
                "contestedBy": name(str(row["contestedBy"])) if row["contestedBy"] else "",
                "polarity": local_name(str(row["polarity"])),
                "validFrom": row["validFrom"],
                "validUntil": row["validUntil"],
                "attestedAt": row["attestedAt"],
                "confidence": row["confidence"],
                "pieces": pieces,
            }
        )
    return {
        "candidates": items,
        "proposed": proposed,
        "relations": sorted(t.id for t in kg.relation_types().values()),
        "stances": ["Asserted", "Hedged", "Disputed", "Denied"],
        "classes": sorted(
            local_name(str(c))
            for c in kg.sparql("SELECT ?c WHERE { ?c rdfs:subClassOf+ ag:Actor }").column("c")
        ),
        "actors": sorted(a.label for a in kg.actors()),
    }


def create_review_app(folder: Path, base: Sequence[Path] = ()) -> Starlette:
    """The review app for the graph folder ``folder`` (known actors also from ``base``)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
    from starlette.routing import Route

    from . import review
    from .view import templates

    async def page(request: Request) -> Response:
        data = await run_in_threadpool(review_data, folder, base)
        html = templates().get_template("review.html").render(folder=str(folder), data=data)
        return HTMLResponse(html, headers={"Content-Security-Policy": _CSP})

    async def decide(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("send the decision as application/json\n", status_code=415)
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
            return PlainTextResponse("decisions come from this page only\n", status_code=403)
        body = await request.body()
        if len(body) > _MAX_BODY:
            return PlainTextResponse("request too large\n", status_code=413)
        try:
            asked = json.loads(body)
            verdict, candidate = str(asked["verdict"]), str(asked["candidate"])
            edits = {str(k): str(v) for k, v in dict(asked.get("edits") or {}).items() if v}
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("expected {verdict, candidate, edits}\n", status_code=400)
        try:
            if verdict == "accept":
                written = await run_in_threadpool(
                    lambda: review.accept(folder, candidate, edits=edits, base=base)
                )
                message = " ".join([f"accepted as stmt:{written.id}", *written.notes])
            elif verdict == "reject":
                await run_in_threadpool(lambda: review.reject(folder, candidate, base=base))
                message = "rejected"
            elif verdict == "undo":
                if not await run_in_threadpool(review.undo, folder, candidate):
                    raise ActorGraphError("no decision to take back")
                message = "decision taken back"
            elif verdict == "link":
                target = await run_in_threadpool(
                    lambda: review.link(folder, candidate, edits["actor"], base=base)
                )
                message = f"linked to {target}"
            else:
                raise ActorGraphError(f"unknown verdict {verdict!r}")
        except (ActorGraphError, KeyError) as error:
            text = " ".join(str(error).split())[:500]
            return JSONResponse({"ok": False, "message": text}, status_code=400)
        return JSONResponse({"ok": True, "message": message})

    return Starlette(routes=[Route("/", page), Route("/decide", decide, methods=["POST"])])
