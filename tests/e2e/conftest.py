"""Browser tests: the real app (production build) started once per session, driven in system Chromium."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page

from tests import browser as shared_browser

# The shared Chromium fixtures, made visible to this folder's tests.
browser, page = shared_browser.browser, shared_browser.page
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from reflex.testing import AppHarnessProd

    # A data directory of its own, seeded like a fresh install. pytest keeps it after the session,
    # so the picture precompute thread (a daemon) never writes into a folder that just vanished.
    os.environ["MOTORJOY_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    # A snooze of seconds, so the nudge tests can see one end; nobody else gets near the 25-minute threshold.
    os.environ["MOTORJOY_NUDGE_SNOOZE_SECONDS"] = "3"
    # Every test is the same client (127.0.0.1) drawing new pictures for minutes on end; the per-client
    # limit on them is tested in tests/unit/render and measured in tests/bench/pictures.py.
    os.environ["MOTORJOY_PICTURE_MISSES_PER_MINUTE"] = "100000"
    os.environ.pop("REFLEX_DB_URL", None)
    from app.cli import main as motorjoy

    assert motorjoy(["demo"]) == 0
    with AppHarnessProd.create(root=ROOT, app_name="app") as harness:
        assert harness.frontend_url
        yield harness.frontend_url.rstrip("/")


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Everything the page logs as an error, or throws, while the test runs."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
