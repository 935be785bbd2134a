"""Who wants which mail: the buyer's opt-ins on the order, and the opt-outs from unsubscribe links."""

import binascii
import hashlib
import hmac
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from app import settings
from app.club.outbox import OutboxMail
from app.orders.models import Order

# Each kind of mail belongs to one topic a person can leave; the order confirmation and staff test
# sends belong to none (a buyer must get their confirmation), though the confirmation's footer offers
# the order-news link so they can stop what follows.
TOPICS = {
    "order_news": "news about your order (each stage and any delay)",
    "birthday": "your car's birthday cards",
    "club_news": "club news about new things on the site",
}
TOPIC_OF_KIND = {
    "order_confirmation": "order_news",
    "stage_news": "order_news",
    "delay_notice": "order_news",
    "birthday_card": "birthday",
    "feature_note": "club_news",
    "feature_note_test": "club_news",
    "referral_ordered": "club_news",
    "referral_delivered": "club_news",
}
ALWAYS_SENT = frozenset({"order_confirmation", "feature_note_test"})


class MailOptOut(SQLModel, table=True):
    """Someone who asked, through a mail's unsubscribe link, for no more mail on one topic."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (sa.UniqueConstraint("email", "topic", name="uq_mail_opt_outs_email_topic"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    topic: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


def email_key(email: str) -> str:
    """Addresses compare without case, so "Fiona@Example.com" and "fiona@example.com" are one person."""
    return email.strip().lower()


def opted_out(session: Session, email: str, topic: str) -> bool:
    query = select(MailOptOut.id).where(MailOptOut.email == email_key(email), MailOptOut.topic == topic)
    return session.exec(query).first() is not None


def wants(session: Session, kind: str, email: str) -> bool:
    """Whether this person still wants this kind of mail (checked when queuing and again when sending)."""
    if kind in ALWAYS_SENT:
        return True
    topic = TOPIC_OF_KIND.get(kind)
    return topic is None or not opted_out(session, email, topic)


def opt_out(session: Session, email: str, topic: str) -> None:
    """Record the opt-out; doing it twice (a double click, a mail scanner and a person) is harmless."""
    if topic not in TOPICS:
        raise ValueError(f"Unknown mail topic {topic!r}; topics are {', '.join(TOPICS)}.")
    if not opted_out(session, email, topic):
        session.add(MailOptOut(email=email_key(email), topic=topic))
        session.flush()


def opt_back_in(session: Session, email: str, topic: str) -> None:
    """Undo an opt-out (the person changed their mind on the unsubscribe page)."""
    for row in session.exec(
        select(MailOptOut).where(MailOptOut.email == email_key(email), MailOptOut.topic == topic)
    ).all():
        session.delete(row)
    session.flush()


def unsubscribe_token(email: str, topic: str) -> str:
    """Who and what, readable, plus a signature: only a link we sent can unsubscribe anyone."""
    payload = _b64(f"{topic}:{email_key(email)}".encode())
    return f"{payload}.{_signature(payload)}"


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    """(email, topic) from a token we signed; None for anything forged, damaged or unknown."""
    payload, dot, signature = (token or "").partition(".")
    if not dot or len(token) > 600 or not _signed_by_us(payload, signature):
        return None
    try:
        topic, colon, email = urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (email, topic) if colon and topic in TOPICS and email else None


def holds_address(session: Session, email: str) -> bool:
    """Whether we still hold this address: on an order, a mail, or an opt-out.

    An unsubscribe link lives exactly that long. It must work for as long as we might mail the
    address, and never after `motorjoy customer erase`: recording an opt-out would store the
    erased address again."""
    key = email_key(email)
    held = (
        select(Order.id).where(sa.func.lower(Order.customer_email) == key),
        select(OutboxMail.id).where(sa.func.lower(OutboxMail.recipient) == key),
        select(MailOptOut.id).where(MailOptOut.email == key),
    )
    return any(session.exec(query.limit(1)).first() is not None for query in held)


def unsubscribe_url(email: str, topic: str) -> str:
    return f"{settings.public_url()}/club/unsubscribe/{unsubscribe_token(email, topic)}"


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).decode().rstrip("=")


def _signature(payload: str, key: bytes | None = None) -> str:
    digest = hmac.new(key or settings.secret_key(), f"unsubscribe:{payload}".encode(), hashlib.sha256).digest()
    return _b64(digest[:18])


def _signed_by_us(payload: str, signature: str) -> bool:
    """Signed by any key still accepted, so a rotated key keeps mailed links working.

    Compared as bytes: compare_digest refuses non-ASCII text, and a hostile link may carry some.
    """
    given = signature.encode()
    return any(hmac.compare_digest(_signature(payload, key).encode(), given) for key in settings.secret_keys())
