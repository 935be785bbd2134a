"""Thin state for the studio's Mail tab: the outbox at a glance, the mail viewer, and new-feature notes."""

import html
import re
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session, col, select

from app import db
from app.club.delivery import failed_mail, held_mail, mail_overview
from app.club.feature_notes import FeatureNoteError, club_members, feature_note_preview, queue_feature_note
from app.club.outbox import OutboxMail
from app.club.templates import template
from app.content import live
from app.signin.state import NotAllowed, StaffState
from app.studio.state import NOT_ALLOWED
from app.ui.handlers import event


@dataclass(frozen=True)
class MailCount:
    status: str
    count: int


@dataclass(frozen=True)
class TroubleRow:
    """A failed or held mail, and why."""

    status: str
    recipient: str
    subject: str
    reason: str


@dataclass(frozen=True)
class RecentMail:
    id: str  # the handler `read` gets it back from the page
    when: str
    kind: str
    recipient: str
    subject: str
    status: str


def mail_rows(s: Session) -> tuple[list[MailCount], list[TroubleRow], list[RecentMail]]:
    """What the mail tab lists: how many mails in each state, the ones needing a look, the 15 latest."""
    counts = [MailCount(status, n) for status, n in mail_overview(s).items()]
    trouble = [
        TroubleRow(m.status, m.recipient, m.subject, m.last_error) for m in failed_mail(s, 20) + held_mail(s, 20)
    ]
    rows = s.exec(select(OutboxMail).order_by(col(OutboxMail.id).desc()).limit(15)).all()
    recent = [
        RecentMail(str(m.id), m.created_at.strftime("%-d %b, %H:%M"), m.kind, m.recipient, m.subject, m.status)
        for m in rows
    ]
    return counts, trouble, recent


class MailDeskState(StaffState):
    counts: list[MailCount] = []
    trouble: rx.Field[list[TroubleRow]] = rx.field([])
    recent: list[RecentMail] = []
    viewing: str = ""  # the HTML of the mail being read (shown in a sandboxed frame)
    subject: str = ""
    body: str = ""
    members: int = 0
    preview_html: str = ""
    notice: str = ""
    error: str = ""

    def _run(self, action) -> bool:
        self.notice = self.error = ""
        try:
            with db.session() as s:
                user = self._staff(s, "marketing")
                action(s, user)
        except NotAllowed:
            self.error = NOT_ALLOWED
            return False
        except FeatureNoteError as problem:
            self.error = str(problem)
            return False
        return True

    def _refresh(self, s, _user) -> None:
        self.counts, self.trouble, self.recent = mail_rows(s)
        self.members = len(club_members(s))
        if not self.subject:
            note = template("feature_note", live.values())
            self.subject, self.body = note.subject, note.body

    @event
    def load(self):
        self._run(self._refresh)

    @event
    def read(self, mail_id: str):
        def action(s, _user):
            mail = s.get(OutboxMail, int(mail_id))
            # A plain-text mail is text: a customer's name like "<img src=…>" must show as typed, not load.
            self.viewing = (mail.body_html or f"<pre>{html.escape(mail.body_text)}</pre>") if mail else ""

        self._run(action)

    @event
    def set_subject(self, text: str):
        self.subject = text[:200]

    @event
    def set_body(self, text: str):
        self.body = text[:6000]

    @event
    def preview(self):
        self._run(lambda _s, _u: setattr(self, "preview_html", feature_note_preview(self.subject, self.body).html))

    @event
    def send_test(self):
        if self._run(lambda s, user: self._queue(s, test_to=user.email)):
            self._run(self._refresh)
            self.notice = "A test is on its way to your own inbox (it goes out with the next mail run)."

    @event
    def send_to_members(self):
        counted = []
        if self._run(lambda s, _user: counted.append(self._queue(s))):
            self._run(self._refresh)  # clears the notice, so the notice comes after
            self.notice = f"Queued for {counted[0]} club members; each gets it once, however often you press."

    def _queue(self, s, test_to: str | None = None) -> int:
        slug = "-".join(re.findall(r"[a-z0-9]+", self.subject.lower()))[:60] or "note"
        return queue_feature_note(s, slug=slug, subject=self.subject, body_markdown=self.body, test_to=test_to)
