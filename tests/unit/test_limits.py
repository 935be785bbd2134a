"""The one limiter: so many hits per key per window, shared through the database by every worker."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app import db, limits
from app.limits import Limited, RateLimit, Rule

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
RULE = Rule(name="test", hits=3, per=timedelta(minutes=10))


@pytest.fixture
def s(db_session):
    return db_session


def test_take_allows_the_hits_then_refuses_until_the_window_ends(s):
    for n in range(3):
        limits.take(s, RULE, "client:a", T0 + timedelta(minutes=n))
    with pytest.raises(Limited) as refused:
        limits.take(s, RULE, "client:a", T0 + timedelta(minutes=3, seconds=30))
    assert refused.value.wait == timedelta(minutes=6, seconds=30)
    assert refused.value.in_words == "7 minutes"
    with pytest.raises(Limited) as again:  # refusals are not counted and don't extend the wait
        limits.take(s, RULE, "client:a", T0 + timedelta(minutes=9, seconds=30))
    assert again.value.in_words == "1 minute"
    limits.take(s, RULE, "client:a", T0 + timedelta(minutes=10))  # a new window with its own hits
    limits.take(s, RULE, "client:a", T0 + timedelta(minutes=11))
    limits.take(s, RULE, "client:a", T0 + timedelta(minutes=12))
    with pytest.raises(Limited):
        limits.take(s, RULE, "client:a", T0 + timedelta(minutes=13))


def test_keys_and_rules_count_apart(s):
    other_rule = Rule(name="other", hits=1, per=timedelta(minutes=10))
    for _ in range(3):
        limits.take(s, RULE, "client:a", T0)
    limits.take(s, RULE, "client:b", T0)
    limits.take(s, other_rule, "client:a", T0)
    with pytest.raises(Limited):
        limits.take(s, other_rule, "client:a", T0)


def test_count_goes_past_the_limit_and_wait_for_says_how_long(s):
    assert limits.wait_for(s, RULE, "email:x", T0) == timedelta(0)
    for _ in range(5):
        limits.count(s, RULE, "email:x", T0)
    assert s.exec(select(RateLimit.hits)).one() == 5
    assert limits.wait_for(s, RULE, "email:x", T0 + timedelta(minutes=4)) == timedelta(minutes=6)
    assert limits.wait_for(s, RULE, "email:x", T0 + timedelta(minutes=10)) == timedelta(0)
    limits.count(s, RULE, "email:x", T0 + timedelta(minutes=10))  # a new window starts at one
    assert s.exec(select(RateLimit.hits)).one() == 1


def test_forget_starts_keys_afresh(s):
    for _ in range(3):
        limits.take(s, RULE, "client:a", T0)
    limits.forget(s, RULE, "client:a", "client:never-seen")
    limits.take(s, RULE, "client:a", T0)


def test_a_key_longer_than_the_column_is_stored_as_its_hash(s):
    long_key = "email:" + "a" * 300 + "@motorjoy.example"
    for _ in range(3):
        limits.take(s, RULE, long_key, T0)
    with pytest.raises(Limited):
        limits.take(s, RULE, long_key, T0)
    limits.take(s, RULE, long_key[:-1], T0)  # a different long key is a different bucket
    assert all(len(key) <= limits.limiter.MAX_KEY for key in s.exec(select(RateLimit.key)))


def test_two_workers_cannot_both_take_the_last_hit(db_url):
    # Each worker has its own session; the second sees the first's hit because the count is one UPDATE.
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite lets one writer at a time hold the database; the race is PostgreSQL's")
    with db.session(db_url) as first:
        limits.take(first, RULE, "client:a", T0)
        limits.take(first, RULE, "client:a", T0)
    with db.session(db_url) as one, db.session(db_url) as two:
        one.exec(select(RateLimit)).one()  # both have read the row with two hits
        two.exec(select(RateLimit)).one()
        limits.take(one, RULE, "client:a", T0)
        one.commit()
        with pytest.raises(Limited):
            limits.take(two, RULE, "client:a", T0)


def test_a_count_waits_for_another_writer_instead_of_failing(db_url, monkeypatch):
    # A visitor's save was refused with "database is locked": on SQLite a transaction that has read
    # can't start writing once another connection committed since, and fails at once. Here another
    # worker counts (and commits) right after this one has read its row; both counts must land.
    other_done, failures = threading.Event(), []

    def other_worker():
        try:
            with db.session(db_url) as other:
                limits.take(other, RULE, "client:b", T0)
        except Exception as error:  # reported below, not swallowed
            failures.append(error)
        other_done.set()

    real_row, worker = limits.limiter._row, threading.Thread(target=other_worker)

    def row_then_let_the_other_worker_in(session, rule, key):
        row = real_row(session, rule, key)
        if not worker.is_alive() and not other_done.is_set():
            worker.start()
            other_done.wait(1)  # it commits now (the old order) or waits for our lock (the fix)
        return row

    monkeypatch.setattr(limits.limiter, "_row", row_then_let_the_other_worker_in)
    try:
        with db.session(db_url) as s:
            limits.take(s, RULE, "client:a", T0)
    finally:
        if worker.is_alive() or other_done.is_set():
            worker.join(30)
    assert failures == []
    with db.session(db_url) as s:
        assert sorted(row.key for row in s.exec(select(RateLimit))) == ["client:a", "client:b"]


def test_take_up_to_takes_what_the_window_has_left_and_says_how_long_it_runs(s):
    grant = limits.take_up_to(s, RULE, "client:a", 2, T0)
    assert (grant.hits, grant.lasts) == (2, timedelta(minutes=10))
    grant = limits.take_up_to(s, RULE, "client:a", 2, T0 + timedelta(minutes=4))
    assert (grant.hits, grant.lasts) == (1, timedelta(minutes=6))  # only one of the three was left
    with pytest.raises(Limited) as refused:
        limits.take_up_to(s, RULE, "client:a", 2, T0 + timedelta(minutes=5))
    assert refused.value.wait == timedelta(minutes=5)
    with pytest.raises(Limited):  # and a single hit is refused the same, the lease having counted
        limits.take(s, RULE, "client:a", T0 + timedelta(minutes=5))
    assert s.exec(select(RateLimit.hits)).one() == 3  # refusals counted nothing
    assert limits.take_up_to(s, RULE, "client:a", 5, T0 + timedelta(minutes=10)).hits == 3  # a new window
    with pytest.raises(ValueError, match="at least one"):
        limits.take_up_to(s, RULE, "client:b", 0, T0)


def test_take_up_to_never_takes_past_the_limit_after_single_hits(s):
    limits.take(s, RULE, "client:a", T0)
    assert limits.take_up_to(s, RULE, "client:a", 10, T0).hits == 2
    limits.count(s, RULE, "client:a", T0)  # a failure counted past the limit
    with pytest.raises(Limited):
        limits.take_up_to(s, RULE, "client:a", 1, T0)
    assert s.exec(select(RateLimit.hits)).one() == 4


def test_two_workers_cannot_both_take_the_last_hits_at_once(db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite lets one writer at a time hold the database; the race is PostgreSQL's")
    with db.session(db_url) as first:
        limits.take(first, RULE, "client:a", T0)
    with db.session(db_url) as one, db.session(db_url) as two:
        one.exec(select(RateLimit)).one()  # both have read the row with one hit, two left
        two.exec(select(RateLimit)).one()
        assert limits.take_up_to(one, RULE, "client:a", 2, T0).hits == 2
        one.commit()
        with pytest.raises(Limited):
            limits.take_up_to(two, RULE, "client:a", 2, T0)
