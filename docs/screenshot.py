"""Render the bundled graph's view and take a screenshot of it in headless Chromium.

    python docs/screenshot.py            # writes docs/view.png

Needs Debian's chromium (/usr/bin/chromium, or set CHROMIUM) and the Python package playwright.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from actorgraph import ActorGraph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from browser import launch, open_offline  # noqa: E402  (tests/ is on the path now)


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "view.png"
    with tempfile.TemporaryDirectory() as folder:
        page_path = ActorGraph.load().view(Path(folder) / "graph.html")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1600, "height": 900})
            open_offline(page, page_path)
            page.evaluate(
                """() => {
                     const view = window.actorgraphView;
                     view.focusActor("IS-K");
                     const isk = "https://w3id.org/actorgraph/actor/isk";
                     view.network.fit({animation: false});
                     const scale = view.network.getScale() * 1.8;
                     view.network.moveTo({position: view.network.getPositions([isk])[isk], scale});
                   }"""
            )
            page.wait_for_timeout(300)
            page.screenshot(path=str(output))
            browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
