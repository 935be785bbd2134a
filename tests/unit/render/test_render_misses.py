"""Never-seen pictures per client: counted in the shared limiter, refused with a wait once used up."""

from types import SimpleNamespace

import pytest
from sqlmodel import select

from app import db
from app.limits import RateLimit
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


def counting_sessions(monkeypatch) -> list[int]:
    """Each database session the limiter opens, counted."""
    opened, real = [], db.session

    def session(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(db, "session", session)
    return opened


def test_misses_are_taken_from_the_database_a_lease_at_a_time(empty_db_url, monkeypatch):
    # Counting each miss alone was a write transaction, ~3 ms of the worker's CPU under the GIL.
    db.migrate(empty_db_url)
    limiter = MissLimiter(per_minute=100, db_url=empty_db_url, clock=Clock())
    assert limiter.lease == 10
    opened = counting_sessions(monkeypatch)
    visitor = request_from("198.51.100.7")
    assert [limiter(visitor) for _ in range(25)] == [0.0] * 25
    assert len(opened) == 3  # misses 1, 11 and 21
    with db.session(empty_db_url) as s:
        assert s.exec(select(RateLimit.hits)).one() == 30  # the lease is counted when taken


def test_a_client_served_by_several_workers_never_gets_more_than_the_limit(empty_db_url):
    db.migrate(empty_db_url)
    workers = [MissLimiter(per_minute=30, db_url=empty_db_url, clock=Clock()) for _ in range(3)]
    script = request_from("203.0.113.66")
    answers = [workers[n % 3](script) for n in range(60)]
    drawn = answers.count(0.0)
    assert 30 - 2 * workers[0].lease <= drawn <= 30  # the others' unused leases are lost, never added
    assert all(0 < wait <= 60 for wait in answers[-3:])


def test_a_lease_ends_with_the_window_it_was_counted_in(empty_db_url, monkeypatch):
    db.migrate(empty_db_url)
    clock = Clock()
    limiter = MissLimiter(per_minute=100, db_url=empty_db_url, clock=clock)
    visitor = request_from("198.51.100.7")
    limiter(visitor)
    opened = counting_sessions(monkeypatch)
    limiter(visitor)
    assert opened == []  # from the lease
    clock.now += 61  # the window it was counted in is over: what's left of it is not used
    limiter(visitor)
    assert opened == [1]


def test_the_event_loop_gets_the_answer_from_memory_or_none(empty_db_url, monkeypatch):
    # What the picture route asks on the event loop: never the database, so None until a lease is known.
    db.migrate(empty_db_url)
    clock = Clock()
    limiter = MissLimiter(per_minute=100, db_url=empty_db_url, clock=clock)  # a lease of 10
    visitor = request_from("198.51.100.7")
    opened = counting_sessions(monkeypatch)
    assert limiter.from_memory(visitor) is None and opened == []
    assert limiter(visitor) == 0.0 and opened == [1]  # from the database: this miss and nine more
    assert [limiter.from_memory(visitor) for _ in range(10)] == [0.0] * 9 + [None]
    assert opened == [1]  # the lease used up on the loop, and the next one is the database's to give
    clock.now += 61
    assert limiter.from_memory(visitor) is None  # a lease whose window has ended isn't handed out
