"""The index: reused while every file is unchanged, rebuilt when any changes, never stale; the
same answers and the same file-and-line errors as reading the Turtle files."""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CLAIMS, replace_once
from servers import actorgraph_pid, query_workers, running_actorgraph

from actorgraph import ActorGraph, GraphFileError
from actorgraph.index import cache_folder
from actorgraph.loading import STEPS, find_inputs


def _indexes() -> list[Path]:
    """The index folders in the cache (one per build kept)."""
    return sorted(p for p in cache_folder().glob("indexes/*/*") if p.is_dir())


@pytest.fixture(autouse=True)
def every_graph_worth_an_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests use the bundled graph's size; the index rules they test are those of large
    graphs (a small one is read from its files unless asked: see the last test)."""
    monkeypatch.setattr("actorgraph.index.AUTO_INDEX_BYTES", 0)


def test_an_index_answers_as_the_turtle_files_do(graph_copy: Path) -> None:
    plain = ActorGraph.load(graph_copy, index=False)
    built = ActorGraph.load(graph_copy, index=True)
    reused = ActorGraph.load(graph_copy)
    assert plain.index is None
    assert built.index is not None and not built.index.reused
    assert reused.index is not None and reused.index.reused
    assert reused.index.folder == built.index.folder
    for kg in (built, reused):
        assert kg.query("statements").dicts() == plain.query("statements").dicts()
        assert kg.actors() == plain.actors()
        assert [t.path for t in kg.files] == [t.path.resolve() for t in plain.files]


def test_no_index_is_built_unless_asked(graph_copy: Path) -> None:
    assert ActorGraph.load(graph_copy).index is None
    assert _indexes() == []


def test_a_changed_file_is_never_read_from_a_stale_index(graph_copy: Path) -> None:
    ActorGraph.load(graph_copy, index=True)
    actors = graph_copy / "actors.ttl"
    before = os.stat(actors)
    # same size, and the modification time put back: only the content and ctime differ
    replace_once(actors, '"Tehreek-e-Taliban Pakistan"@en', '"Tehreek-e-Taliban PakistaN"@en')
    os.utime(actors, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(actors).st_size == before.st_size
    kg = ActorGraph.load(graph_copy)
    assert kg.index is not None and not kg.index.reused
    assert kg.index.reason == f"{actors.resolve()} changed"
    assert kg.actor("TTP").label == "Tehreek-e-Taliban PakistaN"


def test_a_touched_file_with_the_same_content_keeps_the_index(graph_copy: Path) -> None:
    built = ActorGraph.load(graph_copy, index=True).index
    os.utime(graph_copy / "actors.ttl")
    again = ActorGraph.load(graph_copy).index
    assert again is not None and again.reused and again == built


@pytest.mark.parametrize("change", ["add", "remove"])
def test_adding_or_removing_a_file_rebuilds(graph_copy: Path, change: str) -> None:
    ActorGraph.load(graph_copy, index=True)
    extra = graph_copy / "extra.ttl"
    if change == "add":
        extra.write_text(
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
            '<https://w3id.org/actorgraph/actor/ttp> skos:altLabel "Pakistani Taliban"@en .\n',
            encoding="utf-8",
        )
    else:
        (graph_copy / "sources.ttl").unlink()
    kg = ActorGraph.load(graph_copy)
    assert kg.index is not None and kg.index.reason == "files were added or removed"
    assert ("Pakistani Taliban" in kg.actor("TTP").aliases) == (change == "add")


def test_a_rebuild_reports_a_bad_file_with_its_line(graph_copy: Path) -> None:
    ActorGraph.load(graph_copy, index=True)
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "ag:start 2814 ;", 'ag:start "2814x"^^xsd:integer ;')
    with pytest.raises(GraphFileError, match=rf'^{claims}:{line}: ill-typed literal "2814x"'):
        ActorGraph.load(graph_copy)


def test_validating_an_indexed_graph_names_file_and_line(graph_copy: Path) -> None:
    claims = graph_copy / CLAIMS
    line = replace_once(claims, "ag:start 2814 ;", "ag:start 2815 ;")
    kg = ActorGraph.load(graph_copy, index=True)
    problems = [p for p in kg.validate().problems if p.path]
    assert problems and {(Path(p.path).name, p.line) for p in problems} >= {(claims.name, line)}


def test_a_file_changed_after_loading_is_not_used_for_line_numbers(graph_copy: Path) -> None:
    kg = ActorGraph.load(graph_copy, index=True)
    replace_once(graph_copy / "actors.ttl", "Tehreek-e-Taliban", "Tehrik-i-Taliban")
    with pytest.raises(GraphFileError, match="changed since the graph was loaded"):
        kg.locate("https://w3id.org/actorgraph/actor/ttp")


def test_updates_change_this_graph_only_not_the_index(graph_copy: Path) -> None:
    kg = ActorGraph.load(graph_copy, index=True)
    kg.sparql(
        'INSERT DATA { <https://w3id.org/actorgraph/actor/ttp> skos:altLabel "TTP-x"@en }',
        allow=["update"],
    )
    assert "TTP-x" in kg.actor("TTP").aliases
    assert "TTP-x" not in ActorGraph.load(graph_copy).actor("TTP").aliases


def _build(folder: str, cache: str) -> str:
    os.environ["ACTORGRAPH_CACHE"] = cache
    index = ActorGraph.load(folder, index=True).index
    assert index is not None
    return str(index.folder)


def test_concurrent_builders_agree_on_one_index(graph_copy: Path) -> None:
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        folders = pool.starmap(_build, [(str(graph_copy), str(cache_folder()))] * 3)
    assert len(set(folders)) == 1
    assert _indexes() == [Path(folders[0])]
    assert not list(cache_folder().glob("indexes/*/.building-*"))
    assert ActorGraph.load(graph_copy).index.reused  # type: ignore[union-attr]


def test_an_old_index_is_removed_once_no_process_has_it_open(graph_copy: Path) -> None:
    first = ActorGraph.load(graph_copy, index=True)
    replace_once(graph_copy / "actors.ttl", "Tehreek-e-Taliban", "Tehrik-x-Taliban")
    ActorGraph.load(graph_copy)  # rebuilt; the first is still open here
    assert len(_indexes()) == 2
    del first
    replace_once(graph_copy / "actors.ttl", "Tehrik-x-Taliban", "Tehreek-e-Taliban")
    ActorGraph.load(graph_copy)
    assert len(_indexes()) == 1


def test_the_index_command(run, graph_copy: Path) -> None:
    built = run("-g", str(graph_copy), "index")
    assert built.exit_code == 0 and built.stdout.startswith("index built in ")
    reused = run("-g", str(graph_copy), "actors", "--format", "csv")
    assert reused.exit_code == 0
    assert reused.stderr.startswith("using the index in ")
    plain = run("-g", str(graph_copy), "--no-index", "actors", "--format", "csv")
    ids = [[line.split(",")[:2] for line in r.stdout.splitlines()] for r in (reused, plain)]
    assert ids[0] == ids[1]
    assert plain.stderr == ""
    assert run("-g", str(graph_copy), "index").stdout.startswith("using the index in ")
    refused = run("-g", str(graph_copy), "--no-index", "index")
    assert refused.exit_code == 2 and "--no-index: nothing to index" in refused.stderr


def test_loading_names_its_steps(graph_copy: Path) -> None:
    steps: list[str] = []
    ActorGraph.load(graph_copy, index=True, progress=steps.append)
    assert steps == list(STEPS)
    steps.clear()
    ActorGraph.load(graph_copy, progress=steps.append)
    assert steps == ["checking the index", "opening the index"]


def test_loading_shows_a_progress_bar_on_a_terminal_only_when_slow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from actorgraph import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._steps_progress("loading", STEPS, delay=60) as step:
        assert step is not None
        step("parsing")
    assert terminal.getvalue() == ""  # done before the delay: no bar
    with cli._steps_progress("loading", STEPS, delay=0.05) as step:
        assert step is not None
        step("parsing")
        time.sleep(0.5)  # a long step: the bar appears while it runs
        assert "loading" in terminal.getvalue() and "parsing" in terminal.getvalue()
        step("checking literals and deriving direct edges")
    assert "checking literals" in terminal.getvalue()


def test_serve_workers_copy_a_small_index_into_memory(graph_copy: Path) -> None:
    with running_actorgraph("-g", str(graph_copy), "--workers", "2") as base:
        (index,) = _indexes()
        workers = query_workers(actorgraph_pid(base))
        assert len(workers) == 2
        for worker in workers:
            # a graph this small is copied from the index into each worker's memory (no
            # Turtle parsed again), where it answers fastest; the index is not held open
            opened = {os.readlink(fd) for fd in Path(f"/proc/{worker}/fd").iterdir()}
            assert not any(path.startswith(f"{index}/") for path in opened), opened
        url = f"{base}/queries/enemies?actor=IS-K"
        with urllib.request.urlopen(url, timeout=30) as answer:
            assert answer.status == 200 and b"taliban" in answer.read()


def test_a_large_index_is_queried_on_disk_by_the_workers(graph_copy: Path) -> None:
    from actorgraph.workers import working_store

    kg = ActorGraph.load(graph_copy, index=True)
    assert kg.index is not None
    on_disk = working_store(kg, 5, in_memory_triples=kg.index.triples - 1)
    in_memory = working_store(kg, 5, in_memory_triples=kg.index.triples)
    assert (on_disk.read_only, in_memory.read_only) == (True, False)
    query = "SELECT ?s WHERE { ?s a ?kind } ORDER BY ?s"
    assert on_disk.rows(query, {}).terms == in_memory.rows(query, {}).terms
    assert len(in_memory.rows(query, {})) == 6  # the row cap: max_rows + 1


def test_a_small_graph_is_read_from_its_files_unless_the_index_is_asked_for(
    run, graph_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import actorgraph.index

    monkeypatch.setattr("actorgraph.index.AUTO_INDEX_BYTES", 8_000_000)
    built = run("-g", str(graph_copy), "index")
    assert built.exit_code == 0 and "load faster from the files" in built.stderr
    assert ActorGraph.load(graph_copy).index is None  # faster to open and to query
    assert run("-g", str(graph_copy), "actors").stderr == ""
    assert run("-g", str(graph_copy), "--index", "actors").stderr.startswith("using the index")
    assert ActorGraph.load(graph_copy, index=True).index is not None
    assert actorgraph.index.worth_an_index(find_inputs([graph_copy])) is False
