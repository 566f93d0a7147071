"""Graph view: build time and time-to-interactive in headless Chromium, by graph size.

    python benchmarks/view.py                    # 100, 1,000 and 5,000 actors
    python benchmarks/view.py --sizes 100 1000

Synthetic graphs (benchmarks/synthetic.py: four statements per actor). "build" is the whole of
``kg.view(path)``: querying the statements, tying them, the layout (igraph), rendering and
writing the page; "layout" is the layout's share. The reference is pyvis's own route for the
same nodes and edges, measured in the same run: ``Network.from_nx`` on a networkx graph of them,
then ``write_html`` (no queries, no layout: the browser lays the page out with physics). The
ratio is actorgraph's build time over the reference's. Time-to-interactive is from navigation
start until the page reports itself ready (drawn at its fixed positions), in Debian's chromium.
Absolute times on a shared 2-core machine are noise; compare the ratios.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

# benchmarks/ and tests/ are on the path now
from browser import launch, open_offline, page_data  # noqa: E402
from table import print_table  # noqa: E402


def pyvis_reference(nodes: list[dict], edges: list[dict], folder: Path) -> float:
    """Seconds for pyvis's own route: ``Network.from_nx`` on the same graph, then
    ``write_html``."""
    import networkx as nx
    from pyvis.network import Network

    graph = nx.MultiDiGraph()
    for n in nodes:
        graph.add_node(n["id"], label=n["label"], shape=n["shape"], size=n["size"])
    for e in edges:
        graph.add_edge(e["from"], e["to"], color=e["baseColor"], width=e["width"])
    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(graph)
    net.write_html(str(folder / "pyvis.html"), open_browser=False, notebook=False)
    return time.perf_counter() - start


def measure_build(actors: int, folder: Path) -> dict[str, float]:
    from synthetic import write_synthetic

    import actorgraph.drawing as drawing
    from actorgraph import ActorGraph

    kg = ActorGraph.load(write_synthetic(HERE / ".data", actors))
    timings: dict[str, float] = {}
    original_layout = drawing.layout

    def timed_layout(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        positions = original_layout(*args, **kwargs)
        timings["layout"] = time.perf_counter() - start
        return positions

    drawing.layout = timed_layout
    try:
        start = time.perf_counter()
        page = kg.view(folder / f"view-{actors}.html")
        timings["build"] = time.perf_counter() - start
    finally:
        drawing.layout = original_layout
    data = page_data(page)
    timings["reference"] = pyvis_reference(data["nodes"], data["edges"], folder)
    timings["nodes"], timings["edges"] = len(data["nodes"]), len(data["edges"])
    timings["mb"] = page.stat().st_size / 1e6
    timings["page"] = str(page)  # type: ignore[assignment]
    return timings


def time_to_interactive(browser, page: Path) -> float:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    open_offline(tab, page, timeout_ms=600_000)
    ready = tab.evaluate("window.actorgraphView.readyAt")
    context.close()
    return ready / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch(playwright)
        for actors in args.sizes:
            result = measure_build(actors, Path(tmp))
            tti = time_to_interactive(browser, Path(result["page"]))  # type: ignore[arg-type]
            rows.append((result, tti))
            print(f"measured {actors} actors", file=sys.stderr)
        browser.close()

    header = (
        "nodes",
        "ties",
        "build s",
        "layout s",
        "pyvis from_nx+write s",
        "build / pyvis",
        "page MB",
        "interactive s",
    )
    table = [
        (
            f"{r['nodes']:,}",
            f"{r['edges']:,}",
            f"{r['build']:.2f}",
            f"{r['layout']:.2f}",
            f"{r['reference']:.2f}",
            f"{r['build'] / max(r['reference'], 1e-9):.2f}x",
            f"{r['mb']:.1f}",
            f"{tti:.2f}",
        )
        for r, tti in rows
    ]
    print_table(header, table)


if __name__ == "__main__":
    main()
