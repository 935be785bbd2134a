"""Thin state for the studio's Nudge report tab: the period picked, and the report it gives."""

from datetime import UTC, datetime

import reflex as rx

from app import db
from app.content import live
from app.nudges.report import RANGE, PeriodError, line_counts, nudge_report, period_from
from app.nudges.report import ReportRow as ReportRow
from app.nudges.settings import answer_words, nudge_settings
from app.signin.state import NotAllowed, StaffState
from app.studio.state import NOT_ALLOWED
from app.ui.handlers import event


class NudgeReportState(StaffState):
    choice: str = "30"  # "7", "30", "90" or "range"
    start: str = ""  # the from–to dates, as the date fields give them (YYYY-MM-DD)
    end: str = ""
    period: str = ""  # the period the report shows, in words
    rows: rx.Field[list[ReportRow]] = rx.field([])
    total_shown: int = 0
    headline: str = ""
    answers: dict[str, str] = {}
    error: str = ""

    def _show(self, choice: str, start: str, end: str) -> None:
        """Report on the period; a bad one says why and leaves the report as it was."""
        self.error = ""
        try:
            with db.session() as s:
                self._staff(s, "marketing")
                period = period_from(choice, start, end, datetime.now(UTC).date())
                counts = line_counts(s, period)
        except NotAllowed:
            self.error, self.rows, self.headline, self.period, self.total_shown = NOT_ALLOWED, [], "", "", 0
            return
        except PeriodError as problem:
            self.error = str(problem)
            return
        words = answer_words(nudge_settings(live.values()))
        report = nudge_report(counts, period, words)
        self.choice, self.start, self.end, self.answers = choice, start, end, words
        self.period, self.rows, self.total_shown, self.headline = (
            report.period,
            report.rows,
            report.total_shown,
            report.headline,
        )

    @event
    def load(self):
        self._show(self.choice, self.start, self.end)

    @event
    def pick(self, choice: str):
        """A choice of the period list: the last N days report at once; "range" waits for the dates."""
        choice = str(choice)
        if choice == RANGE:
            self.choice, self.error = RANGE, ""
            return
        self._show(choice, "", "")

    @event
    def show_range(self, form: dict):
        self._show(RANGE, str(form.get("start", ""))[:10], str(form.get("end", ""))[:10])
