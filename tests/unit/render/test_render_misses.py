"""Never-seen pictures per client: counted in the shared limiter, refused with a wait once used up."""

from types import SimpleNamespace

import pytest

from app import db
from app.render.misses import MissLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def request_from(host: str):
    return SimpleNamespace(client=SimpleNamespace(host=host))


@pytest.fixture
def limiter(empty_db_url):
    db.migrate(empty_db_url)
    return MissLimiter(per_minute=3, db_url=empty_db_url, clock=Clock())


def test_each_client_gets_its_own_misses_and_then_a_wait(limiter):
    script, visitor = request_from("203.0.113.66"), request_from("198.51.100.7")
    assert [limiter(script) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter(script)
    assert 0 < wait <= 60
    assert limiter(visitor) == 0.0  # someone else's script costs this visitor nothing


def test_a_refused_client_costs_no_database_work_until_its_wait_is_over(limiter, monkeypatch):
    script = request_from("203.0.113.66")
    for _ in range(4):
        limiter(script)

    def no_database(*_args, **_kwargs):
        raise AssertionError("asked the database while the client is known to wait")

    monkeypatch.setattr(db, "session", no_database)
    assert all(limiter(script) > 0 for _ in range(100))


def test_a_database_that_cannot_count_lets_pictures_through(limiter, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(*_args, **_kwargs):
        raise OperationalError("select 1", {}, Exception("database is locked"))

    monkeypatch.setattr(db, "session", broken)
    assert limiter(request_from("198.51.100.7")) == 0.0
