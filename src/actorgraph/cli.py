"""The ``actorgraph`` command: a thin twin of the :class:`~actorgraph.ActorGraph` API.

Each command wraps one API call; ``--graph`` and ``--format`` are defined once and shared.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .errors import ActorGraphError
from .export import ExportFormat
from .graph import ActorGraph
from .output import OutputFormat, render
from .queries import PARAMETER_TYPES
from .results import Rows
from .safety import CAPABILITIES
from .validate import Report

__all__ = ["cli", "main"]


class _Group(click.Group):
    """Turns every :class:`ActorGraphError` into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ActorGraphError as error:
            raise click.ClickException(str(error)) from None


def _format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice([f.value for f in OutputFormat]),
        default=OutputFormat.TABLE.value,
        show_default=True,
        help="Output as an aligned table, CSV, or JSON (a list of objects keyed by variable).",
    )(command)


def _param_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--param",
        "-p",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="Bind a query parameter; repeat for several.",
    )(command)


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
    click.echo(render(rows, OutputFormat(output_format)), nl=False)


def _graph(ctx: click.Context) -> ActorGraph:
    remote = ctx.obj["remote"]
    if remote["url"]:
        return ActorGraph.connect(**remote)
    paths: tuple[Path, ...] = ctx.obj["graph"]
    return ActorGraph.load(*paths)


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
    help="Turtle file or folder to load instead of the bundled graph; repeat for several.",
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
@click.version_option(package_name="actorgraph")
@click.pass_context
def cli(
    ctx: click.Context,
    graph: tuple[Path, ...],
    endpoint: str | None,
    update_endpoint: str | None,
    user: str | None,
    password: str | None,
    default_graph: str | None,
) -> None:
    """Actor-relationship knowledge graphs where every edge carries its evidence.

    \b
    Example:
        actorgraph statements --subject IS-K --relation recruitsFrom
    """
    if endpoint and graph:
        raise click.UsageError("give --graph (local files) or --endpoint (a server), not both")
    auth = (user, password or "") if user else None
    ctx.obj = {
        "graph": graph,
        "remote": dict(
            url=endpoint, update_url=update_endpoint, auth=auth, default_graph=default_graph
        ),
    }


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check shapes, every quote against its source text, and the direct edges.

    Prints each problem as FILE:LINE: MESSAGE and exits with status 1 if there is any.

    \b
    Example:
        actorgraph validate
        actorgraph --graph my-graph/ validate
    """
    report = _graph(ctx).validate()
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if not report.ok:
        raise click.ClickException(f"{len(report.problems)} problem(s) found")
    click.echo(_summary(report))


@cli.command()
@click.option(
    "--type", "type_", metavar="CLASS", help="Only actors of this class, e.g. ArmedGroup."
)
@_format_option
@click.pass_context
def actors(ctx: click.Context, type_: str | None, output_format: str) -> None:
    """List every actor with its label, aliases and class (the named query 'actors').

    \b
    Example:
        actorgraph actors --type ArmedGroup --format csv
    """
    _emit(_graph(ctx).query("actors", type=type_), output_format)


@cli.command()
@click.option("--subject", "-s", help="Subject actor: id, label or alias.")
@click.option("--relation", "-r", help="Relation type, e.g. hostileTo.")
@click.option("--object", "-o", "object_", help="Object actor: id, label or alias.")
@click.option("--stance", help="Asserted, Hedged, Disputed or Denied.")
@click.option("--asserted-by", help="The party that asserts the claim.")
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
    subject: str | None,
    relation: str | None,
    object_: str | None,
    stance: str | None,
    asserted_by: str | None,
    parts: bool,
    with_context: bool,
    output_format: str,
) -> None:
    """List statements with stance, asserting party and verbatim quote (the query 'statements').

    Each row also gives the basis (Stated, Inferred, OpenQuestion), the polarity, whom a
    cooperation is directed against and the curator's note. An actor includes its organs (the
    U.S. government and military for "United States") unless --no-parts is given.

    \b
    Example:
        actorgraph statements --subject IS-K --relation recruitsFrom
        actorgraph statements --stance Disputed --format json
        actorgraph statements --subject "United States" --no-parts --context
    """
    kg = _graph(ctx)
    rows = kg.query(
        "statements",
        parts=parts,
        subject=subject,
        relation=relation,
        object=object_,
        stance=stance,
        assertedBy=asserted_by,
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
@_format_option
@click.pass_context
def sparql(
    ctx: click.Context,
    query_text: str | None,
    query_file: Any,
    params: tuple[str, ...],
    allow: tuple[str, ...],
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
    if (query_text is None) == (query_file is None):
        raise click.UsageError("give the query as an argument or with --file, not both")
    try:
        text = query_text if query_text is not None else query_file.read()
    except UnicodeDecodeError:
        raise click.BadParameter(
            f"{query_file.name}: not valid UTF-8", param_hint="--file"
        ) from None
    kg = _graph(ctx)
    _sandbox(ctx, allow)
    bindings = {}
    for typed_name, value in _split_params(params).items():
        name, _, kind = typed_name.partition(":")
        kind = kind or "string"
        if kind not in PARAMETER_TYPES:
            raise click.BadParameter(
                f"unknown type {kind!r} for {name!r}; use one of {', '.join(PARAMETER_TYPES)}",
                param_hint="--param",
            )
        bindings[name] = kg.term(kind, name, value)
    _emit(kg.sparql(text, allow=allow, **bindings), output_format)


@cli.command()
@click.argument("name")
@_param_option
@_parts_option
@_format_option
@click.pass_context
def query(
    ctx: click.Context, name: str, params: tuple[str, ...], parts: bool, output_format: str
) -> None:
    """Run the named query NAME; parameters are typed by the query's header.

    \b
    Example:
        actorgraph query statements --param subject=IS-K --param stance=Disputed
    """
    bindings = _split_params(params)
    kg = _graph(ctx)
    _sandbox(ctx)
    _emit(kg.query(name, parts=parts, **bindings), output_format)


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
    "relations",
    multiple=True,
    metavar="TYPE",
    help="Keep this relation type; repeatable.",
)
@click.option(
    "--stance", "stances", multiple=True, metavar="STANCE", help="Keep this stance; repeatable."
)
@click.option("--as-of", help="Keep relations valid at this year, month or day (and undated ones).")
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
        relations=relations,
        stances=stances,
        as_of=as_of,
        sources=sources,
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
        "--as-of", help="Use statements valid at this year, month or day (and undated ones)."
    )(command)


@cli.command()
@_as_of_option
@_stance_option
@click.option(
    "--section",
    type=click.Choice(["triads", "frustration", "predicted-ties", "centrality", "brokers"]),
    help="Print only this part of the report (needed for --format csv).",
)
@_format_option
@click.pass_context
def analyze(
    ctx: click.Context,
    as_of: str | None,
    stances: tuple[str, ...],
    section: str | None,
    output_format: str,
) -> None:
    """Structural balance of the signed network: triads, frustration index, predicted ties,
    centrality on the cooperation and conflict layers, and brokers — each with its statements.

    Pairs are signed by their claims (Asserted and Hedged unless --stance says otherwise); see
    the README for the rule.

    \b
    Example:
        actorgraph analyze
        actorgraph analyze --as-of 2019 --section triads --format csv
    """
    from .analysis import report_rows

    kg = _graph(ctx)
    tables = report_rows(kg, kg.analyze(as_of=as_of, stances=stances or None))
    if section:
        _emit(tables[section], output_format)
        return
    if output_format == OutputFormat.JSON.value:
        click.echo(
            json.dumps(
                {name: rows.dicts() for name, rows in tables.items()}, ensure_ascii=False, indent=2
            )
        )
        return
    if output_format != OutputFormat.TABLE.value:
        raise click.UsageError(
            f"--format {output_format} prints one table: choose it with --section"
        )
    for name, rows in tables.items():
        click.echo(f"== {name} ({len(rows)})")
        _emit(rows, output_format)
        click.echo()


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
@_format_option
@click.pass_context
def path(
    ctx: click.Context,
    source: str,
    target: str,
    as_of: str | None,
    stances: tuple[str, ...],
    limit: int,
    output_format: str,
) -> None:
    """The shortest chains of statements between two actors, with the quote for each hop.

    \b
    Example:
        actorgraph path "United States" al-Qaeda
        actorgraph path IS-K Pakistan --stance Asserted --format json
    """
    from .analysis import path_rows

    found = _graph(ctx).paths(source, target, stances=stances or None, as_of=as_of, limit=limit)
    _emit(path_rows(found), output_format)


@cli.command()
@click.argument("before")
@click.argument("after")
@_format_option
@click.pass_context
def diff(ctx: click.Context, before: str, after: str, output_format: str) -> None:
    """The dated statements that ended or began between two dates.

    \b
    Example:
        actorgraph diff 2019 2021
    """
    changes = _graph(ctx).changes(before, after)
    columns = [
        "change",
        "statement",
        "subject",
        "relation",
        "object",
        "stance",
        "validFrom",
        "validUntil",
        "quote",
    ]
    _emit(Rows.from_values(columns, [[c[k] for k in columns] for c in changes]), output_format)  # type: ignore[misc]


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
    "--output", "-o", type=click.Path(path_type=Path), required=True, help="File (folder for csv)."
)
@_as_of_option
@_stance_option
@click.option(
    "--relation",
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
    written = _graph(ctx).export(
        output,
        ExportFormat(export_format),
        as_of=as_of,
        stances=stances or None,
        relations=relations or None,
    )
    for file in written:
        click.echo(f"wrote {file}")


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to write into; created if missing.",
)
@click.pass_context
def build(ctx: click.Context, output: Path) -> None:
    """Validate the graph and write it as Turtle, JSON-LD and the HTML view; nothing if invalid.

    \b
    Example:
        actorgraph build -o build/
    """
    result = _graph(ctx).build(output)
    click.echo(_summary(result.report))
    for path in result.files:
        click.echo(f"wrote {path}")


@cli.command()
@click.option(
    "--from",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Turtle files or folders to push (default: the bundled graph).",
)
@click.pass_context
def push(ctx: click.Context, sources: tuple[Path, ...]) -> None:
    """Load a local graph (direct edges included) into the SPARQL store at --update-endpoint
    (or --endpoint) through SPARQL Update.

    \b
    Example:
        actorgraph --endpoint http://127.0.0.1:7878/query \\
                   --update-endpoint http://127.0.0.1:7878/update push
    """
    remote = ctx.obj["remote"]
    target = remote["update_url"] or remote["url"]
    if not target:
        raise click.UsageError("push needs --update-endpoint (or --endpoint)")
    local = ActorGraph.load(*sources)
    count = local.push(target, auth=remote["auth"], default_graph=remote["default_graph"])
    click.echo(f"pushed {count} triples to {target}")


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
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint (/sparql), the graph view (/), actor pages
    (/actors/ID) and the named queries (/queries/NAME?param=value).

    \b
    Example:
        actorgraph serve --port 8000
        curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/queries/enemies?actor=IS-K'
    """
    import uvicorn

    from .server import ServerSettings, create_app

    remote = ctx.obj["remote"]
    if remote["url"]:
        source: dict[str, object] = {"remote": remote}
    else:
        source = {"paths": [str(p) for p in ctx.obj["graph"]]}  # none: the bundled graph
    settings = ServerSettings(timeout, max_rows, max_body, workers, cors_origins)
    app = create_app(_graph(ctx), source, settings)
    click.echo(f"serving on http://{host}:{port}/ (SPARQL endpoint: /sparql)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main() -> None:
    """Console-script entry point."""
    _STANDALONE["sandbox"] = True
    cli(prog_name="actorgraph")


if __name__ == "__main__":
    sys.exit(main())
