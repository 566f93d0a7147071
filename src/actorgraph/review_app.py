"""``actorgraph review``: a local page to accept, edit or reject candidate statements.

Served on 127.0.0.1 with the endpoint's hardening: a Content-Security-Policy that allows no
outside resource, a small body limit (refused before it is read), requests only for its own
loopback host names and port (against DNS rebinding), decisions only by same-origin ``POST`` of
JSON (so another site cannot make a visitor's browser decide), one-line errors without
tracebacks. Every decision is saved at once by :mod:`actorgraph.review` (accepted claims
validated, reversible with undo), one at a time.
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
_BODY_TIMEOUT = 10.0  # seconds a decision's body may take to arrive
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
                "contestedBy": "; ".join(name(str(p)) for p in _listed(row["contestedBy"])),
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


def create_review_app(
    folder: Path, base: Sequence[Path] = (), host: str = "127.0.0.1"
) -> Starlette:
    """The review app for the graph folder ``folder`` (known actors also from ``base``),
    listening on the loopback address ``host``.

    It answers only requests for its own loopback names and port (``127.0.0.1:PORT``,
    ``localhost:PORT``, ``[::1]:PORT``: a page whose name is re-bound to this machine is
    refused), and decisions only from a page of those origins. Decisions run one at a time,
    and take the folder's lock, which the command line takes too.
    """
    import threading

    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse
    from starlette.routing import Route

    from .hosts import LOOPBACK_NAMES, host_name
    from .server.reading import TooLarge, TooSlow, read_body
    from .view import templates

    names = dict.fromkeys([*LOOPBACK_NAMES, host_name(host).lower()])
    one_at_a_time = threading.Lock()  # decisions of several tabs wait for each other

    def own_port(request: Request) -> int | None:
        """The port the request's ``Host`` names, if it is the one this server listens on."""
        server = request.scope.get("server")
        port = request.url.port or 80
        return port if server and port == server[1] else None

    async def page(request: Request) -> Response:
        if own_port(request) is None:
            return PlainTextResponse("Invalid host header\n", status_code=400)
        data = await run_in_threadpool(review_data, folder, base)
        html = templates().get_template("review.html").render(folder=str(folder), data=data)
        return HTMLResponse(html, headers={"Content-Security-Policy": _CSP})

    async def decide(request: Request) -> Response:
        port = own_port(request)
        if port is None:
            return PlainTextResponse("Invalid host header\n", status_code=400)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("send the decision as application/json\n", status_code=415)
        origin = request.headers.get("origin")
        allowed = {f"http://{name}:{port}" for name in names}  # not the Host the client sent
        if origin and origin not in allowed:
            return PlainTextResponse("decisions come from this page only\n", status_code=403)
        try:
            body = await read_body(request, _MAX_BODY, _BODY_TIMEOUT)
        except TooLarge:
            return PlainTextResponse("request too large\n", status_code=413)
        except TooSlow:
            return PlainTextResponse(
                "request not received in time\n", status_code=408, headers={"Connection": "close"}
            )
        try:
            asked = json.loads(body)
            verdict, candidate = str(asked["verdict"]), str(asked["candidate"])
            edits = {str(k): str(v) for k, v in dict(asked.get("edits") or {}).items() if v}
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("expected {verdict, candidate, edits}\n", status_code=400)

        def decided() -> str:
            with one_at_a_time:
                return _decide(folder, base, verdict, candidate, edits)

        try:
            message = await run_in_threadpool(decided)
        except (ActorGraphError, KeyError) as error:
            text = " ".join(str(error).split())[:500]
            return JSONResponse({"ok": False, "message": text}, status_code=400)
        return JSONResponse({"ok": True, "message": message})

    return Starlette(
        routes=[Route("/", page), Route("/decide", decide, methods=["POST"])],
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(names))],
    )


def _decide(
    folder: Path,
    base: Sequence[Path],
    verdict: str,
    candidate: str,
    edits: dict[str, str],
) -> str:
    """Carry out one decision; what the page shows when it is done."""
    from . import review

    if verdict == "accept":
        written = review.accept(folder, candidate, edits=edits, base=base)
        return " ".join([f"accepted as stmt:{written.id}", *written.notes])
    if verdict == "reject":
        review.reject(folder, candidate, base=base)
        return "rejected"
    if verdict == "undo":
        if not review.undo(folder, candidate):
            raise ActorGraphError("no decision to take back")
        return "decision taken back"
    if verdict == "link":
        return f"linked to {review.link(folder, candidate, edits['actor'], base=base)}"
    raise ActorGraphError(f"unknown verdict {verdict!r}")


def _listed(value: object) -> list[str]:
    """A list column's values (a list, or none)."""
    return [str(v) for v in value] if isinstance(value, list) else []
