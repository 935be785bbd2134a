"""Saving a build from the page: limited per client, and a database that can't write says so kindly."""

import pytest
from reflex.state import State
from sqlmodel import func, select

from app import db
from app.configurator import builds
from app.configurator.models import SavedBuild
from app.configurator.state import CANT_SAVE, BuildState


def page_state() -> BuildState:
    root = State(_reflex_internal_init=True)
    state = root.get_substate(BuildState.get_full_name().split(".")[1:])
    BuildState.load.fn(state)  # the page's on_load: the default build
    return state


def saved_builds(url: str) -> int:
    with db.session(url) as s:
        return s.exec(select(func.count()).select_from(SavedBuild)).one()


@pytest.fixture
def url(empty_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REFLEX_DB_URL", empty_db_url)
    db.migrate(empty_db_url)
    return empty_db_url


def test_one_client_saving_hundreds_of_builds_is_paused(url):
    state = page_state()
    for _ in range(builds.SAVES.hits):
        BuildState.save.fn(state)
        assert state.saved_code
    state.saved_code = ""
    refused = BuildState.save.fn(state)
    assert builds.TOO_MANY_SAVES in str(refused) and "your build stays here" in str(refused)
    assert state.saved_code == "" and saved_builds(url) == builds.SAVES.hits


def test_a_database_that_cant_write_gets_a_clear_message_and_keeps_the_build(url, monkeypatch, tmp_path, caplog):
    if not url.startswith("sqlite"):
        pytest.skip("a read-only SQLite file stands in for a full disk; PostgreSQL fails the same way")
    path = url.removeprefix("sqlite:///")
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    state = page_state()
    chosen = state.model_id
    answer = BuildState.save.fn(state)
    assert CANT_SAVE in str(answer) and state.saved_code == "" and state.model_id == chosen
    assert "saving a build failed" in caplog.text and saved_builds(url) == 0
