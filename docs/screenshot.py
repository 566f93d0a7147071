"""Screenshots of the bundled graph's view in headless Chromium at 1400×900.

    python docs/screenshot.py      # docs/view.png (the page as it opens), docs/view-focus.png

The first picture is the page exactly as a reader first sees it; the second after searching for
IS-K and pressing Focus. Needs Debian's chromium (/usr/bin/chromium, or set CHROMIUM) and the
Python package playwright.
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
    folder_out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    with tempfile.TemporaryDirectory() as folder:
        page_path = ActorGraph.load().view(Path(folder) / "graph.html")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            open_offline(page, page_path)
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder_out / "view.png"))
            page.fill("#search", "IS-K")
            page.click("#search-form button[type=submit]")
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder_out / "view-focus.png"))
            browser.close()
    print(f"wrote {folder_out / 'view.png'} and {folder_out / 'view-focus.png'}")


if __name__ == "__main__":
    main()
