"""``actorgraph serve``: a hardened, read-only SPARQL 1.1 endpoint with the graph view.

Routes: ``/sparql`` (SPARQL 1.1 Protocol: GET and POST, URL-encoded or direct body, content
negotiation, a service description when called without a query), ``/`` (the interactive view),
``/actors/{id}`` (an actor's page), ``/queries`` and ``/queries/{name}`` (named queries with
their parameters in the URL).

Hardened by default: read-only (updates, SERVICE, LOAD, FROM refused with 400), a wall-clock
limit per query that stops the work and counts the wait for a worker (queries run in worker
processes, replaced when they die), a bounded queue (503 with Retry-After beyond it), queries of
clients that left cancelled, a row cap applied while reading, a request body limit (413), a
deadline for a request's headers, no CORS unless configured, and error bodies of one line
without tracebacks or paths. Answers of the served graph, which does not change while the
server runs, are kept and revalidated with entity tags.

One job per module: :mod:`.settings` (the limits), :mod:`.app` (routes and wiring),
:mod:`.handlers` (one function per route), :mod:`.reading` (a SPARQL Protocol request's query),
:mod:`.cache` (answers kept), :mod:`.pages` (an actor's page), :mod:`.protocol` (the header
deadline) and :mod:`.running` (uvicorn).

>>> ServerSettings(timeout=5).max_rows
10000
"""

from __future__ import annotations

from .app import create_app
from .running import run_server
from .settings import ServerSettings

__all__ = ["ServerSettings", "create_app", "run_server"]
