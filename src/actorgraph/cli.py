"""The ``actorgraph`` command: a thin twin of the :class:`~actorgraph.ActorGraph` API.

Each command wraps one API call; ``--graph`` and ``--format`` are defined once and shared.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
import shutil
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import click

from .bundled import BUNDLED
from .errors import ActorGraphError, Interrupted, inert
from .export import ExportFormat
from .graph import ActorGraph
from .output import OutputFormat, present
from .queries import PARAMETER_TYPES
from .results import Rows, Value
from .safety import CAPABILITIES
from .validate import Report

__all__ = ["cli", "main"]


def _refuse_repeats(command: click.Command, ctx: click.Context, args: list[str]) -> None:
    """A usage error naming an option that takes one value and is given more than once: click
    would keep the last value silently (``--subject A --subject B`` reading as ``B`` only).

    >>> @click.command(cls=_Command)
    ... @click.option("--as-of")
    ... def show(as_of: str) -> None: ...
    >>> show(["--as-of", "2019", "--as-of", "2021"], standalone_mode=False)
    Traceback (most recent call last):
    ...
    click.exceptions.UsageError: --as-of is given twice: it takes one value
    """
    if ctx.resilient_parsing:
        return
    seen: set[str | None] = set()
    for param in command.make_parser(ctx).parse_args(args=list(args))[2]:
        single = isinstance(param, click.Option) and not (
            param.multiple or param.is_flag or param.count
        )
        if single and param.name in seen:
            name = max(param.opts, key=len)
            raise click.UsageError(f"{name} is given twice: it takes one value", ctx)
        seen.add(param.name)


class _Command(click.Command):
    """A command that refuses a single-valued option given twice (see :func:`_refuse_repeats`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _refuse_repeats(self, ctx, args)
        return super().parse_args(ctx, args)


class _Group(click.Group):
    """Turns every :class:`ActorGraphError` into a one-line message and exit status 1, and
    takes the global options after the command too (``validate --graph my/``). A
    single-valued option given twice is a usage error, here and in every command."""

    command_class = _Command

    #: Former command names, still accepted: they named what the API calls otherwise.
    renamed: ClassVar[dict[str, str]] = {"path": "paths", "diff": "changes"}

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = self._hoist_globals(args)
        _refuse_repeats(self, ctx, args)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.renamed:
            new = self.renamed[cmd_name]
            click.echo(f"note: '{cmd_name}' is now called '{new}' (as in the API)", err=True)
            cmd_name = new
        return super().get_command(ctx, cmd_name)

    def _hoist_globals(self, args: list[str]) -> list[str]:
        """Move global options given after the command name before it."""
        takes_value = {
            name: not param.is_flag
            for param in self.params
            if isinstance(param, click.Option)
            for name in param.opts
        }
        i = 0
        while i < len(args) and args[i].startswith("-") and args[i] != "--":
            i += 2 if takes_value.get(args[i]) else 1
        name = self.renamed.get(args[i], args[i]) if i < len(args) else None
        command = self.commands.get(name) if name else None
        if command is None:
            return args
        own = {name for param in command.params for name in getattr(param, "opts", ())}
        before, after, j = args[: i + 1], [], i + 1
        while j < len(args):
            arg = args[j]
            if arg == "--":
                after.extend(args[j:])
                break
            name = arg.split("=", 1)[0]
            if name in takes_value and name not in own and name not in ("-h", "--help"):
                width = 2 if takes_value[name] and "=" not in arg else 1
                before[i:i] = args[j : j + width]
                i += width
                j += width
                continue
            after.append(arg)
            j += 1
        return before + after

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Interrupted as error:  # Ctrl-C, and what it stopped
            click.echo(f"Error: {error}", err=True)
            ctx.exit(_INTERRUPTED)
        except ActorGraphError as error:
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(_INTERRUPTED)


#: The exit status after Ctrl-C in every command (128 + SIGINT, as shells report it).
_INTERRUPTED = 130


_VALIDATION_STEPS = 4  # validate.STEPS, without importing the validator for every command


@contextlib.contextmanager
def _progress(label: str, steps: int) -> Iterator[Callable[[str], None] | None]:
    """A progress bar on stderr, when stderr is a terminal (click's own bar); the callback
    moves it one step and names the step under way."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(
        length=steps, label=label, file=sys.stderr, item_show_func=lambda step: step
    ) as bar:
        started = False

        def advance(step: str) -> None:
            nonlocal started
            bar.update(1 if started else 0, step)
            started = True

        yield advance
        bar.update(steps - bar.pos, "done")


@contextlib.contextmanager
def _steps_progress(
    label: str, steps: Sequence[str], delay: float = 1.0
) -> Iterator[Callable[[str], None] | None]:
    """A progress bar on stderr, when stderr is a terminal, for work that takes more than
    ``delay`` seconds: it appears then, at the step under way (a timer shows it while a long
    step such as parsing runs). The callback names the step starting, one of ``steps``."""
    if not sys.stderr.isatty():
        yield None
        return
    lock = threading.Lock()
    current: list[str] = []
    shown: list[Any] = []
    finished = False

    def show() -> None:
        with lock:
            if finished or shown:
                return
            bar = click.progressbar(
                length=len(steps), label=label, file=sys.stderr, item_show_func=lambda s: s
            )
            bar.__enter__()
            shown.append(bar)
            if current:
                bar.update(steps.index(current[-1]), current[-1])

    def advance(step: str) -> None:
        with lock:
            current.append(step)
            if shown:
                shown[0].update(max(0, steps.index(step) - shown[0].pos), step)

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield advance
    finally:
        timer.cancel()
        with lock:
            finished = True
            if shown:
                shown[0].update(len(steps) - shown[0].pos, "done")
                shown[0].__exit__(None, None, None)


def _format_option(command: Callable[..., Any], *, limit: bool = True) -> Callable[..., Any]:
    """``--format`` with the options that shape any result: ``--columns``, ``--wide`` and
    (unless the command counts something else) ``--limit``; kept in ``ctx.meta`` for
    :func:`_emit`."""
    options = [
        click.option(
            "--format",
            "output_format",
            type=click.Choice([f.value for f in OutputFormat]),
            default=OutputFormat.TABLE.value,
            show_default=True,
            help="Output as an aligned table, CSV, JSON (a list of objects keyed by variable), "
            "JSON Lines (one object per line) or a SPARQL results format.",
        ),
        click.option(
            "--columns",
            "-c",
            multiple=True,
            metavar="NAMES",
            expose_value=False,
            callback=_keep("columns", lambda v: [n for text in v for n in text.split(",") if n]),
            help="Only these columns, in this order (comma-separated or repeated), in every "
            "format.",
        ),
        click.option(
            "--wide",
            is_flag=True,
            expose_value=False,
            callback=_keep("wide"),
            help="Every column at full width (a table on a terminal otherwise shows the chosen "
            "columns and cuts long cells to fit).",
        ),
    ]
    if limit:
        options.append(
            click.option(
                "--limit",
                type=click.IntRange(min=0),
                expose_value=False,
                callback=_keep("limit"),
                help="At most this many rows.",
            )
        )
    for option in reversed(options):
        command = option(command)
    return command


def _keep(name: str, convert: Callable[[Any], Any] = lambda v: v) -> Callable[..., Any]:
    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        ctx.meta[name] = convert(value)
        return value

    return keep


def _terminal_width() -> int | None:
    """The terminal's width when the output goes to one (a pipe or file gets the full table)."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _presentation() -> dict[str, Any]:
    """``--columns``, ``--limit`` and the table's width, as :func:`output.present` takes them."""
    meta = click.get_current_context().meta
    wide = meta.get("wide", False)
    return {
        "columns": meta.get("columns", []),
        "limit": meta.get("limit"),
        "width": None if wide else _terminal_width(),
    }


def _param_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--param",
        "-p",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="Bind a query parameter; repeat for several.",
    )(command)


_timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop the query after this long (it runs in a process of its own; Ctrl-C stops it too).",
)


def _echo_limited(
    ctx: click.Context, kind: str, payload: dict[str, Any], output_format: str, timeout: float
) -> None:
    from .limits import run_limited

    remote = ctx.obj["remote"]
    source: dict[str, Any] = (
        {"remote": remote} if remote["url"] else {"paths": [str(p) for p in ctx.obj["graph"]]}
    )
    payload = {**payload, "present": _presentation()}
    _write(run_limited(source, kind, payload, output_format, timeout))


def _interruptible(work: Callable[[], Rows]) -> Rows:
    """Ctrl-C stops the standalone command at once, even in the middle of a query."""
    if not _STANDALONE["sandbox"]:
        return work()
    from .limits import interruptible

    return interruptible(work)


class _DateType(click.ParamType[str]):
    """A year, month or day (``2019``, ``2019-05``, ``2019-05-01``), checked where it is typed so
    that an error names the option or argument (``--as-of``), not the API's keyword."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from .errors import QueryError
        from .queries import make_literal

        try:
            make_literal("date", "date", str(value))
        except QueryError as error:
            self.fail(f"{value!r}: {str(error).split(': ', 1)[-1]}", param, ctx)
        return str(value)


_DATE = _DateType()


class _ClearableDateType(_DateType):
    """A date, or ``none`` to leave the period's end or start out (a wrong one proposed)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if str(value).strip().casefold() == "none":
            return "none"
        return super().convert(value, param, ctx)


_CLEARABLE_DATE = _ClearableDateType()


_parts_option = click.option(
    "--parts/--no-parts",
    default=True,
    show_default=True,
    help="Actor parameters include the actor's organs (a state's government and military).",
)


def _emit(rows: Rows, output_format: str) -> None:
    if rows.form == "UPDATE":
        click.echo("ok: update applied to this run's copy of the graph", err=True)
        return
    _write(present(rows, OutputFormat(output_format), **_presentation()))


def _write(text: str) -> None:
    """Print a result; a reader that stops early (``| head``) ends the command quietly. On a
    terminal, the data's control characters are shown escaped (:func:`~actorgraph.errors.inert`):
    a label must not drive the terminal; a pipe or file gets the data as it is."""
    if sys.stdout.isatty():
        text = inert(text)
    try:
        click.echo(text, nl=False, color=True)  # color: click would strip escapes from data
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        raise SystemExit(0) from None


def _graph(ctx: click.Context, index: bool | None = None, announce: bool = True) -> ActorGraph:
    """The graph the global options name; ``index`` overrides ``--index/--no-index``. Using or
    building an index is said on stderr (unless not ``announce``), a bar shows slow loading."""
    from .loading import STEPS

    remote = ctx.obj["remote"]
    if remote["url"]:
        return ActorGraph.connect(**remote)
    paths: tuple[Path, ...] = ctx.obj["graph"]
    chosen = ctx.obj["index"] if index is None else index
    with _steps_progress("loading", STEPS) as progress:
        kg = ActorGraph.load(*paths, index=chosen, progress=progress)
    if kg.index is not None and announce:
        click.echo(kg.index.describe(), err=True)
    return kg


_STANDALONE = {"sandbox": False}  # set by main(): the process is this command and nothing else


def _sandbox(ctx: click.Context, allow: tuple[str, ...] = ()) -> None:
    """Take the network away before users' SPARQL runs on a local graph (not when embedded in
    another program, which keeps its network, nor when SERVICE or LOAD was allowed)."""
    local = not ctx.obj["remote"]["url"]
    if _STANDALONE["sandbox"] and local and not {"service", "load"} & set(allow):
        from .sandbox import deny_network

        deny_network()


def _summary(report: Report) -> str:
    counts = report.counts
    return (
        f"ok: {counts['statements']} statements, {counts['quotes']} quotes checked "
        f"against {counts['sources']} source text(s)"
    )


def _split_params(items: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for text in items:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {text!r}", param_hint="--param")
        if name in params:
            raise click.BadParameter(f"{name!r} is given twice", param_hint="--param")
        params[name] = value
    return params


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--graph",
    "-g",
    "graph",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Turtle file or folder to load instead of the bundled graph; repeat for several. "
    "@bundled names the bundled graph (-g @bundled -g my-graph: both).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Use the graph in this SPARQL 1.1 query endpoint instead of local files.",
)
@click.option(
    "--update-endpoint", metavar="URL", help="The endpoint's SPARQL Update URL (for push)."
)
@click.option("--user", help="User name for the endpoint.")
@click.option(
    "--password", envvar="ACTORGRAPH_PASSWORD", help="Password (or set ACTORGRAPH_PASSWORD)."
)
@click.option("--default-graph", metavar="IRI", help="The endpoint's graph to use (e.g. Virtuoso).")
@click.option(
    "--remote-timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Time a request to the endpoint may take in all (answer read in whole).",
)
@click.option(
    "--max-response",
    metavar="BYTES",
    type=click.IntRange(min=1),
    default=100_000_000,
    show_default=True,
    help="Largest answer accepted from the endpoint, in bytes.",
)
@click.option(
    "--index/--no-index",
    "use_index",
    default=None,
    help="Build the graph's index if missing (--index) or read the Turtle files (--no-index); "
    "by default a graph of 8 MB or more uses the index built with `actorgraph index`, rebuilt "
    "when a file changed, and a smaller one is read from its files.",
)
@click.version_option(package_name="actorgraph")
@click.pass_context
def cli(
    ctx: click.Context,
    graph: tuple[Path, ...],
    use_index: bool | None,
    endpoint: str | None,
    update_endpoint: str | None,
    user: str | None,
    password: str | None,
    default_graph: str | None,
    remote_timeout: float,
    max_response: int,
) -> None:
    """Actor-relationship knowledge graphs where every edge carries its evidence.

    \b
    Example:
        actorgraph statements --subject IS-K --relation recruitsFrom
    """
    if endpoint and graph and ctx.invoked_subcommand != "push":  # push: from --graph to there
        raise click.UsageError("give --graph (local files) or --endpoint (a server), not both")
    auth = (user, password or "") if user else None
    if BUNDLED in map(str, graph):
        from .bundled import graph_dir

        graph = tuple(graph_dir() if str(path) == BUNDLED else path for path in graph)
    ctx.obj = {
        "graph": graph,
        "index": use_index,
        "remote": dict(
            url=endpoint,
            update_url=update_endpoint,
            auth=auth,
            default_graph=default_graph,
            timeout=remote_timeout,
            max_response=max_response,
        ),
    }


_SHOWN_PROBLEMS = 30  # validate lists this many problems unless --all


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="List every problem (default: the first 30).")
@click.pass_context
def validate(ctx: click.Context, show_all: bool) -> None:
    """Check shapes, every quote against its source text, and the direct edges.

    Prints each problem as FILE:LINE: MESSAGE (the first 30, and how many more; --all lists
    them all) and exits with status 1 if there is any.

    \b
    Example:
        actorgraph validate
        actorgraph --graph my-graph/ validate
    """
    kg = _graph(ctx)
    with _progress("validating", _VALIDATION_STEPS) as progress:
        report = kg.validate(progress=progress)
    if not report.ok:
        missing = [
            what
            for what, cls in (("actors", "Actor"), ("sources", "Source"))
            if not kg.sparql(f"ASK {{ ?x a/rdfs:subClassOf* ag:{cls} }}").column("result")[0]
        ]
        if missing and ctx.obj["graph"] and not ctx.obj["remote"]["url"]:
            click.echo(  # first: the one mistake behind the problems below
                f"note: the files loaded hold no {' and no '.join(missing)}; -g loads them instead "
                f"of the bundled graph (add -g {BUNDLED} to check them beside it)",
                err=True,
            )
    shown = report.problems if show_all else report.problems[:_SHOWN_PROBLEMS]
    for problem in shown:
        click.echo(str(problem), err=True)
    if len(shown) < len(report.problems):
        more = len(report.problems) - len(shown)
        click.echo(f"… and {more} more problem(s) (validate --all lists them)", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not report.ok:
        raise click.ClickException(f"{len(report.problems)} problem(s) found")
    click.echo(_summary(report))


@cli.command()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="CLASS",
    help="Only actors of this class, e.g. ArmedGroup; repeatable (any of them).",
)
@click.option("--type", "former_type", metavar="CLASS", hidden=True)
@_format_option
@click.pass_context
def actors(
    ctx: click.Context, kinds: tuple[str, ...], former_type: str | None, output_format: str
) -> None:
    """List every actor with its label, aliases and kind (the named query 'actors').

    \b
    Example:
        actorgraph actors --kind ArmedGroup --format csv
    """
    if former_type is not None:
        click.echo("note: --type is now --kind (as in kg.actors(kind=...))", err=True)
    kg = _graph(ctx)
    rows = kg.query("actors", kind=list(kinds)) if kinds else kg.query("actors", kind=former_type)
    _emit(rows, output_format)


@cli.command()
@click.option(
    "--subject",
    "-s",
    "subjects",
    multiple=True,
    help="Subject actor: id, label or alias; repeatable.",
)
@click.option(
    "--relation",
    "-r",
    "relations",
    multiple=True,
    help="Relation type, e.g. hostileTo; repeatable.",
)
@click.option(
    "--object", "objects", multiple=True, help="Object actor: id, label or alias; repeatable."
)
@click.option(
    "--stance", "stances", multiple=True, help="Asserted, Hedged, Disputed or Denied; repeatable."
)
@click.option(
    "--asserted-by",
    "asserting",
    multiple=True,
    help="The party that asserts the claim; repeatable.",
)
@_parts_option
@click.option(
    "--context",
    "with_context",
    is_flag=True,
    help="Add a column with the whole sentence around each quote.",
)
@_format_option
@click.pass_context
def statements(
    ctx: click.Context,
    subjects: tuple[str, ...],
    relations: tuple[str, ...],
    objects: tuple[str, ...],
    stances: tuple[str, ...],
    asserting: tuple[str, ...],
    parts: bool,
    with_context: bool,
    output_format: str,
) -> None:
    """List statements with stance, asserting party and verbatim quote (the query 'statements').

    Each row also gives the basis (Stated, Inferred, OpenQuestion), the polarity, whom a
    cooperation is directed against and the curator's note. An actor includes its organs (the
    U.S. government and military for "United States") unless --no-parts is given. A filter
    given several times matches any of its values.

    \b
    Example:
        actorgraph statements --subject IS-K --relation recruitsFrom
        actorgraph statements --subject IS-K --subject Taliban --relation targets
        actorgraph statements --stance Disputed --format json
        actorgraph statements --subject "United States" --no-parts --context
    """
    kg = _graph(ctx)
    rows = kg.query(
        "statements",
        parts=parts,
        subject=list(subjects),
        relation=list(relations),
        object=list(objects),
        stance=list(stances),
        assertedBy=list(asserting),
    )
    _emit(kg.with_context(rows) if with_context else rows, output_format)


@cli.command()
@click.argument("query_text", metavar="QUERY", required=False)
@click.option(
    "--file",
    "-f",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from a file ('-' for standard input).",
)
@_param_option
@click.option(
    "--allow",
    multiple=True,
    type=click.Choice(list(CAPABILITIES)),
    help="Let the query do this (refused by default); repeatable.",
)
@_timeout_option
@_format_option
@click.pass_context
def sparql(
    ctx: click.Context,
    query_text: str | None,
    query_file: Any,
    params: tuple[str, ...],
    allow: tuple[str, ...],
    timeout: float | None,
    output_format: str,
) -> None:
    """Run a read-only SPARQL query; common prefixes (ag:, act:, skos: …) are predefined.

    Bind variables with --param NAME=VALUE (a plain literal) or --param NAME:TYPE=VALUE, TYPE
    being actor, relation, class, stance, iri, string, integer or date. Updates, SERVICE, LOAD
    and FROM are refused unless --allow names them (an update changes only this run's copy).

    \b
    Example:
        actorgraph sparql 'SELECT * WHERE { ?a ag:hostileTo ?enemy }' -p a:actor=IS-K
    """
    if query_text is None and query_file is None:
        raise click.UsageError("give a query (as an argument or with --file)")
    if query_text is not None and query_file is not None:
        raise click.UsageError("give the query as an argument or with --file, not both")
    try:
        text = query_text if query_text is not None else query_file.read()
    except UnicodeDecodeError:
        raise click.BadParameter(
            f"{query_file.name}: not valid UTF-8", param_hint="--file"
        ) from None
    typed = {}
    for typed_name, value in _split_params(params).items():
        name, _, kind = typed_name.partition(":")
        kind = kind or "string"
        if kind not in PARAMETER_TYPES:
            raise click.BadParameter(
                f"unknown type {kind!r} for {name!r}; use one of {', '.join(PARAMETER_TYPES)}",
                param_hint="--param",
            )
        typed[name] = (kind, value)
    named = query_file.name if query_file is not None and query_file.name != "<stdin>" else None
    if timeout is not None:
        payload = {"text": text, "allow": list(allow), "params": typed}
        with _naming_the_file(named):
            _echo_limited(ctx, "sparql", payload, output_format, timeout)
        return
    kg = _graph(ctx)
    _sandbox(ctx, allow)
    bindings, notes = kg._typed_bindings(typed)
    for note in notes:
        click.echo(note, err=True)
    with warnings.catch_warnings(record=True) as caught, _naming_the_file(named):
        warnings.simplefilter("always")  # an empty answer's likely slip
        rows = _interruptible(lambda: kg.sparql(text, bindings, allow=allow))
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    _emit(rows, output_format)


@contextlib.contextmanager
def _naming_the_file(name: str | None) -> Iterator[None]:
    """An error in the query's text (its syntax, a refused SERVICE …) names the file the query
    came from (``q.rq:3:1: …``, as Turtle errors name theirs); one about a parameter or the
    time limit does not.

    >>> from actorgraph.errors import QueryError
    >>> with _naming_the_file("q.rq"):
    ...     raise QueryError("SPARQL syntax error at line 3, column 1: expected }")
    Traceback (most recent call last):
    ...
    actorgraph.errors.QueryError: q.rq:3:1: SPARQL syntax error: expected }
    """
    from .errors import QueryError

    about_the_text = ("SPARQL syntax error", "the query ", *CAPABILITIES.values())
    try:
        yield
    except QueryError as error:
        message = str(error)
        if name is None or not message.startswith(about_the_text):
            raise
        at = re.match(r"SPARQL syntax error at line (\d+), column (\d+): (.*)", message)
        if at:
            line, column, detail = at.groups()
            raise QueryError(f"{name}:{line}:{column}: SPARQL syntax error: {detail}") from None
        raise QueryError(f"{name}: {message}") from None


class _QueryCommand(_Command):
    """``query NAME --help`` also prints the named query's own header: what it answers and its
    parameters with their types."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names = [a for a in args if not a.startswith("-")]
        if "--help" in args and names:
            ctx.meta["query name"] = names[0]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        name = ctx.meta.get("query name")
        if not name:
            return
        from .bundled import queries_dir
        from .queries import load_catalogue

        found = load_catalogue(queries_dir()).get(name)
        if found is None:
            formatter.write_paragraph()
            formatter.write_text(f"No named query {name!r}: see `actorgraph queries`.")
            return
        with formatter.section(f"The query {name!r}"):
            formatter.write_text(f"{found.title}. {found.description}")
            formatter.write_paragraph()
            rows = [
                (f"{p.name} ({p.type}, {'required' if p.required else 'optional'})", p.description)
                for p in found.parameters
            ]
            formatter.write_dl(rows or [("(none)", "it takes no parameters")])


@cli.command(cls=_QueryCommand)
@click.argument("name")
@_param_option
@_parts_option
@_timeout_option
@_format_option
@click.pass_context
def query(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    parts: bool,
    timeout: float | None,
    output_format: str,
) -> None:
    """Run the named query NAME; parameters are typed by the query's header.

    \b
    Example:
        actorgraph query statements --param subject=IS-K --param stance=Disputed
    """
    bindings = _split_params(params)
    if timeout is not None:
        payload = {"name": name, "params": bindings, "parts": parts}
        _echo_limited(ctx, "query", payload, output_format, timeout)
        return
    kg = _graph(ctx)
    _sandbox(ctx)
    _emit(_interruptible(lambda: kg.query(name, bindings, parts=parts)), output_format)


@cli.command()
@_format_option
@click.pass_context
def queries(ctx: click.Context, output_format: str) -> None:
    """List the named queries with their titles and parameters.

    \b
    Example:
        actorgraph queries
    """
    rows = [
        (
            q.name,
            q.title,
            ", ".join(
                f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in q.parameters
            ),
            q.description,
        )
        for q in _graph(ctx).queries()
    ]
    _emit(Rows.from_values(["name", "title", "parameters", "description"], rows), output_format)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The file to write [default: graph.html, or graph.svg with --format svg].",
)
@click.option(
    "--format",
    "picture_format",
    type=click.Choice(["html", "svg"]),
    default=None,
    help="html: the interactive page; svg: a static picture with its legend [default: from "
    "the file name, else html].",
)
@click.option("--actor", help="Show only this actor's neighbourhood (id, label or alias).")
@click.option(
    "--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --actor."
)
@click.option(
    "--relation",
    "-r",
    "relations",
    multiple=True,
    metavar="TYPE",
    help="Keep this relation type; repeatable.",
)
@click.option(
    "--stance", "stances", multiple=True, metavar="STANCE", help="Keep this stance; repeatable."
)
@click.option(
    "--as-of",
    type=_DATE,
    help="Keep relations valid at this year, month or day (and undated ones).",
)
@click.option(
    "--source", "sources", multiple=True, metavar="SOURCE", help="Keep this source; repeatable."
)
@click.option("--title", help="The page heading (default: from the sources' titles).")
@click.pass_context
def view(
    ctx: click.Context,
    output: Path | None,
    picture_format: str | None,
    actor: str | None,
    depth: int,
    relations: tuple[str, ...],
    stances: tuple[str, ...],
    as_of: str | None,
    sources: tuple[str, ...],
    title: str | None,
) -> None:
    """Write the interactive graph view (one self-contained HTML file that works offline), or
    with --format svg a static picture of the same drawing, with its legend, for reports.

    \b
    Example:
        actorgraph view -o isk.html --actor IS-K --depth 1
        actorgraph view --relation hostileTo --relation targets --as-of 2019
        actorgraph view --format svg -o isk.svg --actor IS-K --stance Asserted
    """
    if depth != 1 and actor is None:
        raise click.UsageError("--depth needs --actor")
    if picture_format is None:
        picture_format = "svg" if output is not None and output.suffix.lower() == ".svg" else "html"
    if output is None:
        output = Path(f"graph.{picture_format}")
    elif output.suffix.lower() != f".{picture_format}":
        raise click.BadParameter(
            f"{output} does not end in .{picture_format}", param_hint="--output"
        )
    path = _graph(ctx).view(
        output,
        actor=actor,
        depth=depth,
        relation=relations,
        stance=stances,
        as_of=as_of,
        source=sources,
        title=title,
    )
    click.echo(f"wrote {path}")


def _stance_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--stance",
        "stances",
        multiple=True,
        metavar="STANCE",
        help="Use only statements of this stance; repeatable.",
    )(command)


def _as_of_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of",
        type=_DATE,
        help="Use statements valid at this year, month or day (and undated ones).",
    )(command)


@cli.command()
@_as_of_option
@_stance_option
@click.option(
    "--section",
    type=click.Choice(["triads", "frustration", "predicted-ties", "centrality", "brokers"]),
    help="Print only this part of the report (needed for --format csv).",
)
@click.option(
    "--weight",
    type=click.Choice(["mentions", "sources"]),
    default="mentions",
    show_default=True,
    help="Count every claim, or each source once per pair.",
)
@click.option(
    "--reported",
    is_flag=True,
    help="Also count claims a source only reports other parties making (at half weight).",
)
@_format_option
@click.pass_context
def analyze(
    ctx: click.Context,
    as_of: str | None,
    stances: tuple[str, ...],
    section: str | None,
    weight: str,
    reported: bool,
    output_format: str,
) -> None:
    """Structural balance of the signed network: triads, frustration index, predicted ties,
    centrality on the cooperation and conflict layers, and brokers — each with its statements.

    Pairs are signed by their claims (Asserted and Hedged unless --stance says otherwise) that
    a source asserts in its own voice (with --reported, also those it reports others making);
    see the README for the rule. Balance reads only ties that hold at one time, also without
    --as-of: a triad whose ties' periods never overlap is listed as "periods do not overlap".

    \b
    Example:
        actorgraph analyze
        actorgraph analyze --as-of 2019 --section triads --format csv
    """
    from .analysis import report_rows

    kg = _graph(ctx)
    analysis = kg.analyze(as_of=as_of, stance=stances, weight=weight, reported=reported)
    tables = report_rows(kg, analysis)
    if section:
        _emit(tables[section], output_format)
        return
    if output_format == OutputFormat.JSON.value:
        everything = {name: rows.dicts() for name, rows in tables.items()}
        _write(json.dumps(everything, ensure_ascii=False, indent=2) + "\n")
        return
    if output_format != OutputFormat.TABLE.value:
        raise click.UsageError(
            f"--format {output_format} prints one table: choose it with --section"
        )
    for name, rows in tables.items():  # every write as _write does it: `| head` ends quietly
        _write(f"== {name} ({len(rows)})\n")
        _emit(rows, output_format)
        _write("\n")


@cli.command()
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@_as_of_option
@_stance_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="At most this many paths.",
)
@_parts_option
@functools.partial(_format_option, limit=False)
@click.pass_context
def paths(
    ctx: click.Context,
    source: str,
    target: str,
    as_of: str | None,
    stances: tuple[str, ...],
    limit: int,
    parts: bool,
    output_format: str,
) -> None:
    """The shortest chains of statements between two actors, with the quote for each hop.
    Each end includes the actor's organs (the U.S. government and military for "United
    States") unless --no-parts is given.

    \b
    Example:
        actorgraph paths "United States" al-Qaeda
        actorgraph paths IS-K Pakistan --stance Asserted --format json
    """
    from .analysis import path_rows

    kg = _graph(ctx)
    found = kg.paths(source, target, stance=stances, as_of=as_of, limit=limit, parts=parts)
    _emit(path_rows(kg, found), output_format)
    if not found:
        _explain_no_path(kg, source, target)


def _explain_no_path(kg: ActorGraph, *ends: str) -> None:
    """Say on stderr why two actors have no path: an end in no statement, or only in claims
    that paths leave out (inferences, open questions, negated claims)."""
    for end in ends:
        actor = kg.actor(end)
        about = {
            s.id: s for s in [*kg.statements(subject=actor.id), *kg.statements(object=actor.id)]
        }
        if not about:
            click.echo(f"note: {actor.label} is in no statement", err=True)
        elif not any(s.stated for s in about.values()):
            click.echo(
                f"note: every statement naming {actor.label} ({len(about)}) is an inference, an "
                "open question or a negated claim, which paths leave out; "
                f"`actorgraph statements --subject {actor.id}` lists them",
                err=True,
            )


@cli.command()
@click.argument("before", type=_DATE)
@click.argument("after", type=_DATE)
@_format_option
@click.pass_context
def changes(ctx: click.Context, before: str, after: str, output_format: str) -> None:
    """The dated statements that ended or began between two dates, the earlier first.

    \b
    Example:
        actorgraph changes 2019 2021
    """
    found = _graph(ctx).changes(before, after)
    columns = [
        "change",
        "statement",
        "subject",
        "relation",
        "object",
        "stance",
        "against",
        "validFrom",
        "validUntil",
        "quote",
    ]
    values: list[list[Value]] = [
        [" ".join(map(str, v)) if isinstance(v, list) else v for v in (c[k] for k in columns)]  # type: ignore[misc]
        for c in found
    ]
    rows = dataclasses.replace(Rows.from_values(columns, values), lists={"against": " "})
    _emit(rows, output_format)


@cli.command()
@click.option(
    "--format",
    "export_format",
    required=True,
    type=click.Choice([f.value for f in ExportFormat]),
    help="graphml and gexf open in Gephi, cytoscape in Cytoscape, csv writes nodes.csv and "
    "edges.csv into the output folder, jsonld/nt/ttl are RDF.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="File (folder for csv), named with the format's suffix; /dev/stdout streams it.",
)
@_as_of_option
@_stance_option
@click.option(
    "--relation",
    "-r",
    "relations",
    multiple=True,
    metavar="TYPE",
    help="Keep this relation type; repeatable.",
)
@click.pass_context
def export(
    ctx: click.Context,
    export_format: str,
    output: Path,
    as_of: str | None,
    stances: tuple[str, ...],
    relations: tuple[str, ...],
) -> None:
    """Export the actor network for Gephi, Cytoscape, a spreadsheet or an RDF tool.

    \b
    Example:
        actorgraph export --format graphml -o isk.graphml
        actorgraph export --format csv -o isk-csv/ --stance Asserted
    """
    try:
        written = _graph(ctx).export(
            output,
            ExportFormat(export_format),
            as_of=as_of,
            stance=stances,
            relation=relations,
        )
    except BrokenPipeError:  # -o /dev/stdout into a reader that stopped early (| head)
        raise SystemExit(0) from None
    for file in written:
        # a stream (-o /dev/stdout) gets the export alone
        click.echo(f"wrote {file}", err=not file.is_file() or str(file).startswith("/dev/"))


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to write into; created if missing (the folder it is in must exist).",
)
@click.pass_context
def build(ctx: click.Context, output: Path) -> None:
    """Validate the graph and write it as Turtle, JSON-LD and the HTML view; nothing if invalid.

    \b
    Example:
        actorgraph build -o build/
    """
    kg = _graph(ctx)
    with _progress("building", _VALIDATION_STEPS + 1) as progress:
        result = kg.build(output, progress=progress)
    click.echo(_summary(result.report))
    for path in result.files:
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--from", "sources", multiple=True, type=click.Path(path_type=Path), hidden=True)
@click.option(
    "--replace",
    is_flag=True,
    help="Clear the target first: the --default-graph, else the server's whole default graph.",
)
@click.pass_context
def push(ctx: click.Context, sources: tuple[Path, ...], replace: bool) -> None:
    """Load the graph (-g/--graph, else the bundled one; direct edges included) into the
    SPARQL store at --update-endpoint (or --endpoint) through SPARQL Update.

    Pushing the same graph again adds nothing (evidence nodes get IRIs derived from their
    content); --replace makes the target hold this graph and nothing else.

    \b
    Example:
        actorgraph --graph my-graph/ --endpoint http://127.0.0.1:7878/query \\
                   --update-endpoint http://127.0.0.1:7878/update push --replace
    """
    remote = ctx.obj["remote"]
    target = remote["update_url"] or remote["url"]
    if not target:
        raise click.UsageError("push needs --update-endpoint (or --endpoint)")
    if sources:
        click.echo("note: push --from is now the global -g/--graph", err=True)
    if sources and ctx.obj["graph"]:
        raise click.UsageError("give the graph to push with -g/--graph only")
    from .remote import check_endpoint_url

    check_endpoint_url(target)  # before the graph is read
    local = ActorGraph.load(*(sources or ctx.obj["graph"]))
    count = local.push(
        target,
        auth=remote["auth"],
        default_graph=remote["default_graph"],
        replace=replace,
        timeout=remote["timeout"],
        max_response=remote["max_response"],
    )
    cleared = " (the target cleared first)" if replace else ""
    click.echo(f"pushed {count} triples to {target}{cleared}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rows returned at most (the rest is cut, and a header says so).",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Largest request body in bytes.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Query worker processes.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Allow browser requests from this origin; repeatable (none by default).",
)
@click.option(
    "--max-queue",
    type=click.IntRange(min=0),
    default=None,
    show_default="4 per worker",
    help="Queries that may wait for a free worker; more get 503 with Retry-After.",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a client has to send a request's headers, then its body (else 408).",
)
@click.option(
    "--max-cache",
    type=click.IntRange(min=0),
    default=64_000_000,
    show_default=True,
    metavar="BYTES",
    help="Bytes of answers kept to serve the same request again (0: none; a remote store's "
    "answers are never kept).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    callback=lambda ctx, param, values: tuple(_allowed_host(v) for v in values),
    help="Also answer requests for this host name (graph.example.org, *.example.org, or * for "
    "any); repeatable. By default only the loopback names (127.0.0.1, localhost, [::1]) when "
    "listening on loopback or on every interface, else the --host address.",
)
@click.option(
    "--max-memory",
    default="2G",
    show_default=True,
    metavar="SIZE",
    callback=lambda ctx, param, value: _size(value, "--max-memory"),
    help="Memory each query worker may take (2G, 512M; 0: no limit); a query past it fails "
    "alone with 503 and its worker is replaced.",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    workers: int,
    cors_origins: tuple[str, ...],
    max_queue: int | None,
    header_timeout: float,
    max_cache: int,
    allowed_hosts: tuple[str, ...],
    max_memory: int,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint (/sparql), the graph view (/), actor pages
    (/actors/ID) and the named queries (/queries/NAME?param=value).

    \b
    Example:
        actorgraph serve --port 8000
        curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/queries/enemies?actor=IS-K'
    """
    from . import hosts
    from .server import ServerSettings, run_server

    remote = ctx.obj["remote"]
    index = True if ctx.obj["index"] is None else ctx.obj["index"]
    kg = _graph(ctx, index=index, announce=False)  # said once serving, after the address
    if remote["url"]:
        source: dict[str, object] = {"remote": remote}
    else:  # the workers open the index this process checked or built (none: the Turtle files)
        paths = [str(p) for p in ctx.obj["graph"]]
        source = {"paths": paths, "index": False if kg.index is None else kg.index}
    settings = ServerSettings(
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        workers=workers,
        cors_origins=cors_origins,
        max_queue=max_queue,
        header_timeout=header_timeout,
        max_cache=max_cache,
        allowed_hosts=hosts.allowed_hosts(host, allowed_hosts),
        max_memory=max_memory,
    )

    def announce(url: str) -> None:
        click.echo(f"serving on {url} (SPARQL endpoint: /sparql)", err=True)
        if kg.index is not None:
            click.echo(kg.index.describe(), err=True)

    try:
        run_server(kg, source, settings, host=host, port=port, announce=announce)
    except KeyboardInterrupt:  # Ctrl-C: the server stopped its workers and itself
        ctx.exit(_INTERRUPTED)


def _size(value: str, option: str) -> int:
    """A size option's value in bytes, or a usage error naming the option."""
    from .memory import parse_size

    try:
        return parse_size(value)
    except ActorGraphError as error:
        raise click.BadParameter(str(error), param_hint=option) from None


def _allowed_host(value: str) -> str:
    """An --allowed-host value, or a usage error naming it."""
    from .hosts import check_host_pattern

    try:
        return check_host_pattern(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--allowed-host") from None


@cli.command(name="index")
@click.pass_context
def index_command(ctx: click.Context) -> None:
    """Index the graph: load, check and derive it once into an on-disk store in the cache
    folder ($ACTORGRAPH_CACHE, else ~/.cache/actorgraph). Later commands on the same paths
    reopen it in a fraction of a second, and rebuild it first when a file changed (for files
    totalling under 8 MB, only with --index: they load faster from the files).

    \b
    Example:
        actorgraph -g my-graph/ index
    """
    if ctx.obj["remote"]["url"]:
        raise click.UsageError("an endpoint's graph is not indexed: give --graph")
    if ctx.obj["index"] is False:
        raise click.UsageError("--no-index: nothing to index")
    kg = _graph(ctx, index=True, announce=False)
    assert kg.index is not None  # index=True: built or reused
    click.echo(kg.index.describe())
    from .index import AUTO_INDEX_BYTES, worth_an_index
    from .loading import find_inputs

    if not worth_an_index(find_inputs(ctx.obj["graph"])):
        click.echo(
            f"note: these files total under {AUTO_INDEX_BYTES // 1_000_000} MB, which load faster "
            "from the files than the index opens: commands use the index only with --index",
            err=True,
        )


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Write a minimal valid graph folder to start your own: a source text and its record, two
    actors and one claim with its quote. Edit it, then `actorgraph -g FOLDER validate`.

    \b
    Example:
        actorgraph init my-graph && actorgraph -g my-graph validate
    """
    from .starter import init_graph

    written = init_graph(folder)
    click.echo(f"wrote {written}: validate it with `actorgraph -g {written} validate`")
    click.echo(
        f"once it holds claims about the bundled graph's actors (`actorgraph ingest … --into "
        f"{written}`, then accept), validate both: `actorgraph -g {BUNDLED} -g {written} validate`"
    )


# ---------------------------------------------------------------- growing a graph from articles


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source-id", required=True, help="An id for the text: lower-case, digits, hyphens.")
@click.option("--title", required=True, help="The text's title.")
@click.option(
    "--url",
    callback=lambda ctx, param, value: _checked(value, "check_url"),
    help="Where the text was published (http or https).",
)
@click.option(
    "--published",
    callback=lambda ctx, param, value: _checked(value, "check_date", "published"),
    help="When: a year, year-month or date (2021, 2021-09, 2021-09-02).",
)
@click.option("--author", help="Who wrote it: the default asserting party of its claims.")
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The graph folder that grows: the text, its candidates and, once reviewed, its claims "
    "(created if missing; the folder it is in must exist).",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    file: Path,
    source_id: str,
    title: str,
    url: str | None,
    published: str | None,
    author: str | None,
    into: Path,
) -> None:
    """Store a new article and propose candidate statements for review.

    Known actors come from the global --graph folders (default: the bundled graph) and the
    folder's own. Candidates go to INTO/candidates/ID.ttl: never statements until accepted.

    \b
    Example:
        actorgraph ingest article.txt --source-id cfr-2022 --title "…" --into my-graph
        actorgraph review my-graph
    """
    from .review import ingest as run_ingest

    with _reading_progress(file) as progress:
        result = run_ingest(
            file, into=into, source_id=source_id, title=title, url=url, published=published,
            author=author, base=ctx.obj["graph"], progress=progress,
        )  # fmt: skip
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(f"stored {result.text_file}")
    click.echo(
        f"{len(result.candidates)} candidate statements, {result.proposed} proposed actors"
        + (f" ({result.skipped} already reviewed)" if result.skipped else "")
        + f": review them with `actorgraph review {into}`"
    )


def _checked(value: str | None, check: str, *args: str) -> str | None:
    """An option's value checked by ``review.check_*``: a bad one is a usage error naming it."""
    from . import review

    if value is None:
        return None
    try:
        result: str = getattr(review, check)(*args, value)
    except ActorGraphError as error:
        raise click.BadParameter(f"{value!r}: {str(error).split(': ', 1)[-1]}") from None
    return result


@contextlib.contextmanager
def _reading_progress(file: Path) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while a long text (over 200 kB) is read, on a terminal."""
    try:
        size = file.stat().st_size
    except OSError:
        size = 0
    if not sys.stderr.isatty() or size < 200_000:
        yield None
        return
    with click.progressbar(length=100, label="reading", file=sys.stderr) as bar:

        def advance(done: int, total: int) -> None:
            bar.update(max(0, done * 100 // max(total, 1) - bar.pos))

        yield advance


def _review_graph(ctx: click.Context, folder: Path) -> ActorGraph:
    from .review import graph_paths

    return ActorGraph.load(*graph_paths(ctx.obj["graph"], folder))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@_format_option
@click.pass_context
def candidates(ctx: click.Context, folder: Path, output_format: str) -> None:
    """List the candidates of FOLDER awaiting review (the named query 'candidates').

    \b
    Example:
        actorgraph candidates my-graph --format json
    """
    _emit(_review_graph(ctx, folder).query("candidates"), output_format)


def _claim_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that say how a claim is written, shared by accept and add."""
    options = [
        click.option("--stance", help="The stance (Asserted, Hedged, Disputed, Denied)."),
        click.option("--asserted-by", help="The asserting party."),
        click.option(
            "--valid-from",
            "valid_from",
            type=_CLEARABLE_DATE,
            help="The period's start (a year, month or day; none: no start).",
        ),
        click.option(
            "--valid-until",
            "valid_until",
            type=_CLEARABLE_DATE,
            help="The period's end (a year, month or day; none: no end).",
        ),
        click.option(
            "--attested-at",
            "attested_at",
            type=_CLEARABLE_DATE,
            help="When the text says the relation held, without a start or end (none: no date).",
        ),
        click.option("--note", help="Why: a note on the statement."),
        click.option(
            "--contested-by",
            "contested_by",
            multiple=True,
            help="A party that contests the claim (the stance is then Disputed); repeat for "
            "several.",
        ),
        click.option(
            "--polarity",
            type=click.Choice(["Positive", "Negative"], case_sensitive=False),
            help="Negative: the text says the relation does not hold.",
        ),
        click.option(
            "--basis",
            type=click.Choice(["Stated", "Inferred", "OpenQuestion"], case_sensitive=False),
            help="Inferred (a reader's inference) or OpenQuestion (asked, not answered); give a "
            "--note.",
        ),
        click.option(
            "--against",
            multiple=True,
            help="The party a cooperation or shared interest is directed against; repeat for "
            "several.",
        ),
        click.option(
            "--subject-class", help="The class of a new subject actor (ArmedGroup, Person …)."
        ),
        click.option("--object-class", help="The class of a new object actor."),
        click.option("--asserted-by-class", help="The class of a new asserting party."),
        click.option("--subject-alias", multiple=True, help="Another name of a new subject actor."),
        click.option("--object-alias", multiple=True, help="Another name of a new object actor."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _claim_edits(**given: str | tuple[str, ...] | None) -> dict[str, str | tuple[str, ...]]:
    """The options of :func:`_claim_options` (and relation, subject, object) as the edits
    ``review.accept`` and ``review.add`` take."""
    names = {
        "relation": "relation", "stance": "stance", "asserted_by": "assertedBy",
        "subject_": "subject", "object_": "object", "valid_from": "validFrom",
        "valid_until": "validUntil", "attested_at": "attestedAt", "note": "note",
        "contested_by": "contestedBy", "polarity": "polarity", "basis": "basis",
        "against": "against", "subject_class": "subjectClass", "object_class": "objectClass",
        "asserted_by_class": "assertedByClass", "subject_alias": "subjectAliases",
        "object_alias": "objectAliases",
    }  # fmt: skip
    return {names[k]: v for k, v in given.items() if v is not None and v != ()}


def _validated_in(ctx: click.Context, folder: Path) -> str:
    """The graph folders a decision was validated with, as the command line names them."""
    from .bundled import graph_dir
    from .review import graph_paths

    return " + ".join(
        BUNDLED if p.resolve() == graph_dir().resolve() else str(p)
        for p in graph_paths(ctx.obj["graph"], folder)
    )


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("candidate")
@click.option("--relation", "-r", help="Change the relation type.")
@click.option("--subject", "-s", "subject_", help="Change the subject actor.")
@click.option("--object", "object_", help="Change the object actor.")
@_claim_options
@click.pass_context
def accept(
    ctx: click.Context, /, folder: Path, candidate: str, **options: str | tuple[str, ...] | None
) -> None:
    """Accept CANDIDATE (edited as given): write it as a statement of FOLDER and validate.
    CANDIDATE is an id as `actorgraph candidates FOLDER` shows it, with or without cand:.

    A --subject or --object that no actor has, given with --subject-class or --object-class,
    is added as a new actor (for a name the reader missed); a new actor's class and aliases
    can be set so too.

    \b
    Example:
        actorgraph accept my-graph 1f95590e4e1c --stance Hedged
        actorgraph accept my-graph cand:6722461a62d5 --stance Disputed \\
            --asserted-by "press reporting" --contested-by "U.S. government"
        actorgraph accept my-graph bb522ba98591 --subject "Jabhat al-Haqq" \\
            --subject-class ArmedGroup --subject-alias JHK
        actorgraph accept my-graph ba286bf1d574 --polarity Negative --valid-from none
    """
    from .review import accept as run_accept

    edits = _claim_edits(**options)
    written = run_accept(folder, candidate, edits=edits, base=ctx.obj["graph"])
    for message in written.notes:
        click.echo(message, err=True)
    click.echo(
        f"accepted as stmt:{written.id} in {written.file} (validated: {_validated_in(ctx, folder)})"
    )


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--source", "source_id", required=True, help="The id of an ingested source.")
@click.option(
    "--quote", required=True, help="The words of the claim, as the source's text has them."
)
@click.option("--subject", "-s", "subject_", required=True, help="The subject actor.")
@click.option("--relation", "-r", required=True, help="The relation type (hostileTo …).")
@click.option("--object", "object_", required=True, help="The object actor.")
@_claim_options
@click.pass_context
def add(
    ctx: click.Context,
    /,
    folder: Path,
    source_id: str,
    quote: str,
    **options: str | tuple[str, ...] | None,
) -> None:
    """Add a claim the reader missed, on a source of FOLDER: the quote is found in its stored
    text (it must occur once, character for character), which gives the offsets; the claim is
    written and validated as an accepted candidate. The source's author asserts it unless
    --asserted-by says otherwise.

    \b
    Example:
        actorgraph add my-graph --source cfr-2022 --quote "Iran armed the group" \\
            -s Iran -r supports --object "the group" --object-class ArmedGroup
    """
    from .review import add as run_add

    written = run_add(
        folder, source_id, quote, edits=_claim_edits(**options), base=ctx.obj["graph"]
    )
    for message in written.notes:
        click.echo(message, err=True)
    click.echo(
        f"added as stmt:{written.id} in {written.file} (validated: {_validated_in(ctx, folder)})"
    )


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("candidate")
@click.pass_context
def reject(ctx: click.Context, folder: Path, candidate: str) -> None:
    """Reject CANDIDATE: it is recorded and never proposed again.

    \b
    Example:
        actorgraph reject my-graph 4fe157dbb518
    """
    from .review import reject as run_reject

    run_reject(folder, candidate, base=ctx.obj["graph"])
    click.echo(f"rejected {candidate}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("proposed")
@click.argument("actor")
@click.pass_context
def link(ctx: click.Context, folder: Path, proposed: str, actor: str) -> None:
    """Treat the proposed actor PROPOSED (its id, label or alias) as the known ACTOR from now
    on: its candidates' claims are written about ACTOR when accepted.

    \b
    Example:
        actorgraph link my-graph "Khorasan Province Group" IS-K
    """
    from .review import link as run_link

    target = run_link(folder, proposed, actor, base=ctx.obj["graph"])
    click.echo(f"linked {proposed} to {target}: its claims are written about it when accepted")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("candidate")
def undo(folder: Path, candidate: str) -> None:
    """Take back the decision on CANDIDATE (an accepted statement is removed again).

    \b
    Example:
        actorgraph undo my-graph 4fe157dbb518
    """
    from .review import decided_ids
    from .review import undo as run_undo

    if not run_undo(folder, candidate):
        decided = decided_ids(folder)
        listed = ", ".join(decided[:8]) + (" …" if len(decided) > 8 else "")
        where = f"decided in {folder}: {listed}" if decided else "none is decided yet"
        raise click.ClickException(f"no decision on {candidate!r} to take back ({where})")
    click.echo(f"took back the decision on {candidate}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Loopback address to listen on."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.pass_context
def review(ctx: click.Context, folder: Path, host: str, port: int) -> None:
    """Review FOLDER's candidates in the browser: accept, edit, reject, link, undo.

    \b
    Example:
        actorgraph review my-graph        # then open http://127.0.0.1:8001/
    """
    import uvicorn

    from .hosts import is_loopback
    from .listening import bind
    from .review_app import create_review_app

    if not is_loopback(host):
        raise click.BadParameter(
            f"{host!r}: the review page listens on this machine only (127.0.0.1, ::1 or "
            "localhost): it changes the folder",
            param_hint="--host",
        )
    sockets = bind(host, port)
    app = create_review_app(folder, tuple(ctx.obj["graph"]), host)
    port = sockets[0].getsockname()[1]
    click.echo(f"reviewing {folder} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    try:
        server.run(sockets=sockets)
    except KeyboardInterrupt:  # Ctrl-C: stopped once the requests under way were answered
        ctx.exit(_INTERRUPTED)
    finally:
        for sock in sockets:
            sock.close()


def main() -> None:
    """Console-script entry point."""
    _STANDALONE["sandbox"] = True
    cli(prog_name="actorgraph")


if __name__ == "__main__":
    main()
