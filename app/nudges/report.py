"""The nudge report: per line, how often it was shown and how people answered, over a period (plain Python).

A line is counted by its words as stored with each report (`NudgeEvent.line_text`), not by its place
in the pool: after marketing edits the lines, an edited line starts a row of its own and the old words
keep theirs, so a rewrite can be judged against the original. Reports whose words are unknown (stored
before the words were kept, or naming a line no longer in the pool) are counted by their place, under
"Line 3 (words not recorded)", and never ranked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.nudges.events import NudgeEvent

PERIODS = {"7": 7, "30": 30, "90": 90}
RANGE = "range"
# Fewer shows than this say nothing about a line: it is listed, not called best or worst.
MIN_SHOWN_TO_RANK = 5
ANSWERS = ("road", "snooze", "off")
_ACTION_FIELDS = ("shown", *ANSWERS)


class PeriodError(ValueError):
    """A period we can't report on; the message says what to pick instead."""


@dataclass(frozen=True)
class Period:
    start: date  # first day counted (UTC)
    end: date  # last day counted (UTC), inclusive

    @property
    def label(self) -> str:
        return f"{_day(self.start)} – {_day(self.end)}" if self.start != self.end else _day(self.start)

    def bounds(self) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, time(), UTC), datetime.combine(self.end + timedelta(days=1), time(), UTC)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_from(choice: str, start_text: str, end_text: str, today: date) -> Period:
    """The period picked in the studio: the last 7/30/90 days up to today, or a from–to pair of ISO dates."""
    if choice in PERIODS:
        return Period(today - timedelta(days=PERIODS[choice] - 1), today)
    if choice != RANGE:
        raise PeriodError("Pick a period: the last 7, 30 or 90 days, or your own dates.")
    if not start_text.strip() or not end_text.strip():
        raise PeriodError("Pick both dates: from and to.")
    start, end = _date(start_text, "from"), _date(end_text, "to")
    if start > end:
        raise PeriodError(f"The from date ({_day(start)}) is after the to date ({_day(end)}): swap them.")
    if start > today:
        raise PeriodError(f"The from date ({_day(start)}) is still to come: nothing has been reported yet.")
    return Period(start, min(end, today))


def _date(text: str, which: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"The {which} date {text.strip()!r} isn't a date; pick one like 2026-11-01.") from None


@dataclass(frozen=True)
class LineCounts:
    """What one line's reports add up to in a period."""

    line: str  # the words, or "" when unknown
    place: int  # where it sat in the pool (for unknown words, the only way to tell them apart)
    shown: int = 0
    road: int = 0
    snooze: int = 0
    off: int = 0


def line_counts(s: Session, period: Period) -> list[LineCounts]:
    """Per line (by its words), how often it was shown and each answer given, in the period."""
    start, end = period.bounds()
    query = (
        select(NudgeEvent.line_text, NudgeEvent.line, NudgeEvent.action, func.count())
        .where(col(NudgeEvent.created_at) >= start, col(NudgeEvent.created_at) < end)
        .group_by(col(NudgeEvent.line_text), col(NudgeEvent.line), col(NudgeEvent.action))
    )
    tallies: dict[tuple[str, int], dict[str, int]] = {}
    places: dict[str, int] = {}
    for text, place, action, count in s.exec(query):
        # Known words are one line wherever they sat; unknown ones only their place tells apart.
        key = (text, -1) if text else ("", place)
        places[text] = min(places.get(text, place), place)
        row = tallies.setdefault(key, {})
        row[action] = row.get(action, 0) + count
    return [
        LineCounts(text, places[text] if text else place, **{a: n for a, n in row.items() if a in _ACTION_FIELDS})
        for (text, place), row in tallies.items()
    ]


@dataclass(frozen=True)
class ReportRow:
    """One line of the report; the `*_width` values are whole percentages of the bar, summing to 100."""

    line: str
    shown: int
    road: int
    snooze: int
    off: int
    unanswered: int
    road_share: str  # "62%"
    off_share: str
    verdict: str  # "Best", "Worst" or ""
    road_width: int
    snooze_width: int
    off_width: int
    unanswered_width: int


@dataclass(frozen=True)
class NudgeReport:
    period: str
    rows: list[ReportRow] = field(default_factory=list)
    total_shown: int = 0
    headline: str = ""  # best and worst, in a sentence


def nudge_report(counts: list[LineCounts], period: Period, answer_words: Mapping[str, str]) -> NudgeReport:
    """The report as the studio shows it: best line first, worst last, unranked lines after them."""
    ranked = sorted((c for c in counts if _rankable(c)), key=lambda c: (_score(c), c.shown), reverse=True)
    others = sorted((c for c in counts if not _rankable(c)), key=lambda c: (c.line == "", -c.shown, c.place))
    best = ranked[0] if len(ranked) >= 2 else None
    worst = ranked[-1] if len(ranked) >= 2 and _score(ranked[-1]) < _score(ranked[0]) else None
    rows = [_row(c, "Best" if c is best else "Worst" if c is worst else "") for c in ranked + others]
    return NudgeReport(period.label, rows, sum(c.shown for c in counts), _headline(best, worst, answer_words))


def _rankable(c: LineCounts) -> bool:
    return bool(c.line) and c.shown >= MIN_SHOWN_TO_RANK


def _score(c: LineCounts) -> tuple[float, float]:
    # A line lands when people go back to the road; between equals, the one fewer switch off is better.
    return (c.road / c.shown, -c.off / c.shown)


def _row(c: LineCounts, verdict: str) -> ReportRow:
    unanswered = max(0, c.shown - c.road - c.snooze - c.off)  # a nudge shown just before the period answers in it
    widths = _whole_percentages([c.road, c.snooze, c.off, unanswered])
    return ReportRow(
        c.line or f"Line {c.place + 1} (words not recorded)",
        c.shown,
        c.road,
        c.snooze,
        c.off,
        unanswered,
        _share(c.road, c.shown),
        _share(c.off, c.shown),
        verdict,
        *widths,
    )


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _whole_percentages(parts: list[int]) -> list[int]:
    """Whole percentages of the total that add up to exactly 100 (largest remainders), or all 0."""
    total = sum(parts)
    if not total:
        return [0] * len(parts)
    exact = [100 * p / total for p in parts]
    whole = [int(x) for x in exact]
    for i in sorted(range(len(parts)), key=lambda i: whole[i] - exact[i])[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def _headline(best: LineCounts | None, worst: LineCounts | None, words: Mapping[str, str]) -> str:
    if best is None:
        return f"Too few nudges to call a best or worst line yet: a line needs {MIN_SHOWN_TO_RANK} shows."
    said = f"Best: “{best.line}” ({_share(best.road, best.shown)} {words['road'].lower()})."
    if worst is not None:
        said += f" Worst: “{worst.line}” ({_share(worst.road, worst.shown)} {words['road'].lower()}, "
        said += f"{_share(worst.off, worst.shown)} {words['off'].lower()})."
    return said
