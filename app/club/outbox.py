"""The outbox: every mail is a row first (sent later by the mailer), and never the same mail twice."""

from datetime import UTC, datetime

from sqlmodel import Field, Session, SQLModel, select


class OutboxMail(SQLModel, table=True):
    """One mail to one person; `dedupe_key` (e.g. "confirmation:MJ4K7QX2") makes a second copy impossible."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    recipient: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body_text: str
    dedupe_key: str = Field(unique=True, max_length=120)
    order_id: int | None = Field(default=None, foreign_key="orders.id", index=True)
    status: str = Field(default="queued", max_length=20)
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


def queue_mail(session: Session, **fields) -> OutboxMail:
    """Queue a mail unless one with the same dedupe key exists; returns the row either way."""
    existing = session.exec(select(OutboxMail).where(OutboxMail.dedupe_key == fields["dedupe_key"])).first()
    if existing is not None:
        return existing
    mail = OutboxMail(**fields)
    session.add(mail)
    session.flush()
    return mail
