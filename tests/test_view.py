"""The graph view: what the page contains, and how it behaves in a real headless Chromium."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, launch, open_offline, page_data
from conftest import CLAIMS, replace_once

from actorgraph import ActorGraph, QueryError

ACT = "https://w3id.org/actorgraph/actor/"
STMT = "https://w3id.org/actorgraph/statement/"
XSS_LABEL = '<img src=x onerror="window.__pwned=1">'
XSS_QUOTE = "</script><script>window.__pwned=2</script>"


# ---------------------------------------------------------------- the page as a file


def test_page_is_one_self_contained_file(kg: ActorGraph, tmp_path: Path) -> None:
    page = kg.view(tmp_path / "view.html")
    assert [p.name for p in tmp_path.iterdir()] == ["view.html"]
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html)
    assert "Content-Security-Policy" in html
    data = page_data(page)
    assert len(data["nodes"]) == len(kg.actors()) == 61
    # every statement but the four that claim no tie: two negations, two open questions
    assert len(data["edges"]) == len(kg.statements()) - 4 == 139


def test_edges_carry_basis_against_note_and_context(kg: ActorGraph, tmp_path: Path) -> None:
    edges = {e["id"].rsplit("/", 1)[1]: e for e in page_data(kg.view(tmp_path / "v.html"))["edges"]}
    omar = edges["mullah-omar-leads-taliban"]
    assert omar["inferred"] and omar["note"].startswith("B1:")
    assert omar["context"].startswith("To this end, IS-K recruited from")
    assert edges["us-military-supports-taliban-until-2019"]["against"] == [
        "Islamic State Khorasan Province"
    ]
    assert "taliban-base-cooperatesWith-us-government" not in edges  # negated: no tie drawn
    assert edges["taliban-governmentOf-afghanistan"]["attestedAt"] == "2021-09"


def test_legend_comes_from_the_ontology(kg: ActorGraph, tmp_path: Path) -> None:
    legend = page_data(kg.view(tmp_path / "view.html"))["legend"]
    hostile = next(r for r in legend["relations"] if r["iri"].endswith("#hostileTo"))
    assert hostile["label"] == "hostile to"
    assert hostile["definition"].startswith("The subject regards the object as an enemy")
    assert hostile["sign"] == -1
    assert [s["label"] for s in legend["stances"]] == ["asserted", "hedged", "disputed", "denied"]
    assert {c["kind"] for c in legend["classes"]} >= {"ArmedGroup", "State", "Place", "Event"}


def test_actor_neighbourhood(kg: ActorGraph, tmp_path: Path) -> None:
    data = page_data(kg.view(tmp_path / "ttp.html", actor="TTP", depth=1))
    assert sorted(n["id"].removeprefix(ACT) for n in data["nodes"]) == ["isk", "pakistan", "ttp"]
    assert sorted(e["id"].removeprefix(STMT) for e in data["edges"]) == [
        "isk-hostileTo-pakistan",  # IS-K and Pakistan are both shown: their tie comes along
        "isk-recruitsFrom-ttp",
        "ttp-operatesIn-pakistan",
    ]


def test_relation_and_date_filters(kg: ActorGraph, tmp_path: Path) -> None:
    data = page_data(kg.view(tmp_path / "h.html", relations=["hostileTo", "targets"]))
    assert {e["relation"].rsplit("#")[1] for e in data["edges"]} == {"hostileTo", "targets"}
    in_2019 = {
        e["id"].removeprefix(STMT)
        for e in page_data(kg.view(tmp_path / "a.html", as_of="2019"))["edges"]
    }
    assert "us-military-supports-taliban-until-2019" in in_2019
    assert "taliban-controlsTerritoryIn-afghanistan-3" not in in_2019
    assert "isk-hostileTo-taliban" in in_2019  # undated relations are kept
    in_2021 = {
        e["id"].removeprefix(STMT)
        for e in page_data(kg.view(tmp_path / "b.html", as_of="2021-09"))["edges"]
    }
    assert "us-military-supports-taliban-until-2019" not in in_2021
    assert "taliban-controlsTerritoryIn-afghanistan-3" in in_2021


def test_bad_view_arguments(kg: ActorGraph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="parameter 'as_of': expected a year"):
        kg.view(tmp_path / "x.html", as_of="May 2020")
    with pytest.raises(QueryError, match="unknown relation type 'hostile'"):
        kg.view(tmp_path / "x.html", relations=["hostile"])
    assert list(tmp_path.iterdir()) == []


def test_cli_view(run, tmp_path: Path) -> None:
    out = tmp_path / "isk.html"
    result = run("view", "-o", str(out), "--actor", "IS-K", "--relation", "recruitsFrom")
    assert result.stdout == f"wrote {out}\n"
    assert len(page_data(out)["edges"]) == 14
    result = run("view", "-o", str(out), "--depth", "2")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, "Error: --depth needs --actor")


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


class Page:
    """A loaded view page, with every request and console error it caused."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))
        open_offline(self.page, path, blocked=self.requests)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def settle(self) -> None:
        """Wait for the filters, which apply once per animation frame."""
        self.js(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )

    def drawn_edges(self) -> set[str]:
        self.settle()
        edges = self.js("window.actorgraphView.network.body.edgeIndices")
        return {i.removeprefix(STMT) for i in edges}

    def drawn_nodes(self) -> set[str]:
        self.settle()
        return {
            i.removeprefix(ACT) for i in self.js("window.actorgraphView.network.body.nodeIndices")
        }

    def click_node(self, iri: str) -> None:
        """Click the node where it is drawn (again, should the layout still be settling)."""
        for _ in range(5):
            self._click_at_node(iri)
            selected = self.js("() => window.actorgraphView.network.getSelectedNodes()")
            if selected == [iri]:
                return

    def _click_at_node(self, iri: str) -> None:
        x, y = self.js(
            """(id) => {
                 const net = window.actorgraphView.network;
                 net.moveTo({position: net.getPositions([id])[id], scale: 1.5});
                 const p = net.canvasToDOM(net.getPositions([id])[id]);
                 const box = document.getElementById('network').getBoundingClientRect();
                 return [box.left + p.x, box.top + p.y];
               }""",
            iri,
        )
        self.page.mouse.click(x, y)

    def panel(self) -> str:
        return self.page.inner_text("#panel")


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], Page]]:
    pages: list[Page] = []

    def load(path: Path) -> Page:
        pages.append(Page(browser, path))
        return pages[-1]

    yield load
    for page in pages:
        page.context.close()


@pytest.fixture(scope="session")
def bundled_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ActorGraph.load().view(tmp_path_factory.mktemp("view") / "graph.html")


def test_loads_offline_with_no_errors_and_draws_the_whole_graph(
    open_page, bundled_page: Path
) -> None:
    page = open_page(bundled_page)
    assert page.requests == []
    assert page.errors == []
    drawn = page.js(
        "(({body}) => [body.nodeIndices.length, body.edgeIndices.length])(actorgraphView.network)"
    )
    assert drawn == [61, 139]
    assert page.page.inner_text("#counts") == "61 actors, 139 of 139 statements shown"


def test_clicking_isk_lists_its_hostility_to_the_taliban_with_the_quote(
    open_page, bundled_page: Path
) -> None:
    page = open_page(bundled_page)
    page.click_node(ACT + "isk")
    text = page.panel()
    assert text.startswith(
        "Islamic State Khorasan Province\narmed group\nAlso: IS-K, IS-KP, ISIS-K"
    )
    assert "Islamic State Khorasan Province hostile to Afghan Taliban" in text
    assert (
        "IS-K sees the Taliban as an irreconcilable enemy that needs to be militarily defeated."
        in text
    )
    assert page.errors == [] and page.requests == []


def test_clicking_an_edge_shows_its_statement(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.js(
        "(id) => window.actorgraphView.showEdge(id)",
        STMT + "isk-cooperatesWith-haqqani-network-alleged",
    )
    text = page.panel()
    assert text.startswith(
        "cooperates with\nIslamic State Khorasan Province cooperates with Haqqani Network\nDisputed"
    )
    assert "asserted by former Afghan government · contested by U.S. government" in text


def test_stance_filter_hides_the_disputed_haqqani_edge(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    assert "isk-cooperatesWith-haqqani-network-alleged" in page.drawn_edges()
    page.page.uncheck("#stance-Disputed")
    drawn = page.drawn_edges()
    assert "isk-cooperatesWith-haqqani-network-alleged" not in drawn
    assert len(drawn) == 136  # the three disputed statements are hidden
    page.page.click("#reset")
    assert len(page.drawn_edges()) == 139


def test_year_slider_keeps_relations_valid_that_year(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.page.check("#year-on")
    page.page.fill("#year", "2019")
    in_2019 = page.drawn_edges()
    page.page.fill("#year", "2021")
    in_2021 = page.drawn_edges()
    assert "us-military-supports-taliban-until-2019" in in_2019 - in_2021
    assert "taliban-controlsTerritoryIn-afghanistan-3" in in_2021 - in_2019
    assert "isk-hostileTo-taliban" in in_2019 & in_2021  # undated
    page.page.uncheck("#undated")
    assert "isk-hostileTo-taliban" not in page.drawn_edges()


def test_search_focuses_an_actor_and_its_neighbours(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.page.fill("#search", "ttp")
    page.page.press("#search", "Enter")
    selected = sorted(
        i.removeprefix(ACT) for i in page.js("window.actorgraphView.network.getSelectedNodes()")
    )
    assert selected == ["isk", "pakistan", "ttp"]
    assert page.panel().startswith("Tehreek-e-Taliban Pakistan\narmed group")


def test_hostile_labels_and_quotes_are_shown_as_text(
    open_page, graph_copy: Path, tmp_path: Path
) -> None:
    replace_once(
        graph_copy / "actors.ttl",
        'skos:prefLabel "Tehreek-e-Taliban Pakistan"@en',
        f'skos:prefLabel "{XSS_LABEL.replace(chr(34), chr(92) + chr(34))}"@en',
    )
    replace_once(
        graph_copy / CLAIMS,
        '"the infighting-riven Pakistani insurgent group the Tehreek-e-Taliban Pakistan"',
        f'"{XSS_QUOTE}"',
    )
    kg = ActorGraph.load(graph_copy)
    page_path = kg.view(tmp_path / "xss.html", title=f"{XSS_LABEL} {XSS_QUOTE}")
    page = open_page(page_path)
    page.click_node(ACT + "ttp")
    text = page.panel()
    assert text.startswith(XSS_LABEL + "\narmed group")
    assert XSS_QUOTE in text
    assert page.js("document.title") == f"{XSS_LABEL} {XSS_QUOTE}"
    assert page.js("window.__pwned === undefined && document.querySelectorAll('img').length === 0")
    assert page.requests == [] and page.errors == []


def test_relation_colours_are_unique_and_every_relation_has_a_legend_entry(
    graph_copy: Path, tmp_path: Path
) -> None:
    replace_once(
        graph_copy / CLAIMS,
        "rdf:predicate ag:recruitsFrom ;\n    rdf:object    act:ttp ;",
        "rdf:predicate ag:poaches ;\n    rdf:object    act:ttp ;",
    )
    data = page_data(ActorGraph.load(graph_copy).view(tmp_path / "v.html"))
    colours = [r["color"] for r in data["legend"]["relations"]]
    assert len(colours) == len(set(colours))
    shown = {e["relation"] for e in data["edges"]}
    assert shown == {r["iri"] for r in data["legend"]["relations"]}
    poaches = next(r for r in data["legend"]["relations"] if r["iri"].endswith("#poaches"))
    assert (poaches["label"], poaches["definition"]) == ("poaches", "Not defined in the ontology.")


def test_a_party_that_is_not_an_actor_has_no_neighbourhood(kg: ActorGraph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="'press reporting' is a party that asserts claims"):
        kg.view(tmp_path / "x.html", actor="press reporting")


def test_clicking_an_edge_on_the_canvas_shows_its_statement(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    x, y = page.js(
        """(ends) => {
             const net = window.actorgraphView.network;
             const [a, b] = ends.map(id => net.getPositions([id])[id]);
             const mid = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
             net.moveTo({position: mid, scale: 2});
             const p = net.canvasToDOM(mid);
             const box = document.getElementById('network').getBoundingClientRect();
             return [box.left + p.x, box.top + p.y];
           }""",
        [ACT + "ttp", ACT + "pakistan"],
    )
    page.page.mouse.click(x, y)
    text = page.panel()
    assert text.startswith("operates in\nTehreek-e-Taliban Pakistan operates in Pakistan\nAsserted")
    assert "the infighting-riven Pakistani insurgent group the Tehreek-e-Taliban Pakistan" in text


def test_class_filter_search_for_a_hidden_actor_and_reset(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.page.uncheck("#class-ArmedGroup")
    assert "ttp" not in page.drawn_nodes()
    assert "isk-recruitsFrom-ttp" not in page.drawn_edges()
    page.page.fill("#search", "tehreek")  # a unique part of a name is enough
    page.page.press("#search", "Enter")
    assert "ttp" in page.drawn_nodes()
    assert page.panel().startswith("Tehreek-e-Taliban Pakistan")
    page.page.check("#year-on")
    page.page.fill("#year", "2016")
    page.page.check("#hide-isolated")
    assert len(page.drawn_nodes()) < 60
    page.page.click("#reset")
    assert (len(page.drawn_nodes()), len(page.drawn_edges())) == (61, 139)
    assert page.js(
        "[document.getElementById('year').value, document.getElementById('search').value]"
    ) == ["2021", ""]
    assert page.errors == []


def test_source_links_are_only_http(open_page, graph_copy: Path, tmp_path: Path) -> None:
    replace_once(
        graph_copy / "sources.ttl",
        "<https://www.usip.org/publications/2021/09/what-does-isks-resurgence-mean-afghanistan-and-beyond>",
        "<javascript:window.__pwned=3>",
    )
    replace_once(
        graph_copy / "sources.ttl",
        '"What Does IS-K’s Resurgence Mean for Afghanistan and Beyond?"@en',
        '"<b onmouseover=window.__pwned=4>title</b>"@en',
    )
    page = open_page(ActorGraph.load(graph_copy).view(tmp_path / "v.html"))
    page.click_node(ACT + "ttp")
    assert "— <b onmouseover=window.__pwned=4>title</b>, characters" in page.panel()
    assert page.js("document.querySelectorAll('#panel a, #panel b').length") == 0
    assert page.js("window.__pwned === undefined")
