"""The published values each process keeps: on an event loop a stale copy answers while the recheck runs aside."""

import asyncio
import logging
import threading

import pytest

from app.content import live

FIRST, SECOND, THIRD = ({"announcement": {"text": words}} for words in ("first", "second", "third"))


class Published:
    """The database's answers, with the loop's default thread pool held at `release` until told to go."""

    def __init__(self) -> None:
        self.revision, self.values = 1, FIRST
        self.release = threading.Event()
        self.release.set()
        self.reads_aside = 0

    def read_revision(self, _session) -> int:
        return self.revision

    def read_values(self, _session) -> dict:
        values = self.values  # what the database held when this read began
        if threading.current_thread() is not threading.main_thread():
            self.reads_aside += 1
            assert self.release.wait(10), "the test never let the recheck go"
        return values

    def publish(self, revision: int, values: dict) -> None:
        self.revision, self.values = revision, values


@pytest.fixture
def published(db_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    answers = Published()
    monkeypatch.setattr(live.store, "revision", answers.read_revision)
    monkeypatch.setattr(live.store, "published_values", answers.read_values)
    live.forget_published()
    assert live.published_values() == FIRST  # off the loop: read at once
    monkeypatch.setattr(live, "RECHECK_SECONDS", 0.0)  # every read from here on is stale
    yield answers
    answers.release.set()
    live.forget_published()


async def until(condition, seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


def test_on_the_loop_a_stale_read_answers_with_the_values_in_hand_and_rechecks_aside(published):
    published.publish(2, SECOND)
    published.release.clear()

    async def scenario() -> list[dict]:
        seen = [live.published_values()]  # the recheck waits at `release`: this read must not
        published.release.set()
        await until(lambda: live.published_values() == SECOND)
        return seen

    assert asyncio.run(scenario()) == [FIRST]
    assert published.reads_aside == 1


def test_only_one_recheck_runs_aside_at_a_time(published):
    published.publish(2, SECOND)
    published.release.clear()

    async def scenario() -> list[dict]:
        seen = [live.published_values() for _ in range(50)]
        published.release.set()
        await until(lambda: live.published_values() == SECOND)
        return seen

    assert asyncio.run(scenario()) == [FIRST] * 50
    assert published.reads_aside == 1


def test_a_publish_in_this_process_is_read_at_once_and_a_late_recheck_cannot_undo_it(published):
    published.publish(2, SECOND)
    published.release.clear()

    async def scenario() -> dict:
        live.published_values()  # a recheck aside starts, and reads SECOND
        published.publish(3, THIRD)
        live.forget_published()  # as the studio does after publishing
        assert live.published_values() == THIRD  # read at once, though on the loop
        published.release.set()
        await until(lambda: not live._rechecking.locked())
        return live._published["values"]  # as the late recheck left them

    assert asyncio.run(scenario()) == THIRD


def test_a_failed_recheck_aside_keeps_the_values_in_hand_and_says_so(published, monkeypatch, caplog):
    def unavailable(_session):
        raise ConnectionError("the database is away")

    monkeypatch.setattr(live.store, "revision", unavailable)

    async def scenario() -> dict:
        first = live.published_values()
        await until(lambda: not live._rechecking.locked())
        return first

    with caplog.at_level(logging.WARNING, logger="app.content.live"):
        assert asyncio.run(scenario()) == FIRST
    assert live._published["values"] == FIRST
    assert "the recheck failed; keeping the values in hand" in caplog.text
