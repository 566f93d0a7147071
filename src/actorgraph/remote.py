"""A remote SPARQL 1.1 endpoint as the store behind an ActorGraph (Oxigraph server, Virtuoso,
Fuseki, GraphDB …), spoken to through SPARQLWrapper.

The SPARQL protocol has no parameter binding, so bound values travel as ``VALUES`` blocks put
at the start of the query's WHERE group, each term written by pyoxigraph's N-Triples serialiser
(which escapes quotes, newlines and angle brackets). User text is never pasted into a query:
only RDF terms, serialised.

>>> bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/a")})
'SELECT ?o WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }'
"""

from __future__ import annotations

import ast
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import ActorGraphError, QueryError
from .results import Rows
from .safety import check_read_only, check_variable_name
from .store import Term, read_result, to_rdflib

if TYPE_CHECKING:
    import rdflib

__all__ = ["RemoteStore", "bind_values"]

_CHUNK = 500  # triples per INSERT DATA request (Virtuoso refuses very long updates)
_GENID = "https://w3id.org/actorgraph/.well-known/genid/"


class RemoteStore:
    """A :class:`~actorgraph.store.Store` over a SPARQL 1.1 query (and update) endpoint."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        auth: tuple[str, str] | None = None,
        default_graph: str | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.query_url, self.update_url = query_url, update_url
        self.auth, self.default_graph, self.timeout = auth, default_graph, timeout
        self._schemes: dict[str, tuple[str, str]] = {}  # URL -> (BASIC | DIGEST, realm)

    def _scheme(self, url: str) -> tuple[str, str]:
        """How ``url`` wants credentials, asked once with a request that carries none, so a
        password never travels as Basic to a server that asks for Digest."""
        if url not in self._schemes:
            self._schemes[url] = _challenge(url, self.timeout)
        return self._schemes[url]

    def _client(self, url: str, kind: str):  # type: ignore[no-untyped-def]
        from SPARQLWrapper import POST, SPARQLWrapper

        client = SPARQLWrapper(url)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        if self.auth:
            scheme, realm = self._scheme(url)
            client.setCredentials(*self.auth, realm=realm or "SPARQL")
            client.setHTTPAuth(scheme)
        if self.default_graph and kind == "query":
            client.addDefaultGraph(self.default_graph)
        return client

    def _send(self, url: str, text: str, accept: str, kind: str) -> bytes:
        from SPARQLWrapper.SPARQLExceptions import Unauthorized

        client = self._client(url, kind)
        client.setQuery(text)
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", accept)
        try:
            return client.query().response.read()
        except Unauthorized:
            who = f"user {self.auth[0]!r}" if self.auth else "no user (give --user)"
            raise QueryError(f"the endpoint {url} refused {who}: 401 Unauthorized") from None
        except Exception as error:  # the client raises its own and urllib's errors
            raise QueryError(f"query failed at the endpoint {url}: {_reason(error)}") from None
        finally:
            if self.auth and client.http_auth == "DIGEST":
                # The client installed its password handler as urllib's process-wide opener;
                # take it away again so no later request carries these credentials.
                urllib.request.install_opener(None)  # type: ignore[arg-type]

    def select(
        self, query: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str] | None = None
    ) -> Rows:
        prefixed = _with_prefixes(query, prefixes)
        form = check_read_only(prefixed, allow=("service", "from", "load")).form  # cached per text
        text = bind_values(prefixed, bindings)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        body = self._send(self.query_url, text, accept, "query")
        try:
            if graph:
                triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
                rows = [(t.subject, t.predicate, t.object) for t in triples]
                return Rows(["subject", "predicate", "object"], rows, form="CONSTRUCT")
            read = read_result(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
            if form == "ASK" and read.form != "ASK":  # Virtuoso: ?__ASK_RETVAL 1, or no row
                value = read.terms[0][0] if read.terms and read.terms[0] else None
                answer = isinstance(value, ox.Literal) and value.value in ("1", "true")
                return Rows(["result"], [(ox.Literal(answer),)], form="ASK")
            return read
        except SyntaxError:
            detail = body[:200].decode("utf-8", "replace").splitlines()[0] if body else "empty"
            raise QueryError(f"query failed at the endpoint {self.query_url}: {detail}") from None

    def update(self, update: str, prefixes: Mapping[str, str] | None = None) -> None:
        if not self.update_url:
            raise ActorGraphError("this remote graph is read-only: give an update URL to change it")
        self._send(self.update_url, _with_prefixes(update, prefixes), "*/*", "update")

    def add(self, triples: Iterable[ox.Triple]) -> None:
        """Insert ``triples`` (into ``default_graph`` if set), a chunk per request."""
        opening, closing = "INSERT DATA {\n", "\n}"
        if self.default_graph:
            opening = f"INSERT DATA {{ GRAPH {ox.NamedNode(self.default_graph)} {{\n"
            closing = "\n} }"
        batch: list[str] = []

        def flush() -> None:
            self.update(opening + "\n".join(batch) + closing)
            batch.clear()

        for triple in triples:
            batch.append(_ntriple(triple))
            if len(batch) == _CHUNK:
                flush()
        if batch:
            flush()

    def load_turtle(self, data: bytes, base_iri: str) -> None:
        self.add(q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri))

    def triples(self) -> Iterator[ox.Triple]:
        rows = self.select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {})
        for s, p, o in rows.terms:
            yield ox.Triple(s, p, o)  # type: ignore[arg-type]

    def __len__(self) -> int:
        count = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}).column("n")[0]
        return int(count or 0)  # type: ignore[arg-type]

    def turtle(self, prefixes: Mapping[str, str]) -> bytes:
        return ox.serialize(self.triples(), format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes))

    def to_rdflib(self) -> rdflib.Graph:
        return to_rdflib(self.triples())


def bind_values(query: str, bindings: Mapping[str, Term]) -> str:
    """``query`` with a VALUES block per binding at the start of its WHERE group."""
    if not bindings:
        return query
    for name in bindings:
        check_variable_name(name)
    # One block per variable: Virtuoso 7 plans a multi-variable VALUES row badly (minutes).
    # Terms are written in N-Triples syntax, escaped by the serialiser.
    block = "".join(f"VALUES ?{name} {{ {term} }} " for name, term in bindings.items())
    brace = _where_brace(query)
    return query[: brace + 1] + " " + block + query[brace + 1 :].lstrip(" ")


_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]")


def _where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (strings, IRIs, comments skipped)."""
    depth, i, first_top, after_where = 0, 0, None, False
    n = len(query)
    while i < n:
        c = query[i]
        if c == "#":  # a comment ends at any line break, as in the read-only check
            found = _LINE_BREAK.search(query, i)
            i = found.start() if found else n
            continue
        if c in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else c
            end = i + len(quote)
            while end < n and query[end : end + len(quote)] != quote:
                end += 2 if query[end] == "\\" else 1
            i = end + len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", query[i:]):
            i = query.index(">", i) + 1
            continue
        if c == "{":
            if depth == 0:
                if after_where:
                    return i
                if first_top is None:
                    first_top = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and query[i : i + 5].upper() == "WHERE" and not query[i - 1 : i].isalnum():
            after_where = True
            i += 5
            continue
        i += 1
    if first_top is None:
        raise QueryError("the query has no WHERE group to bind parameters in")
    return first_top


def _challenge(url: str, timeout: float) -> tuple[str, str]:
    """The scheme and realm of ``url``'s ``WWW-Authenticate`` challenge; Basic when it sends
    none (or cannot be reached: the real request will say so)."""
    probe = urllib.request.Request(
        url,
        data=b"query=ASK%20%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        urllib.request.build_opener().open(probe, timeout=timeout).close()
    except urllib.error.HTTPError as error:
        header = error.headers.get("WWW-Authenticate", "")
        error.close()
        digest = re.search(r"(?i)\bdigest\b(.*)", header)  # preferred when also offered
        if digest:
            realm = re.search(r'realm="([^"]*)"', digest.group(1))
            return "DIGEST", realm.group(1) if realm else ""
    except OSError:
        pass
    return "BASIC", ""


def _reason(error: Exception) -> str:
    """One line on why a request failed: the server's own first line where it sent one."""
    text = str(error)
    reason = (getattr(error, "msg", None) or text.splitlines()[0]) if text else type(error).__name__
    if "Response:\n" in text:  # SPARQLWrapper appends the body as a bytes repr
        try:
            body = ast.literal_eval(text.split("Response:\n", 1)[1].strip())
        except (ValueError, SyntaxError, TypeError, RecursionError):
            body = b""
        if isinstance(body, bytes):
            first = body.decode("utf-8", "replace").strip().splitlines()[:1]
            if first:
                reason = f"{reason}: {first[0]}"
    printable = "".join(c if c.isprintable() else " " for c in reason)
    return " ".join(printable.split())[:300]


def _with_prefixes(text: str, prefixes: Mapping[str, str] | None) -> str:
    if not prefixes:
        return text
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w.-]*):", text))
    missing = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p not in declared)
    return missing + text


def _ntriple(triple: ox.Triple) -> str:
    def term(t: Term) -> str:
        if isinstance(t, ox.BlankNode):  # skolemised: a blank node label is scoped per request
            return f"<{_GENID}{t.value}>"
        return str(t)

    return f"{term(triple.subject)} {term(triple.predicate)} {term(triple.object)} ."
