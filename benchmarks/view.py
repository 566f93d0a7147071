"""Graph view: build time and time-to-interactive in headless Chromium, by graph size.

    python benchmarks/view.py                    # 100, 1,000 and 5,000 actors
    python benchmarks/view.py --sizes 100 1000

Synthetic graphs (benchmarks/synthetic.py: four statements per actor). "rest" is the build
without the layout: querying the statements, assembling nodes and edges, rendering the page.
The reference builds a page of the same nodes and edges with pyvis's own add_node/add_edge and
template (no queries, no layout), measured in the same run. Time-to-interactive is from
navigation start until the page reports itself ready (drawn, and settled when physics runs), in
Debian's chromium.
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


def pyvis_reference(nodes: list[dict], edges: list[dict]) -> float:
    """Seconds to build a page of the same nodes and edges with pyvis's own API and template."""
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    for n in nodes:
        net.add_node(
            n["id"], label=n["label"], x=n["x"], y=n["y"], shape=n["shape"], size=n["size"]
        )
    for e in edges:
        net.add_edge(e["from"], e["to"], color=e["color"]["color"], width=e["width"])
    net.generate_html()
    return time.perf_counter() - start


def measure_build(actors: int, folder: Path) -> dict[str, float]:
    from synthetic import write_synthetic

    import actorgraph.view as view
    from actorgraph import ActorGraph

    kg = ActorGraph.load(write_synthetic(HERE / ".data", actors))
    timings: dict[str, float] = {}
    original_layout = view.layout

    def timed_layout(graph):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        positions = original_layout(graph)
        timings["layout"] = time.perf_counter() - start
        return positions

    view.layout = timed_layout
    try:
        start = time.perf_counter()
        page = kg.view(folder / f"view-{actors}.html")
        timings["build"] = time.perf_counter() - start
    finally:
        view.layout = original_layout
    data = page_data(page)
    timings["assemble"] = timings["build"] - timings["layout"]
    timings["reference"] = pyvis_reference(data["nodes"], data["edges"])
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

    import actorgraph.view as view

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch(playwright)
        for actors in args.sizes:
            result = measure_build(actors, Path(tmp))
            physics = result["nodes"] <= view.PHYSICS_MAX_NODES
            tti = time_to_interactive(browser, Path(result["page"]))  # type: ignore[arg-type]
            rows.append((result, physics, tti))
            print(f"measured {actors} actors", file=sys.stderr)
        # the threshold's evidence: one size above it, with physics forced on
        probe = next((a for a in args.sizes if a > view.PHYSICS_MAX_NODES), None)
        if probe:
            saved = view.PHYSICS_MAX_NODES
            view.PHYSICS_MAX_NODES = 10**9
            try:
                result = measure_build(probe, Path(tmp))
                rows.append((result, True, time_to_interactive(browser, Path(result["page"]))))  # type: ignore[arg-type]
            finally:
                view.PHYSICS_MAX_NODES = saved
        browser.close()

    header = (
        "nodes",
        "edges",
        "build s",
        "layout s",
        "rest s",
        "pyvis API s",
        "pyvis / rest",
        "page MB",
        "physics",
        "interactive s",
    )
    table = [
        (
            f"{r['nodes']:,}",
            f"{r['edges']:,}",
            f"{r['build']:.2f}",
            f"{r['layout']:.2f}",
            f"{r['assemble']:.2f}",
            f"{r['reference']:.2f}",
            f"{r['reference'] / max(r['assemble'], 1e-9):.2f}x",
            f"{r['mb']:.1f}",
            "on" if physics else "off",
            f"{tti:.2f}",
        )
        for r, physics, tti in rows
    ]
    print_table(header, table)


if __name__ == "__main__":
    main()
