"""Real-browser fixtures: the app served on a free localhost port, Debian's Chromium driven by
Playwright (no browser download), axe-core from npm.

Skipped with a clear reason when /usr/bin/chromium, Playwright or axe-core is missing
(.ci/e2e-setup installs them); with E2E_REQUIRED=1 (for CI) nothing is skipped, so a missing
piece fails the run.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(
    os.environ.get(
        "AXE_CORE_JS", Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    )
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRED = os.environ.get("E2E_REQUIRED", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser (Chromium via Playwright)")


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"e2e: no Chromium at {CHROMIUM} (run .ci/e2e-setup)"
    if not AXE.exists():
        return f"e2e: no axe-core at {AXE} (run .ci/e2e-setup)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "e2e: the playwright Python package is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    if REQUIRED:
        return
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def live_server(app, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """The app on 127.0.0.1:<free port>, serving the test database from a thread."""
    from app.search.index import forget

    old_index = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        forget(tmp_path / "index")
        app.config["SEARCH_INDEX_DIR"] = old_index


@pytest.fixture
def demo(app, live_server):  # noqa: ANN001,ANN201
    """The served app with the demo network (`flask seed demo`, which also builds the index)."""
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return live_server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:  # noqa: ANN001
    """A 360 px wide page, like a small Android phone, with JavaScript on (axe needs it)."""
    # bypass_csp lets the test inject axe-core; the app's own pages never need inline script.
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


# The role and page walks: each test runs at a desk (1280 px) and on a phone (360 px).
WALK_WIDTHS = (1280, 360)


@pytest.fixture
def shots(tmp_path):  # noqa: ANN001,ANN201
    from tests.e2e.walk import Shots

    return Shots.for_test(tmp_path)


@pytest.fixture(params=WALK_WIDTHS, ids=lambda w: f"{w}px")
def width(request) -> int:  # noqa: ANN001
    return request.param


@pytest.fixture
def page(browser, width):  # noqa: ANN001,ANN201
    """A page of the given width (a fresh browser context each test)."""
    from tests.e2e.walk import new_page

    context, page = new_page(browser, width)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")
