"""The graph view: what the page contains, and how it behaves in a real headless Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import open_offline, page_data
from conftest import CLAIMS, replace_once

from actorgraph import ActorGraph, QueryError
from actorgraph.bundled import graph_dir

ACT = "https://w3id.org/actorgraph/actor/"
AG = "https://w3id.org/actorgraph/ontology#"
STMT = "https://w3id.org/actorgraph/statement/"
XSS_LABEL = '<img src=x onerror="window.__pwned=1">'
XSS_QUOTE = "</script><script>window.__pwned=2</script>"


def short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def tie_of(data: dict[str, Any], statement: str) -> dict[str, Any]:
    return next(e for e in data["edges"] if STMT + statement in e["statements"])


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# ---------------------------------------------------------------- the page as a file


def test_page_is_one_self_contained_file(kg: ActorGraph, tmp_path: Path) -> None:
    page = kg.view(tmp_path / "view.html")
    assert [p.name for p in tmp_path.iterdir()] == ["view.html"]
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", html)
    assert "Content-Security-Policy" in html
    data = page_data(page)
    assert len(data["nodes"]) == len(kg.actors()) == 68
    # every statement but the negated ones and the open questions, which claim no tie
    drawable = [
        s
        for s in kg.statements()
        if s.polarity.value == "Positive" and s.basis.value != "OpenQuestion"
    ]
    assert len(data["statements"]) == len(drawable) == 150
    assert sum(len(e["statements"]) for e in data["edges"]) == 150


def test_one_tie_per_pair_and_relation_weighted_by_its_statements(
    kg: ActorGraph, tmp_path: Path
) -> None:
    data = page_data(kg.view(tmp_path / "view.html"))
    keys = [(e["relation"], e["from"], e["to"]) for e in data["edges"]]
    assert len(keys) == len(set(keys))
    wanted = (AG + "hostileTo", ACT + "isk", ACT + "taliban")
    (tie,) = [e for e in data["edges"] if (e["relation"], e["from"], e["to"]) == wanted]
    assert len(tie["statements"]) == 6  # every IS-K-hostile-to-Taliban statement, one drawn edge
    single = tie_of(data, "isk-recruitsFrom-ttp")
    assert tie["width"] > single["width"] * 1.5
    # a symmetric relation is one tie whichever way the statements run
    cooperation = [e for e in data["edges"] if e["relation"] == AG + "cooperatesWith"]
    pairs = [frozenset((e["from"], e["to"])) for e in cooperation]
    assert len(pairs) == len(set(pairs))


def test_the_strongest_claim_styles_a_tie(kg: ActorGraph, tmp_path: Path) -> None:
    data = page_data(kg.view(tmp_path / "view.html"))
    asserted = tie_of(data, "taliban-cooperatesWith-pakistan")
    disputed = tie_of(data, "isk-cooperatesWith-haqqani-network-alleged")
    denied = tie_of(data, "isk-alignedWith-taliban-doubted")
    inferred = tie_of(data, "mullah-omar-leads-taliban")
    hedged = tie_of(data, "isk-cooperatesWith-al-sadiq-office")
    # IS-K's own framing, which the author reports: not drawn as the author's fact
    reported = tie_of(data, "us-government-sponsors-taliban")
    weaker = (reported, hedged, inferred, disputed, denied)
    assert [t["level"] for t in (asserted, *weaker)] == [
        "asserted", "reported", "hedged", "inferred", "disputed", "denied"
    ]  # fmt: skip
    assert asserted["dashes"] is False and asserted["color"]["opacity"] == 1
    for tie in weaker:
        assert tie["dashes"] and tie["color"]["opacity"] <= 0.6
    assert len({str(t["dashes"]) for t in weaker}) == 5
    assert denied["color"]["color"] != denied["baseColor"]  # greyed
    # a tie with an asserted statement among weaker ones is drawn as asserted
    mixed = tie_of(data, "united-states-hostileTo-isk")
    assert mixed["level"] == "hedged"  # its only statement is hedged
    isk_taliban = tie_of(data, "isk-hostileTo-taliban")
    assert isk_taliban["level"] == "asserted"


def test_relation_colours_come_from_the_ontology_and_stay_apart_in_greyscale(
    kg: ActorGraph, tmp_path: Path
) -> None:
    legend = page_data(kg.view(tmp_path / "view.html"))["legend"]
    colours = {r["iri"]: r["colour"] for r in legend["relations"]}
    by_sign: dict[int, list[float]] = {}
    for r in legend["relations"]:
        by_sign.setdefault(r["sign"], []).append(luminance(r["colour"]))
        assert 1.05 / (luminance(r["colour"]) + 0.05) >= 3  # visible on white
    assert max(by_sign[-1]) < min(by_sign[1]) and max(by_sign[1]) < min(by_sign[0])
    ontology = {r["r"]: r["c"] for r in kg.sparql("SELECT ?r ?c WHERE { ?r ag:colour ?c }").dicts()}
    assert all(colours[iri] == ontology[iri] for iri in colours)
    # the same colours in a neighbourhood page
    small = page_data(kg.view(tmp_path / "ttp.html", actor="TTP"))["legend"]["relations"]
    assert all(colours[r["iri"]] == r["colour"] for r in small)


def test_legend_comes_from_the_ontology(kg: ActorGraph, tmp_path: Path) -> None:
    legend = page_data(kg.view(tmp_path / "view.html"))["legend"]
    hostile = next(r for r in legend["relations"] if r["iri"].endswith("#hostileTo"))
    assert hostile["label"] == "hostile to"
    assert hostile["definition"].startswith("The subject regards the object as an enemy")
    assert hostile["sign"] == -1
    assert [s["label"] for s in legend["stances"]] == ["asserted", "hedged", "disputed", "denied"]
    assert [lv["level"] for lv in legend["levels"]] == [
        "asserted", "reported", "hedged", "inferred", "disputed", "denied"
    ]  # fmt: skip
    assert {c["kind"] for c in legend["classes"]} >= {"ArmedGroup", "State", "Place", "Event"}


def test_statements_carry_basis_against_note_and_context(kg: ActorGraph, tmp_path: Path) -> None:
    statements = {
        short(i): s for i, s in page_data(kg.view(tmp_path / "v.html"))["statements"].items()
    }
    omar = statements["mullah-omar-leads-taliban"]
    assert omar["inferred"] and omar["note"].startswith("B1:")
    assert omar["context"].startswith("To this end, IS-K recruited from")
    assert statements["us-military-supports-taliban-until-2019"]["against"] == [
        "Islamic State Khorasan Province"
    ]
    assert "taliban-base-cooperatesWith-us-government" not in statements  # negated: no tie
    assert statements["taliban-governmentOf-afghanistan"]["attestedAt"] == "2021-09"


def test_the_same_graph_is_drawn_the_same_way_every_time() -> None:
    import random

    kg = ActorGraph.load()
    first = kg.view().html
    random.random()  # other code drawing random numbers must not move the actors
    assert kg.view().html == first
    script = "from actorgraph import ActorGraph; print(ActorGraph.load().view().html, end='')"
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert other.stdout == first  # and in another process


def test_actor_neighbourhood(kg: ActorGraph, tmp_path: Path) -> None:
    data = page_data(kg.view(tmp_path / "ttp.html", actor="TTP", depth=1))
    assert sorted(short(n["id"]) for n in data["nodes"]) == [
        "isk", "pakistan", "pakistani-government", "ttp"
    ]  # fmt: skip
    assert sorted(short(s) for s in data["statements"]) == [
        "isk-hostileTo-pakistan",  # IS-K and Pakistan are both shown: their tie comes along
        "isk-hostileTo-pakistani-government",
        "isk-recruitsFrom-ttp",
        "pakistani-government-governmentOf-pakistan",
        "ttp-operatesIn-pakistan",
        "ttp-targets-pakistani-government",  # inferred, drawn as such (R17)
    ]


def test_relation_stance_source_and_date_filters(kg: ActorGraph, tmp_path: Path) -> None:
    data = page_data(kg.view(tmp_path / "h.html", relation=["hostileTo", "targets"]))
    assert {short(e["relation"]) for e in data["edges"]} == {"hostileTo", "targets"}
    data = page_data(kg.view(tmp_path / "s.html", stance=["Disputed", "denied"]))
    assert {s["stance"] for s in data["statements"].values()} == {"Disputed", "Denied"}
    data = page_data(kg.view(tmp_path / "src.html", source=["usip-2021-isk-resurgence"]))
    assert len(data["statements"]) == 150
    with pytest.raises(QueryError, match="unknown stance 'sure'"):
        kg.view(tmp_path / "x.html", stance=["sure"])
    in_2019 = set(page_data(kg.view(tmp_path / "a.html", as_of="2019"))["statements"])
    assert STMT + "us-military-supports-taliban-until-2019" in in_2019
    assert STMT + "taliban-controlsTerritoryIn-afghanistan-3" not in in_2019
    assert STMT + "isk-hostileTo-taliban" in in_2019  # undated relations are kept
    in_2021 = set(page_data(kg.view(tmp_path / "b.html", as_of="2021-09"))["statements"])
    assert STMT + "us-military-supports-taliban-until-2019" not in in_2021
    assert STMT + "taliban-controlsTerritoryIn-afghanistan-3" in in_2021


def test_the_title_names_the_sources_of_what_is_drawn(tmp_path: Path) -> None:
    from actorgraph.review import accept, ingest

    text = tmp_path / "t.txt"
    text.write_text("The TTP attacked IS-K in 2022.\n", encoding="utf-8")
    grown = tmp_path / "g"
    ingest(text, into=grown, source_id="t", title="A second source")
    (row,) = ActorGraph.load(graph_dir(), grown).query("candidates").dicts()
    accept(grown, row["statement"].rsplit("/", 1)[1])
    kg = ActorGraph.load(graph_dir(), grown)
    both = kg.view().drawing.title
    assert "A second source" in both and "IS-K" in both
    assert kg.view(source=["t"]).drawing.title == "Actor graph: A second source"


def test_bad_view_arguments(kg: ActorGraph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="parameter 'as_of': expected a year"):
        kg.view(tmp_path / "x.html", as_of="May 2020")
    with pytest.raises(QueryError, match="unknown relation type 'hostile'"):
        kg.view(tmp_path / "x.html", relation=["hostile"])
    with pytest.raises(QueryError, match="unknown source 'usip-2021'; did you mean usip-2021-is"):
        kg.view(tmp_path / "x.html", source=["usip-2021"])  # not an empty page
    assert list(tmp_path.iterdir()) == []
    every = len(kg.view(source=["usip-2021-isk-resurgence"]).drawing.statements)
    for name in (
        "src:usip-2021-isk-resurgence",
        "What Does IS-K’s Resurgence Mean for Afghanistan and Beyond?",
    ):
        assert len(kg.view(source=[name]).drawing.statements) == every == 150


def test_cli_view_and_svg_picture(run, tmp_path: Path) -> None:
    out = tmp_path / "isk.html"
    result = run("view", "-o", str(out), "--actor", "IS-K", "--relation", "recruitsFrom")
    assert result.stdout == f"wrote {out}\n"
    assert len(page_data(out)["statements"]) == 15
    result = run("view", "-o", str(out), "--depth", "2")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, "Error: --depth needs --actor")
    picture = tmp_path / "isk.svg"
    result = run("view", "--format", "svg", "-o", str(picture), "--actor", "IS-K")
    assert result.exit_code == 0 and result.stdout == f"wrote {picture}\n"
    root = ElementTree.parse(picture).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    labels = {t.text for t in root.iterfind("s:g[@class='nodes']/s:g/s:text", ns)}
    page = page_data(ActorGraph.load().view(tmp_path / "same.html", actor="IS-K"))
    assert labels == {n["label"] for n in page["nodes"]}  # every drawn node, with its label
    assert len(root.findall(".//s:line[@class='tie']", ns)) == len(page["edges"])
    legend = " ".join(t.text or "" for t in root.iterfind("s:g[@class='legend']//s:text", ns))
    assert "hostile to" in legend and "disputed" in legend and "armed group" in legend
    wrong = run("view", "--format", "svg", "-o", str(tmp_path / "x.html"))
    assert wrong.exit_code == 2 and "does not end in .svg" in wrong.stderr


def test_jupyter_shows_the_view_inline_without_a_file(kg: ActorGraph, tmp_path: Path) -> None:
    view = kg.view(actor="TTP")
    html = view._repr_html_()
    assert html.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in html
    assert "&lt;!doctype html&gt;" in html and "<script" not in html  # the page, escaped
    assert list(tmp_path.iterdir()) == []
    assert view.save(tmp_path / "v.svg").read_text(encoding="utf-8").startswith("<svg")


# ---------------------------------------------------------------- in a real browser


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

    def shown_statements(self) -> set[str]:
        self.settle()
        return {short(i) for i in self.js("window.actorgraphView.visibleStatements()")}

    def drawn_edges(self) -> list[str]:
        self.settle()
        return list(self.js("window.actorgraphView.network.body.edgeIndices"))

    def drawn_nodes(self) -> set[str]:
        self.settle()
        return {short(i) for i in self.js("window.actorgraphView.network.body.nodeIndices")}

    def positions(self) -> dict[str, list[float]]:
        self.settle()
        return self.js(
            """() => {
                 const net = window.actorgraphView.network;
                 const all = net.getPositions(window.actorgraphView.nodes.getIds());
                 return Object.fromEntries(Object.entries(all).map(([k, p]) => [k, [p.x, p.y]]));
               }"""
        )

    def click_node(self, iri: str) -> None:
        """Click the node where it is drawn, zoomed in so that no tie lies on top of it."""
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
    data = page_data(bundled_page)
    drawn = page.js(
        "(({body}) => [body.nodeIndices.length, body.edgeIndices.length])(actorgraphView.network)"
    )
    assert drawn == [68, len(data["edges"])]
    assert page.page.inner_text("#counts") == "68 actors, 150 of 150 statements shown"


def test_readable_when_it_opens(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    boxes = page.js(
        """() => {
             const view = window.actorgraphView, net = view.network;
             const canvas = document.getElementById('network').getBoundingClientRect();
             const major = view.nodes.get({filter: (n) => n.major});
             return {
               scale: net.getScale(),
               canvas: [canvas.width, canvas.height],
               labels: major.map((n) => {
                 const b = net.getBoundingBox(n.id);
                 const a = net.canvasToDOM({x: b.left, y: b.top});
                 const z = net.canvasToDOM({x: b.right, y: b.bottom});
                 return {id: n.id, font: n.font.size, box: [a.x, a.y, z.x, z.y]};
               }),
             };
           }"""
    )
    labels = boxes["labels"]
    assert len(labels) == 10
    width, height = boxes["canvas"]
    for label in labels:
        left, top, right, bottom = label["box"]
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, label
        assert label["font"] * boxes["scale"] >= 10, label  # legible without zooming
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            ax0, ay0, ax1, ay1 = a["box"]
            bx0, by0, bx1, by1 = b["box"]
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a["id"], b["id"])


def test_the_side_columns_fit_their_width_with_scrollbars_shown(
    open_page, bundled_page: Path
) -> None:
    page = open_page(bundled_page)
    page.page.check("#year-on")
    page.click_node(ACT + "isk")
    overflow = page.js(
        """() => ['controls', 'panel'].map((id) => {
             const column = document.getElementById(id);
             const edge = column.getBoundingClientRect().left + column.clientWidth;
             const wide = [...column.querySelectorAll('*')]
               .filter((e) => e.getBoundingClientRect().right > edge + 0.5)
               .map((e) => e.tagName + ' ' + e.textContent.slice(0, 30));
             return [id, column.offsetWidth - column.clientWidth > 0, column.scrollWidth
                     <= column.clientWidth, wide];
           })"""
    )
    for column, _scrollbar, fits, wide in overflow:
        assert fits and not wide, (column, wide)
    assert overflow[0][1]  # the controls column does show its scrollbar here
    year = page.js("document.getElementById('year-value').textContent")
    assert year.isdigit() and len(year) == 4


def test_positions_stay_put_through_filters_search_focus_and_reset(
    open_page, bundled_page: Path
) -> None:
    page = open_page(bundled_page)
    before = page.positions()
    for box in page.js(
        "[...document.querySelectorAll('#controls input[type=checkbox]')].map(i => i.id)"
    ):
        page.page.click(f"#{box}")
        page.page.click(f"#{box}")
    page.page.check("#hide-isolated")
    page.page.uncheck("#class-ArmedGroup")
    page.page.fill("#search", "ttp")
    page.page.press("#search", "Enter")
    page.page.click("#reset")
    assert page.positions() == before
    assert len(page.drawn_nodes()) == 68


def test_clicking_isk_groups_its_statements_by_family_strongest_first(
    open_page, bundled_page: Path, kg: ActorGraph
) -> None:
    page = open_page(bundled_page)
    page.click_node(ACT + "isk")
    text = page.panel()
    assert text.startswith(
        "Islamic State Khorasan Province\narmed group\nAlso: IS-K, IS-KP, ISIS-K"
    )
    undrawn = kg.sparql(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ag:Statement ."
        " { ?s rdf:subject act:isk } UNION { ?s rdf:object act:isk }"
        " { ?s ag:basis ag:OpenQuestion } UNION { ?s ag:polarity ag:Negative } }"
    ).dicts()[0]["n"]
    assert undrawn and f"{undrawn} more: open questions or negated claims, which are no" in text, (
        text[:300]
    )
    groups = page.js(
        """() => [...document.querySelectorAll('#panel section.family')].map(s => [
             s.querySelector('h3').textContent,
             [...s.querySelectorAll('li')].map(li => li.dataset.statement)])"""
    )
    statements = page_data(bundled_page)["statements"]
    mine = {i for i, s in statements.items() if ACT + "isk" in (s["from"], s["to"])}
    assert {i for _, members in groups for i in members} == mine
    assert [g[0].split(" (")[0] for g in groups] == ["Conflict", "Cooperation", "Structural"]
    for heading, members in groups:
        assert heading.endswith(f"({len(members)})")
        levels = ["asserted", "reported", "hedged", "inferred", "disputed", "denied"]
        order = [levels.index(statements[i]["level"]) for i in members]
        assert order == sorted(order)
    assert "IS-K sees the Taliban as an irreconcilable enemy" in text
    assert page.errors == [] and page.requests == []


def test_the_panel_marks_statements_hidden_by_the_filters(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.js("(id) => window.actorgraphView.showNode(id)", ACT + "isk")
    page.page.uncheck("#stance-Disputed")
    page.settle()
    text = page.panel()
    assert "(hidden by the filters)" in text
    assert re.search(r"\d+ statements \(\d+ hidden by the filters\)", text)


def test_clicking_a_tie_lists_its_statements(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    tie = tie_of(page_data(bundled_page), "isk-cooperatesWith-haqqani-network-alleged")
    page.js("(id) => window.actorgraphView.showEdge(id)", tie["id"])
    text = page.panel()
    assert text.startswith(
        "Islamic State Khorasan Province cooperates with Haqqani Network\n1 statement from 1 source"
    )
    assert "asserted by former Afghan government · contested by U.S. government" in text


def test_clicking_a_tie_on_the_canvas(open_page, bundled_page: Path) -> None:
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
    assert text.startswith("Tehreek-e-Taliban Pakistan operates in Pakistan\n1 statement")
    assert "Pakistani insurgent group the Tehreek-e-Taliban Pakistan" in text


def test_stance_filter_restyles_and_hides(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    data = page_data(bundled_page)
    haqqani = tie_of(data, "isk-cooperatesWith-haqqani-network-alleged")["id"]
    assert haqqani in page.drawn_edges()
    page.page.uncheck("#stance-Disputed")
    assert haqqani not in page.drawn_edges()
    assert "isk-cooperatesWith-haqqani-network-alleged" not in page.shown_statements()
    assert len(page.shown_statements()) == 147  # the three disputed statements are hidden
    # a tie whose only asserted statement is hidden is drawn in the style of what is left
    page.page.click("#reset")
    page.page.uncheck("#stance-Asserted")
    tie = tie_of(data, "taliban-hostileTo-isk-vested-interest")["id"]
    page.settle()
    assert page.js("(id) => window.actorgraphView.edges.get(id).level", tie) == "hedged"
    page.page.click("#reset")
    page.settle()
    assert page.js("(id) => window.actorgraphView.edges.get(id).level", tie) == "asserted"
    assert len(page.shown_statements()) == 150


def test_year_slider_keeps_relations_valid_that_year(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.page.check("#year-on")
    page.page.fill("#year", "2019")
    in_2019 = page.shown_statements()
    page.page.fill("#year", "2021")
    in_2021 = page.shown_statements()
    assert "us-military-supports-taliban-until-2019" in in_2019 - in_2021
    assert "taliban-controlsTerritoryIn-afghanistan-3" in in_2021 - in_2019
    assert "isk-hostileTo-taliban" in in_2019 & in_2021  # undated
    page.page.uncheck("#undated")
    assert "isk-hostileTo-taliban" not in page.shown_statements()


def test_search_focuses_an_actor_and_fits_its_neighbours(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.page.fill("#search", "Daesh")  # a name readers type finds the actor
    page.page.press("#search", "Enter")
    selected = sorted(short(i) for i in page.js("window.actorgraphView.network.getSelectedNodes()"))
    assert "isis" in selected and "isk" in selected
    assert page.panel().startswith("Islamic State in Iraq and Syria\narmed group")
    inside = page.js(
        """(ids) => {
             const net = window.actorgraphView.network;
             const box = document.getElementById('network').getBoundingClientRect();
             return ids.every(id => {
               const p = net.canvasToDOM(net.getPositions([id])[id]);
               return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
             });
           }""",
        page.js("window.actorgraphView.network.getSelectedNodes()"),
    )
    assert inside


def test_hostile_labels_and_quotes_are_shown_as_text(
    open_page, graph_copy: Path, tmp_path: Path
) -> None:
    replace_once(
        graph_copy / "actors.ttl",
        'skos:prefLabel "Tehreek-e-Taliban Pakistan"@en',
        f'skos:prefLabel "{XSS_LABEL.replace(chr(34), chr(92) + chr(34))}"@en',
    )
    quoted = '"Pakistani insurgent group the Tehreek-e-Taliban Pakistan" ] .\n\nstmt:ttp-targets'
    replace_once(graph_copy / CLAIMS, quoted, f'"{XSS_QUOTE}"' + quoted.split('"', 2)[2])
    kg = ActorGraph.load(graph_copy)
    page_path = kg.view(tmp_path / "xss.html", title=f"{XSS_LABEL} {XSS_QUOTE}")
    page = open_page(page_path)
    page.js("(id) => window.actorgraphView.showNode(id)", ACT + "ttp")
    text = page.panel()
    assert text.startswith(XSS_LABEL + "\narmed group")
    assert XSS_QUOTE in text
    assert page.js("document.title") == f"{XSS_LABEL} {XSS_QUOTE}"
    assert page.js("window.__pwned === undefined && document.querySelectorAll('img').length === 0")
    assert page.requests == [] and page.errors == []
    svg = kg.view(actor="ttp").svg()
    assert XSS_LABEL not in svg and "&lt;img src=x" in svg


def test_an_undefined_relation_gets_a_stable_colour_and_a_legend_entry(
    graph_copy: Path, tmp_path: Path
) -> None:
    replace_once(
        graph_copy / CLAIMS,
        "rdf:predicate ag:recruitsFrom ;\n    rdf:object    act:ttp ;",
        "rdf:predicate ag:poaches ;\n    rdf:object    act:ttp ;",
    )
    kg = ActorGraph.load(graph_copy)
    data = page_data(kg.view(tmp_path / "v.html"))
    shown = {e["relation"] for e in data["edges"]}
    assert shown == {r["iri"] for r in data["legend"]["relations"]}
    poaches = next(r for r in data["legend"]["relations"] if r["iri"].endswith("#poaches"))
    assert (poaches["label"], poaches["definition"]) == ("poaches", "Not defined in the ontology.")
    again = page_data(kg.view(tmp_path / "w.html", actor="TTP"))["legend"]["relations"]
    assert next(r for r in again if r["iri"] == poaches["iri"])["colour"] == poaches["colour"]


def test_a_party_that_is_not_an_actor_has_no_neighbourhood(kg: ActorGraph, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="'press reporting' is a party that asserts claims"):
        kg.view(tmp_path / "x.html", actor="press reporting")


def test_class_filter_search_for_a_hidden_actor_and_reset(open_page, bundled_page: Path) -> None:
    page = open_page(bundled_page)
    page.page.uncheck("#class-ArmedGroup")
    assert "ttp" not in page.drawn_nodes()
    assert "isk-recruitsFrom-ttp" not in page.shown_statements()
    page.page.fill("#search", "tehreek")  # a unique part of a name is enough
    page.page.press("#search", "Enter")
    assert "ttp" in page.drawn_nodes()
    assert page.panel().startswith("Tehreek-e-Taliban Pakistan")
    page.page.check("#year-on")
    page.page.fill("#year", "2016")
    page.page.check("#hide-isolated")
    assert len(page.drawn_nodes()) < 68
    page.page.click("#reset")
    assert (len(page.drawn_nodes()), len(page.shown_statements())) == (68, 150)
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
    page.js("(id) => window.actorgraphView.showNode(id)", ACT + "ttp")
    assert "— <b onmouseover=window.__pwned=4>title</b>, characters" in page.panel()
    assert page.js("document.querySelectorAll('#panel a, #panel b').length") == 0
    assert page.js("window.__pwned === undefined")


@pytest.mark.parametrize("actor", ["Hazaras", "Iran", "Joe Biden"])
def test_a_small_view_keeps_every_label_inside_the_canvas(
    open_page, kg: ActorGraph, tmp_path: Path, actor: str
) -> None:
    page = open_page(kg.view(tmp_path / "small.html", actor=actor, depth=1))
    boxes = page.js(
        """() => {
             const view = window.actorgraphView, net = view.network;
             const canvas = document.getElementById('network').getBoundingClientRect();
             return {
               canvas: [canvas.width, canvas.height],
               labels: view.nodes.get().map((n) => {
                 const b = net.getBoundingBox(n.id);
                 const a = net.canvasToDOM({x: b.left, y: b.top});
                 const z = net.canvasToDOM({x: b.right, y: b.bottom});
                 return {id: n.id, box: [a.x, a.y, z.x, z.y]};
               }),
             };
           }"""
    )
    width, height = boxes["canvas"]
    assert 2 <= len(boxes["labels"]) <= 12
    for label in boxes["labels"]:
        left, top, right, bottom = label["box"]
        assert left >= 0 and right <= width and top >= 0 and bottom <= height, label


def test_bidi_controls_in_labels_reorder_nothing_around_them(
    open_page, graph_copy: Path, tmp_path: Path
) -> None:
    # an unclosed right-to-left override in a label would reverse the rest of a claim's line
    replace_once(
        graph_copy / "actors.ttl",
        'skos:prefLabel "Tehreek-e-Taliban Pakistan"@en',
        'skos:prefLabel "Tehreek-e-Taliban Pakistan\\u202E"@en',
    )
    page = open_page(ActorGraph.load(graph_copy).view(tmp_path / "bidi.html"))
    page.js("(id) => window.actorgraphView.showNode(id)", ACT + "ttp")
    lines = page.js(
        """() => [...document.querySelectorAll('#panel li > div')].map((line) => {
             const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT), starts = [];
             while (walk.nextNode()) {
               const range = document.createRange();
               range.selectNodeContents(walk.currentNode);
               for (const box of range.getClientRects()) {
                 starts.push([Math.round(box.top), box.left]);
               }
             }
             return starts;
           })"""
    )
    assert len(lines) > 2
    for starts in lines:  # reading order: each piece right of the one before it, or below
        assert starts == sorted(starts), starts
    drawn = page.js("(id) => window.actorgraphView.nodes.get(id).label", ACT + "ttp")
    assert drawn.startswith("\u2068") and drawn.endswith("\u2069")
    assert page.errors == []


def test_the_review_page_isolates_names(tmp_path: Path) -> None:
    from actorgraph.review import ingest
    from actorgraph.review_app import review_data
    from actorgraph.starter import init_graph
    from actorgraph.view import templates

    folder = init_graph(tmp_path / "g")
    replace_once(
        folder / "actors.ttl",
        'skos:prefLabel "Northern Front"@en',
        'skos:prefLabel "Northern Front\\u202E"@en',
    )
    text = tmp_path / "t.txt"
    text.write_text("The Northern Front attacked the River Brigade in 2020.\n", encoding="utf-8")
    ingest(text, into=folder, source_id="t", title="T")
    page = templates().get_template("review.html").render(folder="g", data=review_data(folder))
    # every name on a line with other text sits in its own isolate
    assert '<div class="claim"><bdi>Northern Front (new)</bdi> · <bdi>targets</bdi> · <bdi>' in page
    assert "; perhaps <bdi>Northern Front\u202e</bdi>" in page
