"""A remote SPARQL 1.1 endpoint as the store behind an ActorGraph (Oxigraph server, Virtuoso,
Fuseki, GraphDB …), spoken to through SPARQLWrapper.

The SPARQL protocol has no parameter binding, so bound values travel as ``VALUES`` blocks put
at the start of the query's WHERE group, each term written by pyoxigraph's N-Triples serialiser
(which escapes quotes, newlines and angle brackets). User text is never pasted into a query:
only RDF terms, serialised.

>>> bind_values("SELECT ?o WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e/a")})
'SELECT ?o WHERE { VALUES ?s { <http://e/a> } ?s ?p ?o }'

Requests are bounded: only ``http``/``https`` endpoints; each request (redirects and the Digest
round trip included) must be answered in whole within ``timeout`` seconds and with at most
``max_response`` bytes; a redirect is followed only when it keeps the query (307/308) and, with
credentials, only to the same scheme, host and port.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import math
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .binding import bind_values
from .errors import ActorGraphError, QueryError
from .results import Rows
from .safety import check_read_only
from .store import Term, read_result, to_rdflib

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "DEFAULT_MAX_RESPONSE",
    "DEFAULT_TIMEOUT",
    "RemoteStore",
    "bind_values",
    "check_endpoint_url",
    "skolemise",
]

_CHUNK = 500  # triples per INSERT DATA request (Virtuoso refuses very long updates)
_GENID = "https://w3id.org/actorgraph/.well-known/genid/"
#: Seconds a remote request may take in all (connecting, redirects, reading the whole answer).
DEFAULT_TIMEOUT = 60.0
#: Bytes a remote answer may have at most.
DEFAULT_MAX_RESPONSE = 100_000_000
_ERROR_BODY = 65_536  # bytes of an error answer read for its first line
_READ = 65_536


class RemoteStore:
    """A :class:`~actorgraph.store.Store` over a SPARQL 1.1 query (and update) endpoint.

    ``timeout`` is the time a request may take in all (default :data:`DEFAULT_TIMEOUT`),
    ``max_response`` the largest answer in bytes (default :data:`DEFAULT_MAX_RESPONSE`); both
    raise a one-line :class:`QueryError` when exceeded.
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        auth: tuple[str, str] | None = None,
        default_graph: str | None = None,
        timeout: float | None = None,
        max_response: int | None = None,
    ) -> None:
        check_endpoint_url(query_url)
        if update_url is not None:
            check_endpoint_url(update_url)
        timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        max_response = DEFAULT_MAX_RESPONSE if max_response is None else max_response
        if not 0 < timeout < math.inf:
            raise ActorGraphError(f"the remote timeout must be a positive number, not {timeout}")
        if max_response < 1:
            raise ActorGraphError(f"the response limit must be at least 1 byte, not {max_response}")
        self.query_url, self.update_url = query_url, update_url
        self.auth, self.default_graph, self.timeout = auth, default_graph, float(timeout)
        self.max_response = max_response
        self._schemes: dict[str, tuple[str, str]] = {}  # URL -> (BASIC | DIGEST, realm)

    def _scheme(self, url: str) -> tuple[str, str]:
        """How ``url`` wants credentials, asked once with a request that carries none, so a
        password never travels as Basic to a server that asks for Digest."""
        if url not in self._schemes:
            self._schemes[url] = _challenge(url, self.timeout)
        return self._schemes[url]

    def _request(self, url: str, text: str, accept: str, kind: str) -> urllib.request.Request:
        """The protocol request (form-encoded POST) as SPARQLWrapper writes it; sent by our own
        opener, since SPARQLWrapper's has no deadline, size limit or redirect policy."""
        from SPARQLWrapper import BASIC, POST, SPARQLWrapper

        client = SPARQLWrapper(url)
        client.setMethod(POST)
        if self.auth and self._scheme(url)[0] == BASIC:
            client.setCredentials(*self.auth)
            client.setHTTPAuth(BASIC)  # a header on this request only; Digest: see _send
        if self.default_graph and kind == "query":
            # the graph is the whole dataset: a GRAPH pattern reaches no other graph of the store
            client.addDefaultGraph(self.default_graph)
            client.addNamedGraph(self.default_graph)
        client.setQuery(text)
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", accept)
        return client._createRequest()

    def _send(self, url: str, text: str, accept: str, kind: str) -> bytes:
        request = self._request(url, text, accept, kind)
        digest = None
        if self.auth:
            scheme, realm = self._scheme(url)
            if scheme == "DIGEST":
                digest = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                digest.add_password(realm or None, url, *self.auth)  # only under this URL
        deadline = _Deadline(self.timeout)
        opener = _opener(deadline, credentials=self.auth is not None, digest=digest)
        try:
            with opener.open(request, timeout=deadline.remaining()) as response:
                body = _read_capped(response, self.max_response, url)
                _refuse_partial(response.headers, url)
            if deadline.expired:  # the answer was cut off at the deadline
                raise QueryError(_late(url, self.timeout))
            return body
        except ActorGraphError:
            raise
        except urllib.error.HTTPError as error:
            detail = _error_detail(error)
            if deadline.expired:
                raise QueryError(_late(url, self.timeout)) from None
            if error.code == 401:
                who = f"user {self.auth[0]!r}" if self.auth else "no user (give --user)"
                raise QueryError(f"the endpoint {url} refused {who}: 401 Unauthorized") from None
            raise QueryError(f"query failed at the endpoint {url}: {detail}") from None
        except (OSError, http.client.HTTPException, ValueError) as error:
            if deadline.expired or isinstance(getattr(error, "reason", error), TimeoutError):
                raise QueryError(_late(url, self.timeout)) from None
            raise QueryError(f"query failed at the endpoint {url}: {_reason(error)}") from None
        finally:
            deadline.cancel()

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
        self.insert(triples)

    def insert(self, triples: Iterable[ox.Triple], *, replace: bool = False) -> int:
        """Insert ``triples`` (into ``default_graph`` if set), a chunk per request; returns how
        many were sent.

        Blank nodes are skolemised by :func:`skolemise`, so adding the same triples again adds
        nothing. ``replace`` first clears the target graph (``CLEAR SILENT GRAPH`` of
        ``default_graph``, else ``CLEAR SILENT DEFAULT``: the server's whole default graph), in
        the same request as the first chunk.
        """
        opening, closing = "INSERT DATA {\n", "\n}"
        clear = "CLEAR SILENT DEFAULT"
        if self.default_graph:
            graph = ox.NamedNode(self.default_graph)
            opening = f"INSERT DATA {{ GRAPH {graph} {{\n"
            closing = "\n} }"
            clear = f"CLEAR SILENT GRAPH {graph}"
        lines = [_ntriple(triple) for triple in skolemise(triples)]
        sent = len(lines)
        if replace:
            first = lines[:_CHUNK]
            self.update(clear + (" ;\n" + opening + "\n".join(first) + closing if first else ""))
            lines = lines[_CHUNK:]
        for start in range(0, len(lines), _CHUNK):
            self.update(opening + "\n".join(lines[start : start + _CHUNK]) + closing)
        return sent

    def load_turtle(self, data: bytes, base_iri: str | None = None) -> None:
        self.add(q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base_iri))

    def triples(self) -> Iterator[ox.Triple]:
        rows = self.select("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {})
        for s, p, o in rows.terms:
            yield ox.Triple(s, p, o)  # type: ignore[arg-type]

    def __len__(self) -> int:
        count = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}).column("n")[0]
        return int(str(count or 0))

    def turtle(self, prefixes: Mapping[str, str]) -> bytes:
        turtle = ox.serialize(self.triples(), format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes))
        assert turtle is not None  # returned, not written: no output was given
        return turtle

    def to_rdflib(self) -> rdflib.Graph:
        return to_rdflib(self.triples())


def check_endpoint_url(url: str) -> str:
    """``url`` if it is an ``http``/``https`` URL with a host; else a one-line error (a
    ``file:`` or ``ftp:`` endpoint would read local files or leave the SPARQL protocol).

    >>> check_endpoint_url("file:///etc/passwd")
    Traceback (most recent call last):
    actorgraph.errors.ActorGraphError: the endpoint 'file:///etc/passwd' is not an http://...
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except (ValueError, TypeError, AttributeError):
        parts = None
    odd = any(c.isspace() or not c.isprintable() for c in url)  # urlsplit drops some silently
    if parts is None or odd or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ActorGraphError(f"the endpoint {_shown(url)} is not an http:// or https:// URL")
    return url


def _shown(text: object) -> str:
    """``text`` quoted, on one printable line, at most 200 characters."""
    shown = repr(str(text))
    return shown if len(shown) <= 200 else shown[:197] + "..."


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of ``url`` (the default port made explicit)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


class _Deadline:
    """One request's overall time limit: at expiry every socket the request opened is shut
    down, which ends a read blocked on a server that sends a byte now and then."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left (a little more than none, so a socket timeout is never zero)."""
        return max(self._end - time.monotonic(), 0.01)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _late(url: str, timeout: float) -> str:
    return (
        f"query failed at the endpoint {url}: no complete answer within {timeout:g} s "
        "(the remote timeout; --remote-timeout)"
    )


class _Watched:
    """Opens the connection's socket under the request's :class:`_Deadline`, which can shut it
    down (mixed into the HTTP and HTTPS connections; for HTTPS the TLS handshake is watched
    too)."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        self._create_connection = self._connect_watched

    def _connect_watched(self, address: Any, timeout: Any, source: Any = None) -> socket.socket:
        sock = socket.create_connection(address, min(timeout, self._deadline.remaining()), source)
        self._deadline.watch(sock)
        return sock


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    """An HTTP connection whose socket the request's :class:`_Deadline` can shut down."""


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    """The HTTPS twin of :class:`_HTTPConnection`."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, deadline=self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(_HTTPSConnection, deadline=self._deadline)
        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only when nothing is lost or leaked: to http(s), keeping the POST
    body (307/308; a 301/302/303 would turn the query into an empty GET, so it is an error)
    and, when the request carries credentials, to the same scheme, host and port."""

    def __init__(self, *, credentials: bool) -> None:
        self._credentials = credentials

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        fp.close()  # the redirect's own body is never read (nor held in memory)
        target = urllib.parse.urljoin(req.full_url, newurl)
        where = f"the endpoint {req.full_url} redirected ({code}) to {_shown(target)}"
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            raise QueryError(f"{where}: only http and https redirects are followed")
        if self._credentials and _origin(target) != _origin(req.full_url):
            raise QueryError(
                f"{where}, another host: refused, so that the credentials go to no other host "
                "(give that URL as the endpoint if you trust it)"
            )
        if req.data is None:
            return super().redirect_request(req, fp, code, msg, headers, target)
        if code not in (307, 308):
            raise QueryError(
                f"{where}, which would drop the query (a POST turned into a GET): "
                "give that URL as the endpoint"
            )
        return urllib.request.Request(
            target,
            data=req.data,
            headers=dict(req.headers),
            origin_req_host=req.origin_req_host,
            unverifiable=True,
            method=req.get_method(),
        )


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """Answers a Digest challenge, closing the challenge's own response first (urllib would
    leave its connection open until garbage collection)."""

    def http_error_401(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> Any:
        fp.close()
        return super().http_error_401(req, fp, code, msg, headers)


def _opener(
    deadline: _Deadline,
    *,
    credentials: bool,
    digest: urllib.request.HTTPPasswordMgr | None = None,
) -> urllib.request.OpenerDirector:
    """An opener of its own (never the process-wide one) for one request."""
    handlers: list[urllib.request.BaseHandler] = [
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        _Redirects(credentials=credentials),
    ]
    if digest is not None:
        handlers.append(_Digest(digest))
    return urllib.request.build_opener(*handlers)


def _refuse_partial(headers: Any, url: str) -> None:
    """Refuse an answer the endpoint marks as partial: Virtuoso answers a query that ran past
    its own time limit with the rows found so far ("anytime" results), saying so only in its
    ``X-SQL-State`` and ``X-SQL-Message`` headers; passed on as whole, rows would be lost
    silently."""
    state = headers.get("X-SQL-State")
    if state:
        message = " ".join(str(headers.get("X-SQL-Message", "")).split())
        raise QueryError(
            f"the endpoint {url} returned a partial answer ({state}{': ' if message else ''}"
            f"{message[:200]}): it stopped the query at its own time limit"
        )


def _read_capped(response: Any, limit: int, url: str) -> bytes:
    """The whole body of ``response``, refused once it exceeds ``limit`` bytes."""
    too_big = (
        f"query failed at the endpoint {url}: the answer exceeds the limit of {limit:,} bytes "
        "(the response limit; --max-response)"
    )
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > limit:
        raise QueryError(too_big)
    chunks, total = [], 0
    while chunk := response.read(_READ):
        total += len(chunk)
        if total > limit:
            raise QueryError(too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _error_detail(error: urllib.error.HTTPError) -> str:
    """``HTTP status code N: first line of the server's answer``, printable, one line."""
    try:
        body = error.read(_ERROR_BODY) if error.fp is not None else b""
    except (OSError, http.client.HTTPException, ValueError):
        body = b""
    finally:
        error.close()
    first = body.decode("utf-8", "replace").strip().splitlines()[:1]
    reason = f"HTTP status code {error.code}"
    return _one_line(f"{reason}: {first[0]}" if first else f"{reason}: {error.reason}")


def _challenge(url: str, timeout: float) -> tuple[str, str]:
    """The scheme and realm of ``url``'s ``WWW-Authenticate`` challenge; Basic when it sends
    none (or cannot be reached, or redirects: the real request will say so)."""
    probe = urllib.request.Request(
        url,
        data=b"query=ASK%20%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    deadline = _Deadline(timeout)
    try:
        _opener(deadline, credentials=False).open(probe, timeout=deadline.remaining()).close()
    except urllib.error.HTTPError as error:
        header = error.headers.get("WWW-Authenticate", "") if error.headers else ""
        error.close()
        digest = re.search(r"(?i)\bdigest\b(.*)", header)  # preferred when also offered
        if digest:
            realm = re.search(r'realm="([^"]*)"', digest.group(1))
            return "DIGEST", realm.group(1) if realm else ""
    except (OSError, http.client.HTTPException, ValueError, ActorGraphError):
        pass
    finally:
        deadline.cancel()
    return "BASIC", ""


def _reason(error: Exception) -> str:
    """One line on why a request failed."""
    reason = getattr(error, "reason", None) or str(error) or type(error).__name__
    return _one_line(str(reason))


def _one_line(text: str) -> str:
    """``text`` without control characters, whitespace collapsed, at most 300 characters."""
    printable = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(printable.split())[:300]


def skolemise(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``triples`` with each blank node replaced by an IRI under ``.well-known/genid/`` that is
    derived from what the node says and from what holds it, so pushing a graph twice gives the
    same IRIs (and adds nothing). Each round hashes a node's triples with the previous round's
    names of the blank nodes around it, until no more nodes are told apart; nodes still alike
    (the same content, held the same way) are one node. Duplicates are dropped.

    >>> a, b = ox.BlankNode(), ox.BlankNode()
    >>> p, s = ox.NamedNode("http://e/p"), ox.NamedNode("http://e/s")
    >>> one = skolemise([ox.Triple(s, p, a), ox.Triple(a, p, ox.Literal("x"))])
    >>> one == skolemise([ox.Triple(s, p, b), ox.Triple(b, p, ox.Literal("x"))])
    True
    """
    triples = list(triples)
    around: dict[ox.BlankNode, list[tuple[str, Any, Any]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            around.setdefault(t.subject, []).append((">", t.predicate, t.object))
        if isinstance(t.object, ox.BlankNode):
            around.setdefault(t.object, []).append(("<", t.predicate, t.subject))
    if not around:
        return list(dict.fromkeys(triples))
    names = {node: "" for node in around}

    def show(term: Any) -> str:
        return "_:" + names[term] if isinstance(term, ox.BlankNode) else str(term)

    classes = 1
    for _ in range(len(around) + 1):
        names = {
            node: hashlib.sha256(
                "\n".join(sorted(f"{d} {p} {show(o)}" for d, p, o in edges)).encode()
            ).hexdigest()
            for node, edges in around.items()
        }
        if len(set(names.values())) == classes:
            break
        classes = len(set(names.values()))
    iris = {node: ox.NamedNode(_GENID + name[:32]) for node, name in names.items()}

    def named(term: Any) -> Any:
        return iris[term] if isinstance(term, ox.BlankNode) else term

    return list(
        dict.fromkeys(ox.Triple(named(t.subject), t.predicate, named(t.object)) for t in triples)
    )


def _with_prefixes(text: str, prefixes: Mapping[str, str] | None) -> str:
    if not prefixes:
        return text
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w.-]*):", text))
    missing = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p not in declared)
    return missing + text


def _ntriple(triple: ox.Triple) -> str:
    """``triple`` as one N-Triples line (its blank nodes already skolemised)."""
    return f"{triple.subject} {triple.predicate} {triple.object} ."
