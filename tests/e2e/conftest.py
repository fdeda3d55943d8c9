"""Browser tests: a live server for the test app and a headless Debian Chromium page."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..conftest import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    """Without Debian's chromium, browser tests skip on a developer's machine; in CI, where
    .ci/run installs it, its absence is an error."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            raise pytest.UsageError(f"{CHROMIUM} is missing; CI must install Debian's chromium")
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt install chromium)")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)


@pytest.fixture
def live_server(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def chromium():
    """Debian's headless Chromium; tests that need several contexts (widths, languages) share it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


def collect_errors(page) -> list[str]:
    """Errors the page logs or throws, to assert none at the end of a test."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def browser_page(chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors = collect_errors(page)
    yield page
    page.close()
    assert errors == [], f"errors in the browser console: {errors}"
