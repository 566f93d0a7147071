"""Read-only, offline checks for SPARQL text from users, with explicit opt-ins.

By default a query may not update the graph, call ``SERVICE`` (pyoxigraph would send it over the
network), ``LOAD`` data or name graphs with ``FROM``/``FROM NAMED`` (or ``USING`` in an update).
A caller that wants one of these says so with ``allow`` (``"update"``, ``"service"``, ``"load"``,
``"from"``). The check also reports the variables a query uses and selects, so parameters can be
checked before it runs.

The check reads the text with the lexical rules of the SPARQL grammar (its terminals: strings,
IRIs, variables, prefixed names, comments). Two of them can be read two ways: ``<…>`` is an IRI
or, after an operand in an expression, the less-than operator followed by code (``1<'>'`` is a
comparison with the string ``'>'``); a comment ends at a line feed for the engine, and at any
line break for a careful reader. A keyword is refused if any mix of these readings has it as
code, so the check need not guess the grammar's context. Where the reading could still be
ambiguous it errs towards refusal: a keyword counts inside longer words, code may not hold
backslashes, and unterminated strings and control characters are refused. Queries nested or
chained deeply enough to overflow the engine's stack are refused too. The cost is linear in
the length of the text.

>>> check_read_only("SELECT ?s WHERE { ?s ?p ?o }").selected
frozenset({'s'})
>>> check_read_only("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
actorgraph.errors.QueryError: SERVICE is refused: federated queries reach the network (allow ...
>>> check_read_only("SELECT * WHERE { # a comment\\r SERVICE <http://127.0.0.1:9/> {} }")
Traceback (most recent call last):
...
actorgraph.errors.QueryError: SERVICE is refused: federated queries reach the network (allow ...
"""

from __future__ import annotations

import bisect
import contextlib
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from .errors import QueryError

__all__ = [
    "CAPABILITIES",
    "QueryShape",
    "check_read_only",
    "check_variable_name",
    "code_tokens",
    "engine_errors",
    "syntax_error_message",
]

#: What a caller may allow a query to do, and why each is refused by default.
CAPABILITIES = {
    "update": "updates (INSERT, DELETE, CLEAR, DROP …) are refused: queries are read-only",
    "service": "SERVICE is refused: federated queries reach the network",
    "load": "LOAD is refused: it fetches data from the network or the file system",
    "from": "FROM and FROM NAMED are refused: they name graphs from outside the store",
    "extensions": "a store's own extensions (Virtuoso's bif: and sql: functions, DEFINE) are "
    "refused: they reach the network and the server's database",
}
# the IRI schemes of a store's built-in functions (Virtuoso: bif:http_get fetches any URL)
_EXTENSION_SCHEMES = ("bif", "sql")
_KEYWORDS = {
    "SERVICE": "service",
    "LOAD": "load",
    "FROM": "from",
    "USING": "from",
    "DEFINE": "extensions",  # Virtuoso's pragmas (DEFINE get:soft … fetches graphs)
}
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CACHED_LENGTH = 20_000  # longer texts are checked every time rather than kept in the cache

# The character classes of the SPARQL 1.1 grammar (PN_CHARS_BASE and friends).
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS = _BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040-"
_VARIABLE_CHARS = _BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040"  # no "-": ?a-1 is a subtraction
_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
# the escapes the grammar allows: another backslash ends a string where the engine reads it
# a character's escape: no surrogate (D800–DFFF), nothing past U+10FFFF (the engine refuses
# those and reads the text another way)
_HEX4 = r"(?![dD][89a-fA-F])[0-9A-Fa-f]{4}"
_UCHAR = rf"\\u{_HEX4}|\\U(?:0000{_HEX4}|000[1-9A-Fa-f][0-9A-Fa-f]{{4}}|0010[0-9A-Fa-f]{{4}})"
_ESCAPE = rf"\\[tbnrf\"'\\]|{_UCHAR}"
_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"  # in a prefixed name: ex:a\'b is one name
_TOKEN_PATTERN = rf"""
      (?P<space>[ \t\n\r]+)
    | (?P<comment>\#[^{_LINE_BREAKS}]*)
    | (?P<string>'''(?:'{{0,2}}(?:[^'\\]|{_ESCAPE}))*'''
               | \"\"\"(?:"{{0,2}}(?:[^"\\]|{_ESCAPE}))*\"\"\"
               | '(?:[^'\\\n\r]|{_ESCAPE})*'
               | "(?:[^"\\\n\r]|{_ESCAPE})*")
    | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
    | (?P<variable>[?$][{_VARIABLE_CHARS}]+)
    | (?P<word>[{_CHARS}](?:[{_CHARS}.:%]|{_LOCAL_ESCAPE})*)
    | (?P<other>.)
"""


@cache
def _tokens() -> re.Pattern[str]:
    """The check's lexer, compiled when first used (6 ms most commands never spend)."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)


_FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]")


def check_variable_name(name: str) -> None:
    """Refuse a parameter name that is not a plain SPARQL variable name (it is written into
    query text as ``?name`` over the SPARQL protocol).

    >>> check_variable_name("x } ; DROP ALL")
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: parameter 'x } ; DROP ALL' is not a valid SPARQL variable name
    """
    if not _VARIABLE_NAME.fullmatch(name):
        raise QueryError(f"parameter {name!r} is not a valid SPARQL variable name")


@dataclass(frozen=True)
class QueryShape:
    """What a checked query is: its form, the variables it mentions and those a SELECT returns
    (``None``: all of them, or not a SELECT)."""

    form: str
    variables: frozenset[str]
    selected: frozenset[str] | None


def check_read_only(query: str, allow: Iterable[str] = ()) -> QueryShape:
    """Raise :class:`QueryError` unless ``query`` is one query or update ``allow`` permits."""
    allowed = frozenset(allow)
    unknown = allowed - CAPABILITIES.keys()
    if unknown:
        raise QueryError(
            f"cannot allow {', '.join(sorted(unknown))}; choose from {', '.join(CAPABILITIES)}"
        )
    if len(query) <= _CACHED_LENGTH:
        return _cached_check(query, allowed)
    return _check(query, allowed)


@lru_cache(maxsize=256)
def _cached_check(query: str, allowed: frozenset[str]) -> QueryShape:
    return _check(query, allowed)


def code_tokens(query: str) -> Iterator[tuple[int, int]]:
    """The spans of ``query`` that are code (not strings, IRIs or comments) as the check reads
    them; for a text the check has passed, where binding writes its VALUES blocks.

    >>> [span for span in code_tokens("ASK { <x:a> ?p 'b' }")][:3]
    [(0, 3), (3, 4), (4, 5)]
    """
    for token in _tokens().finditer(query):
        if token.lastgroup not in ("string", "iri", "comment"):
            yield token.span()


def _check(query: str, allowed: frozenset[str]) -> QueryShape:
    if not query.strip():
        raise QueryError("the query is empty")
    bad = _FORBIDDEN_CHARACTERS.search(query)
    if bad:
        raise QueryError(
            f"SPARQL syntax error at {_position(query, bad.start())}: control character "
            f"U+{ord(bad.group()):04X} (write it as an escape inside a string)"
        )
    used: set[str] = set()
    variables: set[str] = set()
    code: list[tuple[str, str]] = []  # (kind, text) of the tokens the engine reads as code
    chained, last, before = 0, ("", ""), ("", "")
    for kind, text, depth in _every_reading(query):
        if depth > MAX_DEPTH:
            raise _too_deep()
        if kind == "word":
            used.update(_capabilities(text))
        elif kind == "other" and text == "\\":
            raise QueryError("SPARQL syntax error: a backslash outside a string")
        chained += _chaining(kind, text, last, before)
        if chained > MAX_CHAIN:  # at once: the readings left need not be produced
            raise _too_chained()
        last, before = (kind, text), last
    for kind, text, start in _lexed(query):
        if kind in ("space", "comment", "string", "iri"):
            continue
        if kind == "other" and text in "\"'\\":
            what = "a backslash outside a string" if text == "\\" else "an unterminated string"
            raise QueryError(f"SPARQL syntax error at {_position(query, start)}: {what}")
        if kind == "variable":
            variables.add(text[1:])
        elif kind == "word":
            used.update(_capabilities(text))
        code.append((kind, text))
    if any(_extension_iri(text) for kind, text, _ in _lexed(query) if kind == "iri"):
        used.add("extensions")
    form = _form(code)
    if form == "UPDATE":
        used.add("update")
    for capability in CAPABILITIES:
        if capability in used and capability not in allowed:
            raise QueryError(f'{CAPABILITIES[capability]} (allow "{capability}" to run it)')
    return QueryShape(form, frozenset(variables), _selected(code) if form == "SELECT" else None)


def _every_reading(query: str) -> Iterator[tuple[str, str, int]]:
    """The code tokens of every lexical reading of ``query`` the engine might take, each with
    the depth of brackets it leaves its reading at, so that a keyword counts if any reading
    has it as code, whatever the grammar makes of the text.

    Two tokens have two readings. A ``<…>`` that could be an IRI is read as one, and also as
    the less-than operator followed by code (:func:`_as_code`). A comment ends at any line
    break, and also only at ``\n`` or ``\r`` (the engine's end of line). A position is read once
    for each depth a reading reaches it at; the readings of a query rejoin at once. What a
    position holds is lexed once, however many readings reach it, and the readings together
    may reach at most :func:`_reading_budget` positions and tokens: the cost stays linear in
    the length of the text, and a text read more than a few ways over is refused as soon as
    that is known."""
    todo, seen = [(0, 0)], set[tuple[int, int]]()
    reader = _Reader(query)
    budget = _reading_budget(query)
    while todo:
        position, depth = todo.pop()
        if position >= reader.end or (position, depth) in seen:
            continue
        seen.add((position, depth))
        budget -= 1
        if budget < 0:
            raise _too_many_readings()
        kind, end, text = reader.token(position)
        if kind == "iri":
            todo.append((end, depth))
            inside, going_on = reader.as_code(position + 1, end)
            budget -= len(inside)
            if budget < 0:
                raise _too_many_readings()
            for inner_kind, inner_text in inside:
                depth = _deeper(depth, inner_kind, inner_text)
                yield inner_kind, inner_text, depth
            todo += [(next_position, depth) for next_position in going_on]
        elif kind == "comment":
            todo += [(end, depth), (reader.engine_line_end(position), depth)]
        else:
            if kind not in ("space", "string"):
                budget -= 1
                depth = _deeper(depth, kind, text)
                yield kind, text, depth
            todo.append((end, depth))


def _reading_budget(query: str) -> int:
    """How many positions and code tokens the readings of ``query`` may reach together: a few
    times its length (a plain query takes at most about twice)."""
    return 4 * len(query) + 64


def _too_many_readings() -> QueryError:
    return QueryError("the query can be read in too many ways; write it plainly")


class _Reader:
    """The tokens of a text by position, each lexed once whatever reads it; a comment's end
    and the engine's end of line found by bisection, not by reading on, so that a comment
    inside every one of many ``<…>`` costs no more than one."""

    def __init__(self, query: str) -> None:
        self.query, self.end = query, len(query)
        self._tokens: dict[int, tuple[str, int, str]] = {}
        self._inside: dict[int, tuple[list[tuple[str, str]], list[int]]] = {}
        self._breaks: dict[str, array[int]] = {}

    def token(self, position: int) -> tuple[str, int, str]:
        """The kind, end and text of the token at ``position`` (a comment's text is left out:
        nothing reads it)."""
        known = self._tokens.get(position)
        if known is None:
            if self.query.startswith("#", position):
                known = ("comment", self._next_break(_LINE_BREAKS, position), "")
            else:
                token = _tokens().match(self.query, position)
                assert token is not None  # the last alternative matches any character
                known = (token.lastgroup or "other", token.end(), token.group())
            self._tokens[position] = known
        return known

    def engine_line_end(self, position: int) -> int:
        """Where the engine ends a comment that starts at ``position``."""
        return self._next_break("\n\r", position)

    def _next_break(self, characters: str, position: int) -> int:
        breaks = self._breaks.get(characters)
        if breaks is None:
            found = re.finditer(f"[{characters}]", self.query)
            breaks = self._breaks[characters] = array("q", (m.start() for m in found))
        index = bisect.bisect_left(breaks, position)
        return breaks[index] if index < len(breaks) else self.end

    def as_code(self, start: int, end: int) -> tuple[list[tuple[str, str]], list[int]]:
        """:func:`_as_code`, read once for each ``<…>``."""
        known = self._inside.get(start)
        if known is None:
            known = self._inside[start] = _as_code(self, start, end)
        return known


def _deeper(depth: int, kind: str, text: str) -> int:
    """The depth of brackets after a token."""
    if kind == "other" and text in "({[":
        return depth + 1
    if kind == "other" and text in ")}]":
        return max(0, depth - 1)
    return depth


def _as_code(reader: _Reader, start: int, end: int) -> tuple[list[tuple[str, str]], list[int]]:
    """Read the inside of a ``<…>`` (``start`` just after ``<``, ``end`` just after ``>``) as
    code: the tokens that count, and where reading goes on. If the ``>`` closes it as an
    operator, nothing inside counts but its operators: an IRI holds no space, brace or ``<``,
    so no clause fits there. If a comment or a string opened inside runs on past the ``>``, a
    clause may begin inside and go on after it, so everything inside counts."""
    inside: list[tuple[str, str]] = []
    position = start
    while position < end:
        kind, stop, text = reader.token(position)
        # the ">" is part of a comment (which the engine ends only at a line feed) or string
        if kind == "comment" or (stop >= end and position < end - 1):
            going_on = [stop, reader.engine_line_end(position)] if kind == "comment" else [stop]
            return inside, going_on
        if kind not in ("space", "comment", "string"):
            inside.append((kind, text))
        position = stop
    operators = [("other", text) for _, text in inside if text in _CHAINING or text in "()"]
    return (operators if "//" not in reader.query[start:end] else []), [end]


#: How deep brackets may nest, and how many operators, bindings, sub-selects and VALUES blocks
#: a query may chain: the engine parses and plans recursively, and a query beyond a few thousand
#: of them overflows its stack and ends the process. No query a person writes comes near them.
MAX_DEPTH = 128
MAX_CHAIN = 1500
#: Triple patterns, object and predicate lists, FILTERs and groups in a row (the engine nests
#: one node for each, too; it overflows its stack at about 10,000).
MAX_PATTERNS = 4000
_GROUP_WORDS = frozenset({"FILTER", "GRAPH", "EXISTS", "LATERAL", "SERVICE", "BIND"})
_CHAINING = frozenset("&|+*/!=<>^")
_CHAINING_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "AS", "SELECT", "VALUES", "DESCRIBE"})
_OPERAND_WORDS = frozenset({"TRUE", "FALSE"})
_LANGUAGE_TAG = re.compile(r"[A-Z]+(?:-[A-Z0-9]+)*(?:--[A-Z]+)?")
_NUMBER = re.compile(r"^[+-]?[0-9]*\.?[0-9]*(?:E[+-]?[0-9]+)?")


def _lexed(query: str) -> Iterator[tuple[str, str, int]]:
    """The query's tokens (kind, text, offset) as the engine reads them.

    A ``<`` that opens an IRI token is read as the less-than operator where the engine reads it
    so: inside an expression (brackets opened by FILTER, BIND, a function call, a projection or
    a solution modifier), right after an operand. Read as an IRI there, ``1<'>'`` would hide
    what follows from the check while the engine runs it. Refuses nesting deeper than
    :data:`MAX_DEPTH`, more than :data:`MAX_CHAIN` chained operators and more than
    :data:`MAX_PATTERNS` patterns in a row."""
    # "{", "select" (a sub-select's braces), "values" (a VALUES block), "[", "list" (a
    # collection, path or triple term), "row" (of a VALUES block) or "expr"
    stack: list[str] = []
    last: tuple[str, str] = ("", "")  # the previous token that is not space or a comment
    before: tuple[str, str] = ("", "")  # and the one before it
    chained, patterns, describing, values = 0, 0, False, False
    position, end, tokens = 0, len(query), _tokens()
    while position < end:
        token = tokens.match(query, position)
        assert token is not None  # the last alternative matches any character
        kind, text = token.lastgroup or "other", token.group()
        if kind == "iri" and stack and stack[-1] == "expr" and _operand(last, before):
            kind, text = "other", "<"
        start, position = position, position + len(text)
        yield kind, text, start
        if kind in ("space", "comment"):
            continue
        if kind == "word" and text.upper() == "SELECT" and stack and stack[-1] == "{":
            stack[-1] = "select"  # a sub-select: its projection and modifiers hold expressions
        if kind == "word" and text.upper() == "VALUES":
            values = True
        if kind == "other" and text in "({[":
            if text == "{" and values:
                kind_of, values = "values", False  # its rows are flat, not collections
            elif text == "{":
                kind_of = "{"
            else:
                kind_of = "[" if text == "[" else _paren(stack, last, before)
            stack.append(kind_of)
            if len(stack) > MAX_DEPTH:
                raise _too_deep(f" at {_position(query, start)}")
        elif kind == "other" and text in ")}]" and stack:
            stack.pop()
        if kind == "word" and text.upper() == "DESCRIBE" and not stack:
            describing = True
        elif describing and (stack or (kind == "word" and text.upper() == "WHERE")):
            describing = False
        in_a_group = not stack or stack[-1] in ("{", "[", "select")
        separates = kind == "other" and text in ".;,"
        if stack and stack[-1] == "list" and kind in ("word", "iri", "variable", "string"):
            in_a_group = separates = True  # a collection's items nest like a list of patterns
        if in_a_group and (separates or (kind == "word" and text.upper() in _GROUP_WORDS)):
            patterns += 1
            if patterns > MAX_PATTERNS:
                raise QueryError(
                    f"the query has more than {MAX_PATTERNS} patterns, filters and groups "
                    f"in a row (at {_position(query, start)}); use VALUES for long lists"
                )
        weight = _chaining(kind, text, last, before)
        if describing:
            weight += 1  # each term DESCRIBE names is a node of its own
        if weight:
            chained += weight
            if chained > MAX_CHAIN:
                raise _too_chained(f" (at {_position(query, start)})")
        last, before = (kind, text), last


def _too_deep(where: str = "") -> QueryError:
    return QueryError(
        f"the query nests brackets more than {MAX_DEPTH} levels deep{where}; write it flatter"
    )


def _too_chained(where: str = "") -> QueryError:
    return QueryError(
        f"the query chains more than {MAX_CHAIN} operators, bindings and groups{where}; use "
        "VALUES or IN for long lists of values"
    )


def _chaining(kind: str, text: str, last: tuple[str, str], before: tuple[str, str]) -> int:
    """How many nodes a token adds to a chain the engine nests: operator characters (not a
    literal's ``^^``), UNION, OPTIONAL, MINUS, each binding (``AS``), sub-select and VALUES
    block, and the minus signs of ``1-1-1`` (not of a prefixed name or a language tag)."""
    if kind == "other":
        datatype = last[0] == "string" or (last == ("other", "^") and before[0] == "string")
        return int(text in _CHAINING and not (text == "^" and datatype))
    if kind != "word":
        return 0
    upper = text.upper()
    if upper in _CHAINING_WORDS:
        return 1
    if last == ("other", "@"):  # a language tag: what follows a well-formed one is code
        tag = _LANGUAGE_TAG.match(upper)
        return upper[tag.end() if tag else 0 :].count("-")
    if text[0] in "0123456789+-.":  # a number: what is glued to it is code (1-1-1, 1AS)
        rest = _NUMBER.sub("", upper)
        return upper.count("-") + any(word in rest for word in _CHAINING_WORDS)
    head, colon, local = text.partition(":")
    if colon and _prefixed_name(head, local):  # its minus signs are part of the name
        return 0
    return text.count("-")


def _paren(stack: list[str], last: tuple[str, str], before: tuple[str, str]) -> str:
    """What a ``(`` opens: an expression, or a list (a collection, a property path, a triple
    term, VALUES variables or a row of values), where ``<`` is never an operator."""
    if stack and stack[-1] == "expr":
        return "expr"
    if stack and stack[-1] == "values":
        return "row"
    if last == ("other", "<") and before == ("other", "<"):
        return "list"  # <<( … )>>, a triple term
    previous = last[1].upper() if last[0] == "word" else ""
    if not stack or stack[-1] == "select":  # a (sub-)select's projection or modifiers
        return "list" if previous == "VALUES" else "expr"
    if previous in ("FILTER", "BIND"):
        return "expr"
    if last[0] in ("word", "iri") and before[0] == "word" and before[1].upper() == "FILTER":
        return "expr"  # FILTER regex( … ), FILTER <function>( … )
    return "list"


def _operand(last: tuple[str, str], before: tuple[str, str]) -> bool:
    """Whether the token ``last`` ends an operand, after which ``<`` is an operator."""
    kind, text = last
    if kind in ("variable", "string", "iri"):
        return True
    if kind == "other":  # a bracketed expression, or a triple term's ")>>"
        return text == ")" or (text == ">" and before == ("other", ">"))
    if kind != "word":
        return False
    return (
        ":" in text  # a prefixed name
        or (text[0] in "0123456789+-." and any(c.isdigit() for c in text))  # a number
        or text.upper() in _OPERAND_WORDS
        or before == ("other", "@")  # a language tag
    )


def _capabilities(word: str) -> set[str]:
    """What a word of code could ask for: keywords anywhere in it, except in the local part of
    a prefixed name (``ag:recruitsFrom``), where they count after a dot or percent sign or when
    the local part starts as none can (``ex:-1SERVICE``). A word that is no prefixed name to
    the engine (``_:b:-1SERVICE`` is a blank node, ``:``, ``-1`` and ``SERVICE``; ``1.x:y``
    starts with a number) counts whole."""
    head, colon, local = word.partition(":")
    if colon and _prefixed_name(head, local):
        pieces = [head, *re.split(r"[.%]", local)[1:]]
    else:
        pieces = [word]
    found = set()
    if colon and head.lower() in _EXTENSION_SCHEMES:
        found.add("extensions")
    for piece in pieces:
        upper = piece.upper()
        for keyword, capability in _KEYWORDS.items():
            if keyword in upper:
                found.add(capability)
        if (piece is word or piece is head) and any(w in upper for w in _UPDATE_WORDS):
            found.add("update")  # glued ones too: the engine takes DROPALL, DROPGRAPH:a
    return found


def _extension_iri(iri: str) -> bool:
    """Whether an IRI token (``<bif:http_get>``, escapes decoded as the engine reads them) is
    of the scheme of a store's built-in functions."""
    text = re.sub(
        r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
        lambda m: chr(int(m[1] or m[2], 16)),
        iri[1:-1],
    )
    scheme = text.strip().partition(":")[0]
    return ":" in text and scheme.lower() in _EXTENSION_SCHEMES


@cache
def _pn_prefix() -> re.Pattern[str]:
    """A prefix's name (PN_PREFIX), compiled when first used."""
    return re.compile(rf"(?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?")


def _prefixed_name(prefix: str, local: str) -> bool:
    """Whether the engine reads ``prefix:local`` as one prefixed name (no blank node, no
    number before it, no local part it cannot start)."""
    return bool(_pn_prefix().fullmatch(prefix)) and local[:1] not in ("-", ".")


def _form(code: list[tuple[str, str]]) -> str:
    previous = ""
    for kind, text in code:
        tag, previous = previous == "@", text
        if kind != "word" or ":" in text or tag:  # a prefixed name, a language tag
            continue
        upper = text.upper()
        if upper in _QUERY_FORMS:
            return upper
        if any(word in upper for word in _UPDATE_WORDS):  # DROPALL is DROP ALL to the engine
            return "UPDATE"
    raise QueryError(
        "SPARQL syntax error: not a query (SELECT, CONSTRUCT, ASK, DESCRIBE) or an update"
    )


def _selected(code: list[tuple[str, str]]) -> frozenset[str] | None:
    """The variables a SELECT projects (``None`` for ``SELECT *``)."""
    start = next(i for i, (kind, text) in enumerate(code) if text.upper() == "SELECT")
    selected: set[str] = set()
    depth = 0
    previous = ""
    for kind, text in code[start + 1 :]:
        upper = text.upper()
        if depth == 0 and (text == "{" or upper in ("WHERE", "FROM")):
            break
        if text == "*" and depth == 0:
            return None
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif kind == "variable" and (depth == 0 or previous == "AS"):
            selected.add(text[1:])
        previous = upper
    return frozenset(selected)


def syntax_error_message(error: SyntaxError, query: str | None = None) -> str:
    """The engine's syntax error as one line, in the words the check uses; a prefix that is
    not declared is named (from ``query``, the text that failed), not listed as the
    characters a name may hold.

    >>> syntax_error_message(SyntaxError("error at 1:25: expected one of LATERAL, [_]"))
    'SPARQL syntax error at line 1, column 25: expected one of LATERAL, [_]'
    >>> syntax_error_message(SyntaxError("error at 1:18: expected one of Prefix not found, "
    ...                      "['%'], [':']"), "ASK { ?s dc:title ?t }")[42:89]
    "the prefix 'dc:' is not declared: add PREFIX dc"
    """
    text = " ".join(str(error).split())
    found = re.match(r"error at (\d+):(\d+): (.*)", text)
    if not found:
        return f"SPARQL syntax error: {text}"
    line, column, detail = found.groups()
    if "Prefix not found" in detail:
        detail = _undeclared_prefix(query, int(line), int(column))
    elif unknown := _unknown_function(query, int(line), int(column)):
        detail = f"{unknown} (the engine: {detail})"
    ranges = re.sub(r"\[[^\[\]]*\.\.=[^\[\]]*\]", "\x00", detail)  # the character classes
    if ranges != detail:
        detail = re.sub(r"\x00(?:, \x00)*", "a character of a name", ranges)
    return f"SPARQL syntax error at line {line}, column {column}: {detail}"


#: The names SPARQL 1.1 (and Oxigraph's RDF 1.2 additions) call with brackets: built-in
#: functions, aggregates and the keywords a bracket follows.
_CALLED = frozenset({
    "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE", "RAND", "ABS",
    "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE", "ENCODE_FOR_URI", "CONTAINS",
    "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES",
    "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID", "MD5", "SHA1", "SHA256", "SHA384",
    "SHA512", "COALESCE", "IF", "STRLANG", "STRDT", "SAMETERM", "ISIRI", "ISURI", "ISBLANK",
    "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR", "REPLACE", "EXISTS", "COUNT", "SUM", "MIN",
    "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "FILTER", "BIND", "IN", "AS", "ASC", "DESC", "HAVING",
    "BY", "SELECT", "WHERE", "TRIPLE", "SUBJECT", "PREDICATE", "OBJECT", "ISTRIPLE", "LANGDIR",
    "HASLANG", "HASLANGDIR", "STRLANGDIR", "VALUES", "OPTIONAL", "UNION", "MINUS", "GRAPH",
    "SERVICE", "NOT", "DISTINCT", "REDUCED", "ORDER", "GROUP", "LIMIT", "OFFSET",
})  # fmt: skip


def _unknown_function(query: str | None, line: int, column: int) -> str | None:
    """What an engine's syntax error most likely is when a bracket follows a name SPARQL does
    not call (``CONTAIN(?o, "x")``): that name, with the one it likely means."""
    from .vocabulary import closest

    lines = (query or "").splitlines()
    if not 0 < line <= len(lines):
        return None
    before = "\n".join([*lines[: line - 1], lines[line - 1][: column - 1]])
    before = re.sub(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*", " ", before)
    called = re.findall(r"(?<![\w:?$<])([A-Za-z_][A-Za-z0-9_]*)\s*\(", before)
    unknown = [name for name in called if name.upper() not in _CALLED]
    if not unknown:
        return None
    name = unknown[-1]
    close = closest(name.upper(), _CALLED)
    hint = f" (did you mean {close}?)" if close else ""
    return f"{name} is not a SPARQL function{hint}"


def _undeclared_prefix(query: str | None, line: int, column: int) -> str:
    from .namespaces import PREFIXES

    declared = ", ".join(sorted(PREFIXES))
    lines = (query or "").splitlines()
    before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    name = re.search(r"([^\s{}()<>;,.\[\]/|^*+?!=\"']*):[^\s:]*$", before)
    if name is None:
        return f"a prefix here is not declared: add PREFIX name: <…> (declared for you: {declared})"
    prefix = name.group(1)
    return (
        f"the prefix {prefix + ':'!r} is not declared: add PREFIX {prefix}: <…> "
        f"(declared for you: {declared})"
    )


@contextlib.contextmanager
def engine_errors(action: str = "query", text: str | None = None) -> Iterator[None]:
    """Raise the engine's errors from inside the block as one-line :class:`QueryError`:
    syntax errors as :func:`syntax_error_message` words them, the others as "ACTION failed: …".

    >>> with engine_errors():
    ...     raise ValueError("unknown function\\nat line 2")
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: query failed: unknown function
    """
    try:
        yield
    except SyntaxError as error:
        raise QueryError(syntax_error_message(error, text)) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"{action} failed: {str(error).splitlines()[0]}") from None


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"
