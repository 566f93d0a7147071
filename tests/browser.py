"""The view's pages in headless Debian chromium (driven by Playwright through
``executable_path``, no browser download), for the tests, the view benchmark and the screenshot:
one way to launch it, one way to open a page offline, and the page's embedded data.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "launch", "open_offline", "page_data"]

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # no name lookups at all: the pages are local, and the browser's own background lookups of
    # outside hosts would otherwise reach the resolver
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
    "--dns-prefetch-disable",
]
_READY = "window.actorgraphView && window.actorgraphView.ready"
_DATA = re.compile(r'<script id="actorgraph-data" type="application/json">(.*?)</script>', re.S)


def launch(playwright: Any) -> Any:
    """A headless chromium browser from a running ``sync_playwright()``, showing scrollbars as
    a desktop browser does (Playwright hides them by default, and they take room)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=_ARGS, ignore_default_args=["--hide-scrollbars"]
    )


def open_offline(
    page: Any, path: Path, *, blocked: list[str] | None = None, timeout_ms: float = 60_000
) -> None:
    """Load the view at ``path`` in ``page`` with every non-file request refused (and its URL
    added to ``blocked``), and wait until the page says it is ready."""

    def route(request: Any) -> None:
        if request.request.url.startswith("file:"):
            request.continue_()
            return
        if blocked is not None:
            blocked.append(request.request.url)
        request.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function(_READY, timeout=timeout_ms)


def page_data(path: Path) -> dict[str, Any]:
    """The nodes, edges, legend and options a view page carries in its JSON data block."""
    match = _DATA.search(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no data block"
    return json.loads(match[1])
