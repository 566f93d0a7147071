"""Faults while reading a graph folder and while building: killed builds, unreadable or
strange inputs, hostile file names; each fails cleanly, with one line naming the path."""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CLAIMS, replace_once

import actorgraph.build as build_module
from actorgraph import ActorGraph, ActorGraphError, GraphFileError
from actorgraph.build import GraphFormat
from actorgraph.errors import one_line
from actorgraph.turtle import read_turtle

OUTPUTS = ["graph.html", "graph.jsonld", "graph.ttl"]
LABEL = re.compile(r'"Tehreek-e-Taliban Pakistan( gen-\d+)?"@en')
GENERATION = re.compile(r"Tehreek-e-Taliban Pakistan gen-(\d+)")
CLI = [sys.executable, "-m", "actorgraph.cli"]
PREFIXES = (
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)


# ------------------------------------------------------------------ helpers


def mark(graph: Path, generation: int) -> None:
    """Put ``gen-N`` in an actor's label, which all three outputs show."""
    actors = graph / "actors.ttl"
    label = f'"Tehreek-e-Taliban Pakistan gen-{generation}"@en'
    actors.write_text(LABEL.sub(label, actors.read_text(encoding="utf-8"), count=1), "utf-8")


def generation_of(out: Path) -> int | None:
    """The generation ``out`` holds (None: no folder); fails unless it is one complete build."""
    if not out.exists():
        return None
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    found = {
        name: set(GENERATION.findall((out / name).read_text(encoding="utf-8"))) for name in OUTPUTS
    }
    assert all(len(marks) == 1 for marks in found.values()), found
    assert len(set.union(*found.values())) == 1, f"generations mixed: {found}"
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")
    json.loads((out / "graph.jsonld").read_bytes())
    assert list(ox.parse((out / "graph.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    return int(next(iter(found["graph.ttl"])))


def start_build(graph: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*CLI, "--graph", str(graph), "build", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def staging(parent: Path) -> bool:
    """Whether a build is writing beside its output folder (a hidden entry in ``parent``)."""
    return any(name.startswith(".") for name in os.listdir(parent))


def wait_for_staging(process: subprocess.Popen[bytes], parent: Path, limit: float = 30) -> bool:
    """Wait until the build has started writing."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if staging(parent):
            return True
        time.sleep(0.002)
    return False


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An output folder whose parent holds nothing else."""
    (tmp_path / "site").mkdir()
    return tmp_path / "site" / "out"


# ------------------------------------------------------------------ all-or-nothing builds


@pytest.mark.adversarial
def test_kill_9_during_build_leaves_one_whole_generation(graph_copy: Path, site: Path) -> None:
    mark(graph_copy, 0)
    started = time.monotonic()
    process = start_build(graph_copy, site)
    assert wait_for_staging(process, site.parent)
    writing = time.monotonic()
    assert process.communicate()[1] == b""
    run_time, write_time = time.monotonic() - started, time.monotonic() - writing
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    published, mid_write = 0, 0
    for generation in range(1, 11):
        mark(graph_copy, generation)
        process = start_build(graph_copy, site)
        if generation % 3 == 0:  # anywhere in the run, loading and validation included
            time.sleep(chance.uniform(0, run_time))
        elif wait_for_staging(process, site.parent):  # while writing, or near the swap
            late = generation % 2 * 0.7
            time.sleep(chance.uniform(late * write_time, (late + 0.6) * write_time))
        mid_write += staging(site.parent)
        process.kill()
        process.communicate()
        held = generation_of(site)
        assert held in (published, generation), f"seed {seed}: generation {held}"
        published = held
    mark(graph_copy, 99)
    result = run_cli("--graph", str(graph_copy), "build", "-o", str(site))
    assert result.returncode == 0, result.stderr
    assert generation_of(site) == 99
    assert [p.name for p in site.parent.iterdir()] == ["out"], f"seed {seed}: leftovers"
    assert mid_write, f"seed {seed}: no kill came while a build was writing"


@pytest.mark.adversarial
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.12])
def test_sigterm_during_build_cleans_up(graph_copy: Path, site: Path, delay: float) -> None:
    mark(graph_copy, 1)
    assert run_cli("--graph", str(graph_copy), "build", "-o", str(site)).returncode == 0
    mark(graph_copy, 2)
    process = start_build(graph_copy, site)
    assert wait_for_staging(process, site.parent)
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode in (-signal.SIGTERM, 0), stderr
    assert b"Traceback" not in stderr
    assert generation_of(site) in (1, 2)
    assert [p.name for p in site.parent.iterdir()] == ["out"]


@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_signal_just_after_a_staging_step_leaves_one_generation_and_no_staging(
    graph_copy: Path, site: Path, monkeypatch: pytest.MonkeyPatch, step: int
) -> None:
    """A signal handler raises at the first bytecode after a system call: here just after the
    staging folder is made (1), the old generation is set aside (2) or the new one put in its
    place (3), on the path without an atomic exchange."""
    mark(graph_copy, 1)
    ActorGraph.load(graph_copy).build(site)
    mark(graph_copy, 2)
    kg = ActorGraph.load(graph_copy)
    calls = [0]
    real_mkdir, real_rename = Path.mkdir, os.rename

    def interrupted(real, *args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)
        calls[0] += any(Path(arg).name.startswith(".out.") for arg in args)
        if calls[0] == step:
            raise KeyboardInterrupt  # what the handler of SIGTERM raises, a BaseException

    monkeypatch.setattr(build_module, "_exchange", lambda a, b: False)
    monkeypatch.setattr(Path, "mkdir", lambda *a, **k: interrupted(real_mkdir, *a, **k))
    monkeypatch.setattr(os, "rename", lambda *a, **k: interrupted(real_rename, *a, **k))
    with pytest.raises(KeyboardInterrupt):
        kg.build(site)
    monkeypatch.undo()
    assert generation_of(site) == (1 if step < 3 else 2)
    assert [p.name for p in site.parent.iterdir()] == ["out"]


def test_a_build_never_leaves_a_mix_of_generations(graph_copy: Path, site: Path) -> None:
    mark(graph_copy, 1)
    ActorGraph.load(graph_copy).build(site)
    (site / "graph.html").unlink()
    (site / "graph.html").mkdir()  # the old code replaced graph.ttl, then failed on this
    (site / "graph.html" / "index.html").write_text("old", encoding="utf-8")
    mark(graph_copy, 2)
    try:
        ActorGraph.load(graph_copy).build(site)
    except ActorGraphError:
        assert set(GENERATION.findall((site / "graph.ttl").read_text(encoding="utf-8"))) == {"1"}
    else:
        assert generation_of(site) == 2
    assert [p.name for p in site.parent.iterdir()] == ["out"]


def test_build_refuses_a_folder_holding_other_files(graph_copy: Path, site: Path) -> None:
    site.mkdir()
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ActorGraphError, match=r"holds files a build did not write \(notes.txt\)"):
        ActorGraph.load(graph_copy).build(site)
    assert [p.name for p in site.iterdir()] == ["notes.txt"]
    assert [p.name for p in site.parent.iterdir()] == ["out"]


def test_build_refuses_a_folder_whose_output_names_are_not_its_files(
    graph_copy: Path, site: Path
) -> None:
    (site / "graph.html").mkdir(parents=True)
    (site / "graph.html" / "keep").write_text("my notes", encoding="utf-8")
    with pytest.raises(ActorGraphError, match=r"holds files a build did not write \(graph.html\)"):
        ActorGraph.load(graph_copy).build(site)
    assert (site / "graph.html" / "keep").read_text(encoding="utf-8") == "my notes"


def test_rebuild_keeps_the_folder_permissions(graph_copy: Path, site: Path) -> None:
    ActorGraph.load(graph_copy).build(site)
    site.chmod(0o750)
    ActorGraph.load(graph_copy).build(site)
    assert site.stat().st_mode & 0o777 == 0o750


# ------------------------------------------------------------------ unreadable inputs


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[Path]]:
    """Folders that cannot be listed, as for a user without read permission (even as root)."""
    denied: set[Path] = set()
    scandir = os.scandir

    def guarded(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path) in denied:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    yield denied


def test_unreadable_subfolder_is_an_error(
    graph_copy: Path, unreadable: set[Path], run, site: Path
) -> None:
    unreadable.add(graph_copy / "claims")
    message = f"{graph_copy / 'claims'}: cannot read folder: Permission denied"
    with pytest.raises(GraphFileError, match=f"^{re.escape(message)}$"):
        ActorGraph.load(graph_copy)
    result = run("--graph", str(graph_copy), "validate")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    result = run("--graph", str(graph_copy), "build", "-o", str(site))
    assert result.exit_code == 1
    assert not site.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders without read permission")
def test_unreadable_subfolder_is_an_error_on_disk(graph_copy: Path) -> None:
    claims = graph_copy / "claims"
    claims.chmod(0)
    try:
        with pytest.raises(GraphFileError, match=f"^{re.escape(str(claims))}: cannot read"):
            ActorGraph.load(graph_copy)
    finally:
        claims.chmod(0o755)


@pytest.mark.adversarial
def test_fifo_named_ttl_is_refused_without_waiting(graph_copy: Path) -> None:
    fifo = graph_copy / "claims" / "pipe.ttl"
    os.mkfifo(fifo)
    try:
        result = run_cli("--graph", str(graph_copy), "validate", timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("validate waited for a writer on the FIFO")
    assert (result.returncode, result.stderr) == (1, f"Error: {fifo}: not a regular file\n")
    with pytest.raises(GraphFileError, match="not a regular file"):
        read_turtle(fifo)  # also when a file turns into a FIFO after the folder was listed


def _memory_limit() -> None:
    limit = 3 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.adversarial
def test_ttl_symlink_to_dev_zero_is_refused(graph_copy: Path) -> None:
    zero = graph_copy / "zero.ttl"
    zero.symlink_to("/dev/zero")
    result = subprocess.run(
        [*CLI, "--graph", str(graph_copy), "validate"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_memory_limit,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {zero}: symbolic link leads outside the graph folder {graph_copy}\n",
    )


def test_ttl_symlink_outside_the_folder_is_refused_unread(graph_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.ttl"
    secret.write_text("SECRET-TOKEN-1234 is not Turtle\n", encoding="utf-8")
    link = graph_copy / "claims" / "leak.ttl"
    link.symlink_to(secret)
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value) == (
        f"{link}: symbolic link leads outside the graph folder {graph_copy}"
    )
    assert "SECRET" not in str(caught.value)


def test_symlinks_inside_the_folder_are_allowed(graph_copy: Path) -> None:
    (graph_copy / "again").symlink_to(graph_copy / "claims", target_is_directory=True)
    (graph_copy / "sources.ttl").rename(graph_copy / "sources" / "records.ttl.txt")
    (graph_copy / "sources.ttl").symlink_to(graph_copy / "sources" / "records.ttl.txt")
    names = sorted(t.path.name for t in ActorGraph.load(graph_copy).files)
    assert names == ["actors.ttl", "ontology.ttl", "sources.ttl", "usip-2021-isk-resurgence.ttl"]


# ------------------------------------------------------------------ hostile contents


def test_literal_over_16_mib_is_an_error_with_its_line(graph_copy: Path) -> None:
    extra = graph_copy / "extra.ttl"
    huge = "x" * (16 * 1024 * 1024 + 10)
    extra.write_text(
        f'{PREFIXES}<https://example.org/a> rdfs:comment "{huge}" .\n', encoding="utf-8"
    )
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value) == (
        f"{extra}:3: a literal or IRI is longer than 16 MiB, the parser's limit"
    )


@pytest.mark.parametrize(
    ("triple", "iri"),
    [
        ("<https://example.org/a> rdfs:seeAlso <notes/isk.html> .", "<notes/isk.html>"),
        ("<https://example.org/a> rdfs:seeAlso <#here> .", "<#here>"),
        ("<> rdfs:seeAlso <https://example.org/b> .", "<>"),
    ],
)
def test_relative_iri_is_refused_with_file_and_line(
    graph_copy: Path, triple: str, iri: str
) -> None:
    extra = graph_copy / "extra.ttl"
    extra.write_text(f"{PREFIXES}\n{triple}\n", encoding="utf-8")
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value).startswith(f"{extra}:4: relative IRI {iri} is not allowed")
    assert "file://" not in str(caught.value)


def test_a_declared_base_still_resolves(graph_copy: Path) -> None:
    extra = graph_copy / "extra.ttl"
    extra.write_text(
        f"{PREFIXES}@base <https://example.org/> .\n<a> rdfs:seeAlso <b> .\n", encoding="utf-8"
    )
    kg = ActorGraph.load(graph_copy)
    assert "file://" not in kg.serialize(GraphFormat.NTRIPLES).decode("utf-8")
    (seen,) = kg.sparql("SELECT ?b WHERE { <https://example.org/a> rdfs:seeAlso ?b }").column("b")
    assert str(seen) == "https://example.org/b"


def test_ill_typed_literal_written_with_escapes_keeps_its_line(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(
        claims,
        'ag:validFrom  "2020-05"^^xsd:gYearMonth ;',
        'ag:validFrom  "20\\u00320-0x"^^xsd:gYearMonth ;',
    )
    with pytest.raises(GraphFileError) as caught:
        ActorGraph.load(graph_copy)
    assert str(caught.value) == (
        f'{claims}:{line}: ill-typed literal "2020-0x" is not a valid gYearMonth'
    )


def test_control_characters_in_file_names_print_as_one_inert_line(graph_copy: Path, run) -> None:
    hostile = graph_copy / "claims" / "evil\x1b[2J\nError: all good\u202e.ttl"
    hostile.write_text("this is not Turtle\n", encoding="utf-8")
    result = run("--graph", str(graph_copy), "validate")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert result.stderr.startswith(
        f"Error: {graph_copy}/claims/evil\\x1b[2J\\nError: all good\\u202e.ttl:1: "
    )


def test_every_error_prints_as_one_line() -> None:
    error = ActorGraphError("a\nb\rc\td\x00e\x9bf\u2028g")
    assert str(error) == "a\\nb\\rc\\td\\x00e\\x9bf\\u2028g"
    assert one_line("plain – text ✓") == "plain – text ✓"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("sh:minCount 1", 'sh:minCount "one"'),  # breaks SHACL's own syntax rules
        ("sh:minCount 1 ;", 'sh:minCount 1 ; sh:pattern "([" ;'),  # a bad regular expression
        ("sh:minCount 1 ;", "sh:minCount 1 ; sh:minInclusive ( ) ;"),  # a bound that is no literal
        ("sh:minCount 1 ;", "sh:minCount 1 ; sh:maxCount 2 ;"),  # one bound given twice
        ("sh:minCount 1 ;", 'sh:minCount 1 ; sh:sparql [ sh:select "SELECT $this {" ] ;'),
    ],
)
def test_shapes_the_engine_cannot_use_in_full_are_one_line_naming_the_file(
    graph_copy: Path, run, old: str, new: str
) -> None:
    shapes = graph_copy / "shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    shapes.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(GraphFileError, match=f"^{re.escape(str(shapes))}: cannot use these shapes"):
        ActorGraph.load(graph_copy).validate()
    result = run("--graph", str(graph_copy), "validate")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {shapes}: cannot use these shapes: ")


def test_rebuild_without_an_atomic_exchange(
    graph_copy: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused: list[Path] = []

    def unsupported(new: Path, folder: Path) -> bool:
        refused.append(folder)
        return False

    monkeypatch.setattr(build_module, "_exchange", unsupported)
    mark(graph_copy, 1)
    ActorGraph.load(graph_copy).build(site)
    mark(graph_copy, 2)
    ActorGraph.load(graph_copy).build(site)
    assert refused == [site]
    assert generation_of(site) == 2
    assert [p.name for p in site.parent.iterdir()] == ["out"]


def test_next_build_restores_a_generation_set_aside_by_a_killed_one(
    graph_copy: Path, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark(graph_copy, 1)
    ActorGraph.load(graph_copy).build(site)
    site.rename(site.with_name(".out.previous-12345678"))  # killed between the two renames
    monkeypatch.setattr(build_module, "_publish", lambda kg, folder: None)
    ActorGraph.load(graph_copy).build(site)
    assert generation_of(site) == 1
    assert [p.name for p in site.parent.iterdir()] == ["out"]


@pytest.mark.adversarial
def test_a_fifo_as_source_text_is_a_problem_not_a_hang(graph_copy: Path) -> None:
    text = graph_copy / "sources" / "usip-2021-isk-resurgence.txt"
    text.unlink()
    os.mkfifo(text)
    started = time.monotonic()
    report = ActorGraph.load(graph_copy).validate()
    assert time.monotonic() - started < 30
    assert any("is not a regular file" in str(p) for p in report.problems)


def test_validation_problems_print_as_one_line(graph_copy: Path) -> None:
    replace_once(graph_copy / CLAIMS, "ag:start 2814 ;", "ag:start 2815 ;")
    (problem,) = ActorGraph.load(graph_copy).validate().problems
    assert "\n" not in str(problem) and "\x1b" not in str(problem)


def test_jsonld_is_the_same_graph_with_an_inline_context(graph_copy: Path) -> None:
    extra = graph_copy / "odd-iris.ttl"  # IRIs near the prefixes, and literals of every kind
    extra.write_text(
        "@prefix act: <https://w3id.org/actorgraph/actor/> .\n"
        "<https://w3id.org/actorgraph/actor//x> <http://example.org/p> act:, 'plain', 7, 2.50,"
        ' "x"@en-GB, "2020"^^<http://www.w3.org/2001/XMLSchema#gYear>, _:b, "line\\nbreak" .\n'
        "_:b a <http://example.org/Thing>, _:c .\n",
        encoding="utf-8",
    )
    kg = ActorGraph.load(graph_copy)
    data = kg.serialize(GraphFormat.JSONLD)
    assert isinstance(json.loads(data)["@context"], dict)  # inline: reading it needs no network

    def canonical(quads: object) -> set[ox.Quad]:
        dataset = ox.Dataset(quads)  # type: ignore[arg-type]
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return set(dataset)

    written = canonical(ox.parse(data, format=ox.RdfFormat.JSON_LD))
    held = canonical(ox.Quad(t.subject, t.predicate, t.object) for t in kg.store.triples())
    assert len(held) > 2000 and written == held
