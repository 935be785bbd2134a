"""The nudge report: counting by the words shown over a period (SQLite and PostgreSQL), ranking, bad periods."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app import db
from app.content import live
from app.nudges.demo import seed_demo_nudges
from app.nudges.events import NudgeEvent, checked_event
from app.nudges.report import (
    LineCounts,
    Period,
    PeriodError,
    line_counts,
    nudge_report,
    period_from,
)
from app.nudges.settings import LINES, NudgeSettings, answer_words

TODAY = date(2026, 11, 30)
WORDS = answer_words(NudgeSettings())


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def add(s, text: str, place: int, when: datetime, **actions: int) -> None:
    for action, n in actions.items():
        s.add_all(NudgeEvent(line=place, line_text=text, action=action, created_at=when) for _ in range(n))


@pytest.mark.parametrize(
    ("choice", "start", "end", "expected"),
    [
        ("7", "", "", Period(date(2026, 11, 24), TODAY)),
        ("30", "", "", Period(date(2026, 11, 1), TODAY)),
        ("90", "", "", Period(date(2026, 9, 2), TODAY)),
        ("range", "2026-10-01", "2026-10-31", Period(date(2026, 10, 1), date(2026, 10, 31))),
        ("range", "2026-11-29", "2027-01-01", Period(date(2026, 11, 29), TODAY)),  # no reports from the future
    ],
)
def test_periods(choice, start, end, expected):
    assert period_from(choice, start, end, TODAY) == expected


@pytest.mark.parametrize(
    ("choice", "start", "end", "message"),
    [
        (
            "range",
            "2026-11-20",
            "2026-11-02",
            "The from date (20 November 2026) is after the to date (2 November 2026)",
        ),
        ("range", "", "2026-11-02", "Pick both dates"),
        ("range", "2026-13-01", "2026-11-02", "The from date '2026-13-01' isn't a date"),
        ("range", "2026-12-05", "2026-12-09", "still to come"),
        ("365", "", "", "Pick a period"),
    ],
)
def test_a_bad_period_says_what_to_pick(choice, start, end, message):
    with pytest.raises(PeriodError, match=re.escape(message)):
        period_from(choice, start, end, TODAY)


def test_counts_by_the_words_shown_within_the_period(db_session):
    add(db_session, "Go for a drive.", 0, at(10), shown=3, road=2, snooze=1)
    add(db_session, "Go for a drive.", 4, at(12), shown=1, off=1)  # the same words, moved in the pool
    add(db_session, "Go for a spin.", 0, at(20), shown=2, road=1)  # the line after an edit: a row of its own
    add(db_session, "", 2, at(15), shown=1)  # words not recorded: counted by place
    add(db_session, "Go for a drive.", 0, at(9, 23), shown=5)  # the day before the period
    add(db_session, "Go for a drive.", 0, at(21, 0), shown=7)  # the day after
    db_session.flush()
    counts = line_counts(db_session, Period(date(2026, 11, 10), date(2026, 11, 20)))
    assert sorted(counts, key=lambda c: (c.line, c.place)) == [
        LineCounts("", 2, shown=1),
        LineCounts("Go for a drive.", 0, shown=4, road=2, snooze=1, off=1),
        LineCounts("Go for a spin.", 0, shown=2, road=1),
    ]


def test_best_first_worst_last_with_bars_that_add_up():
    counts = [
        LineCounts("Meh.", 1, shown=10, road=3, snooze=3, off=3),
        LineCounts("Lands.", 0, shown=10, road=8, snooze=1),
        LineCounts("Grates.", 2, shown=6, road=1, off=4),
        LineCounts("New, barely shown.", 3, shown=2, road=2),
        LineCounts("", 5, shown=1),
    ]
    report = nudge_report(counts, Period(date(2026, 11, 1), TODAY), WORDS)
    assert [(r.line, r.verdict) for r in report.rows] == [
        ("Lands.", "Best"),
        ("Meh.", ""),
        ("Grates.", "Worst"),
        ("New, barely shown.", ""),  # too few shows to judge
        ("Line 6 (words not recorded)", ""),
    ]
    assert report.total_shown == 29 and report.period == "1 November 2026 – 30 November 2026"
    assert report.headline == (
        "Best: “Lands.” (80% back to the road). Worst: “Grates.” (17% back to the road, "
        "67% don't nudge me on this device)."
    )
    for row in report.rows:
        assert row.road_width + row.snooze_width + row.off_width + row.unanswered_width == 100
    meh = report.rows[1]
    assert (meh.road_width, meh.snooze_width, meh.off_width, meh.unanswered_width) == (30, 30, 30, 10)
    assert (meh.road_share, meh.off_share, meh.unanswered) == ("30%", "30%", 1)


def test_no_best_or_worst_from_too_few_nudges():
    report = nudge_report([LineCounts("Alone.", 0, shown=9, road=9)], Period(TODAY, TODAY), WORDS)
    assert report.rows[0].verdict == "" and report.headline.startswith("Too few nudges")
    assert report.period == "30 November 2026"


def test_a_report_keeps_the_words_the_browser_showed(db_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    live.forget_published()
    # The pool was edited after the tab opened: the words shown are kept only if still in the pool.
    assert checked_event({"action": "shown", "line": 1, "text": LINES[3]}).line_text == LINES[3]
    assert checked_event({"action": "shown", "line": 1, "text": "An old line"}).line_text == ""
    assert checked_event({"action": "shown", "line": 1}).line_text == LINES[1]  # a browser with the old script


def test_the_demo_has_nudge_reports_once(db_url):
    with db.session(db_url) as s:
        added = seed_demo_nudges(s, datetime.now(UTC))
    with db.session(db_url) as s:
        assert seed_demo_nudges(s) == 0
        assert len(s.exec(select(NudgeEvent)).all()) == added > 600
        report = nudge_report(
            line_counts(s, period_from("30", "", "", datetime.now(UTC).date())), Period(TODAY, TODAY), WORDS
        )
    assert report.rows[0].verdict == "Best" and report.rows[-1].verdict == "Worst"


def test_an_answer_just_after_midnight_counts_on_its_day(db_session):
    # Days are UTC days, the end day included whole.
    add(db_session, "Late.", 0, at(20, 23) + timedelta(minutes=59), shown=1)
    db_session.flush()
    assert [c.shown for c in line_counts(db_session, Period(date(2026, 11, 20), date(2026, 11, 20)))] == [1]
