"""The outbox: every mail is a row first (sent later by the mailer), and never the same mail twice."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, col, select

from app.orders.models import utcnow

# What happens to a row: queued → sending (claimed by one mailer) → sent, or back to queued with a
# later next_attempt_at; held (daily cap reached) is retried after the window; failed and skipped are final.
STATUSES = ("queued", "sending", "sent", "failed", "held", "skipped")


class OutboxMail(SQLModel, table=True):
    """One mail to one person; `dedupe_key` (e.g. "confirmation:MJ4K7QX2") makes a second copy impossible.

    `body_text`/`body_html` are the mail's own words; the club's letterhead, footer and unsubscribe
    link are added when it is sent (app/club/compose.py), so older rows get them too.
    """

    __tablename__ = "outbox"
    __table_args__ = (sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    recipient: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=200)
    body_text: str
    body_html: str = ""
    # The car's picture for the birthday card (JPEG), sent inline; kept with the row so the mail is
    # exactly what was composed, whatever the catalogue does afterwards.
    picture: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    dedupe_key: str = Field(unique=True, max_length=400)  # e.g. "feature:<slug>:<email>"
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    status: str = Field(default="queued", max_length=20)
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claim_token: str = Field(default="", max_length=32)
    claimed_until: datetime | None = None
    sent_at: datetime | None = Field(default=None, index=True)


def queue_mail(session: Session, **fields) -> OutboxMail:
    """Queue a mail unless one with the same dedupe key exists; returns the row either way."""
    existing = session.exec(select(OutboxMail).where(OutboxMail.dedupe_key == fields["dedupe_key"])).first()
    if existing is not None:
        return existing
    mail = OutboxMail(**fields)
    session.add(mail)
    session.flush()
    return mail


def mails_about(session: Session, order_id: int | None) -> list[tuple[str, str, datetime]]:
    """Every mail about one order, oldest first, as (subject, status, queued at) for the dealer's desk."""
    rows = session.exec(
        select(OutboxMail.subject, OutboxMail.status, OutboxMail.created_at)
        .where(OutboxMail.order_id == order_id)
        .order_by(col(OutboxMail.created_at))
    )
    return [(subject, status, created_at) for subject, status, created_at in rows]
