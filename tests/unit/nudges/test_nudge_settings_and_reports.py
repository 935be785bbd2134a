"""Nudge settings for the browser, and the reports the server accepts (and refuses)."""

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import db
from app.nudges.events import MAX_BODY, NudgeEvent, nudge_routes
from app.nudges.settings import LINES, NudgeSettings, browser_config, env_overrides


def test_defaults_and_a_dozen_lines(monkeypatch):
    monkeypatch.delenv("MOTORJOY_NUDGE_THRESHOLD_SECONDS", raising=False)
    monkeypatch.delenv("MOTORJOY_NUDGE_SNOOZE_SECONDS", raising=False)
    settings = env_overrides(NudgeSettings())
    assert (settings.threshold_seconds, settings.snooze_seconds, settings.daily_cap) == (1500, 300, 3)
    assert len(set(LINES)) == 12


@pytest.mark.parametrize(("value", "expected"), [("4", 4), ("0", 1500), ("soon", 1500), ("-3", 1500)])
def test_threshold_from_the_environment_in_seconds(monkeypatch, value, expected):
    monkeypatch.setenv("MOTORJOY_NUDGE_THRESHOLD_SECONDS", value)
    assert env_overrides(NudgeSettings()).threshold_seconds == expected


def test_browser_config_is_in_milliseconds_with_a_friendly_snooze_label(monkeypatch):
    monkeypatch.setenv("MOTORJOY_NUDGE_THRESHOLD_SECONDS", "90")
    config = browser_config(env_overrides(NudgeSettings()), "http://localhost:3000")
    assert (config["thresholdMs"], config["snoozeMs"], config["idleMs"]) == (90_000, 300_000, 60_000)
    assert config["snoozeLabel"] == "Five more minutes"
    assert config["lines"] == list(LINES)


@pytest.fixture
def client(db_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    return TestClient(Starlette(routes=nudge_routes())), db_url


def test_a_report_is_stored(client):
    http, url = client
    assert http.post("/nudges/event", json={"action": "snooze", "line": 3}).json() == {"ok": True}
    with db.session(url) as s:
        assert [(e.action, e.line) for e in s.exec(select(NudgeEvent))] == [("snooze", 3)]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"action": "dance", "line": 1}', 422),
        (b'{"action": "shown", "line": 99}', 422),
        (b'{"action": "shown", "line": true}', 422),
        (b"[1, 2]", 422),
        (b"not json", 400),
        (b'{"action": "shown", "line": 1, "pad": "' + b"x" * MAX_BODY + b'"}', 413),
    ],
)
def test_bad_reports_are_refused_and_store_nothing(client, body, status):
    http, url = client
    response = http.post("/nudges/event", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    with db.session(url) as s:
        assert s.exec(select(NudgeEvent)).all() == []
