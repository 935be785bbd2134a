"""/_health notices a database that answers but can't write (a full disk, a read-only file)."""

import pytest
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import db
from app.health import HealthBeat, health_routes
from tests.unit.meanwhile import another_writer


@pytest.fixture
def url(empty_db_url, monkeypatch):
    db.migrate(empty_db_url)
    monkeypatch.setenv("REFLEX_DB_URL", empty_db_url)
    return empty_db_url


def check() -> tuple[int, dict]:
    answer = TestClient(Starlette(routes=health_routes())).get("/_health")
    return answer.status_code, answer.json()


def test_a_healthy_database_is_written_to(url):
    status, body = check()
    assert status == 200 and body["db_writable"] is True and body["status"] is True
    with db.session(url) as s:
        assert len(s.query(HealthBeat).all()) == 1
    assert check()[0] == 200  # the same server's beat is updated, not added


def test_a_read_only_database_is_reported_with_a_503(url, monkeypatch, caplog):
    if not url.startswith("sqlite"):
        pytest.skip("a read-only SQLite file stands in for a full disk or a read-only server")
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true")
    status, body = check()
    assert status == 503 and body["db_writable"] is False and body["status"] is False
    assert "health: the database can't write" in caplog.text


def test_another_connection_writing_meanwhile_is_waited_for_not_reported(url, monkeypatch):
    # SQLite refuses a write after a read once another connection has committed in between; a 503
    # would take a healthy server out of the load balancer.
    merge = Session.merge
    with another_writer(url) as meanwhile:

        def merge_then_meanwhile(self, instance, **options):
            merged = merge(self, instance, **options)  # it has read the beat (none yet) by now
            meanwhile()
            return merged

        monkeypatch.setattr(Session, "merge", merge_then_meanwhile)
        status, body = check()
    assert status == 200 and body["db_writable"] is True
