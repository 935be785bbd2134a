"""Delivering the outbox: claim a row, check it's still wanted and within the daily cap, send it, record what happened.

Safe to run from several processes at once: a row is claimed by one UPDATE (on PostgreSQL its
sub-select locks with SKIP LOCKED) before anything is sent, and a claim is a lease, so a sender
that dies mid-way leaves rows that are retried once the lease runs out (at-least-once: such a row
might have gone out just before the crash; its fixed Message-ID lets mail clients drop the copy).
"""

import logging
import os
import smtplib
import ssl
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app import db, settings
from app.club.compose import message_for
from app.club.outbox import STATUSES, OutboxMail
from app.club.preferences import wants
from app.files import write_atomically

log = logging.getLogger(__name__)

DEFAULT_SENDER = "Motorjoy Club <club@motorjoy.example>"
SECURITY = ("starttls", "ssl", "none")
MAX_ATTEMPTS = 8
BACKOFF_CAP = timedelta(hours=6)
LEASE = timedelta(minutes=10)  # far longer than one SMTP conversation with its timeout
CAP_WINDOW = timedelta(hours=24)
NEVER_HELD = frozenset({"order_confirmation", "question_answer"})  # a buyer must get these: they asked


class MailSettingsError(ValueError):
    """A mail setting in the environment we can't use; the message names the variable."""


@dataclass(frozen=True)
class MailSettings:
    host: str = ""  # empty: no SMTP server, write .eml files into the data directory
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = ""
    sender: str = DEFAULT_SENDER
    timeout: float = 20.0
    daily_cap: int = 4
    every_seconds: int = 60

    @classmethod
    def from_env(cls) -> "MailSettings":
        """MOTORJOY_SMTP_* and MOTORJOY_MAIL_* from the environment; MailSettingsError names a bad one."""
        security = os.environ.get("MOTORJOY_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SECURITY:
            raise MailSettingsError(f"MOTORJOY_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}.")
        return cls(
            host=os.environ.get("MOTORJOY_SMTP_HOST", "").strip(),
            port=_number("MOTORJOY_SMTP_PORT", 587, 1, 65535),
            security=security,
            user=os.environ.get("MOTORJOY_SMTP_USER", ""),
            password=os.environ.get("MOTORJOY_SMTP_PASSWORD", ""),
            sender=os.environ.get("MOTORJOY_MAIL_FROM", "").strip() or DEFAULT_SENDER,
            timeout=_number("MOTORJOY_SMTP_TIMEOUT", 20, 1, 300),
            daily_cap=_number("MOTORJOY_MAIL_DAILY_CAP", 4, 1, 1000),
            every_seconds=_number("MOTORJOY_MAIL_EVERY_SECONDS", 60, 0, 86400),
        )


def _number(name: str, default: int, low: int, high: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise MailSettingsError(f"{name} must be a whole number from {low} to {high}, not {text!r}.")
    return int(text)


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...
    def close(self) -> None: ...


class SmtpTransport:
    """One SMTP connection per delivery run, opened on the first mail; any error drops it."""

    def __init__(self, config: MailSettings) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(message)
        except Exception:
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        smtp: smtplib.SMTP
        if c.security == "ssl":
            smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            if c.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if c.user:
            smtp.login(c.user, c.password)
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


class EmlFolderTransport:
    """No SMTP server configured (the embedded default): each mail becomes a .eml file you can open."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        name = message["Message-ID"].strip("<>").partition("@")[0] + ".eml"
        # A reader never sees half a mail, and a resend replaces rather than duplicates.
        write_atomically(self.folder / name, message.as_bytes())

    def close(self) -> None:
        pass


def transport_for(config: MailSettings) -> Transport:
    return SmtpTransport(config) if config.host else EmlFolderTransport(settings.data_dir() / "outbox-mail")


@dataclass
class DeliveryReport:
    """What one delivery run did, by outcome: sent, retry, failed, held, skipped."""

    outcomes: Counter = field(default_factory=Counter)
    stopped_early: str = ""  # why the run stopped before the outbox was empty (the server is down, ...)

    def summary(self) -> str:
        parts = [f"{self.outcomes[o]} {o}" for o in ("sent", "retry", "failed", "held", "skipped") if self.outcomes[o]]
        return (", ".join(parts) or "nothing to send") + (
            f" (stopped: {self.stopped_early})" if self.stopped_early else ""
        )


def _claimable(now: datetime):
    return sa.or_(
        sa.and_(col(OutboxMail.status).in_(("queued", "held")), col(OutboxMail.next_attempt_at) <= now),
        sa.and_(col(OutboxMail.status) == "sending", col(OutboxMail.claimed_until) < now),  # a dead sender's lease
    )


def claim_next(url: str | None, now: datetime) -> OutboxMail | None:
    """Claim the oldest due row for this sender, or None when nothing is due.

    One UPDATE does it: SQLite takes its write lock at the statement (so two senders queue up rather
    than read the same row), PostgreSQL's sub-select skips rows another sender has locked.
    """
    token = uuid.uuid4().hex
    due = (
        select(OutboxMail.id)
        .where(_claimable(now))
        .order_by(col(OutboxMail.id))
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claim = (
        sa.update(OutboxMail)
        .where(col(OutboxMail.id) == due, _claimable(now))
        .values(status="sending", claim_token=token, claimed_until=now + LEASE)
        # No ORM bookkeeping: it would read before writing, and the write lock must come first.
        .execution_options(synchronize_session=False)
    )
    with db.session(url) as session:
        if session.exec(claim).rowcount == 0:
            return None
    with db.session(url) as session:
        return session.exec(select(OutboxMail).where(OutboxMail.claim_token == token)).first()


def _finish(url: str | None, mail: OutboxMail, **values) -> None:
    """Record the outcome, only if the claim is still ours (a lease taken over is the other sender's now)."""
    with db.session(url) as session:
        session.exec(
            sa.update(OutboxMail)
            .where(col(OutboxMail.id) == mail.id, col(OutboxMail.claim_token) == mail.claim_token)
            .values(claim_token="", claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )


def backoff(attempts: int) -> timedelta:
    """1, 5, 25, 125 minutes, ... capped at six hours."""
    return min(timedelta(minutes=5 ** (attempts - 1)), BACKOFF_CAP)


def cap_frees_at(session: Session, recipient: str, now: datetime, cap: int) -> datetime | None:
    """When this recipient may get mail again if they already had `cap` mails in the last 24 hours; else None."""
    sent = session.exec(
        select(OutboxMail.sent_at)
        .where(
            func.lower(OutboxMail.recipient) == recipient.strip().lower(), col(OutboxMail.sent_at) > now - CAP_WINDOW
        )
        .order_by(col(OutboxMail.sent_at).desc())
    ).all()
    if len(sent) < cap:
        return None
    nth = sent[cap - 1]
    return nth + CAP_WINDOW if nth is not None else None  # the filter above already drops unsent rows


def permanent_failure(error: Exception) -> bool:
    """A 5xx about this mail or address (bad address, content refused): retrying can't help.

    Server trouble, 4xx, timeouts, and also our own login or sender being refused, are retried:
    fixing the configuration must not have lost anyone's mail.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPDataError) and 500 <= error.smtp_code < 600


def deliver_one(url: str | None, mail: OutboxMail, transport: Transport, config: MailSettings, now: datetime) -> str:
    """Send one claimed row and record the outcome; returns it ("sent", "retry", "failed", "held", "skipped")."""
    with db.session(url) as session:
        if not wants(session, mail.kind, mail.recipient):
            _finish(url, mail, status="skipped", last_error="The recipient unsubscribed before it was sent.")
            return "skipped"
        frees_at = None if mail.kind in NEVER_HELD else cap_frees_at(session, mail.recipient, now, config.daily_cap)
    if frees_at is not None:
        note = f"Held: {config.daily_cap} mails already sent to this address in 24 hours."
        _finish(url, mail, status="held", next_attempt_at=frees_at, last_error=note)
        return "held"
    try:
        transport.send(message_for(mail, config.sender, now))
    except (smtplib.SMTPException, OSError) as error:
        attempts = mail.attempts + 1
        reason = f"{type(error).__name__}: {error}"[:500]
        if permanent_failure(error) or attempts >= MAX_ATTEMPTS:
            _finish(url, mail, status="failed", attempts=attempts, last_error=reason)
            return "failed"
        _finish(
            url, mail, status="queued", attempts=attempts, last_error=reason, next_attempt_at=now + backoff(attempts)
        )
        return "retry"
    _finish(url, mail, status="sent", attempts=mail.attempts + 1, sent_at=now, last_error="")
    return "sent"


def deliver_due(
    url: str | None = None,
    *,
    now: datetime | None = None,
    config: MailSettings | None = None,
    transport: Transport | None = None,
    limit: int = 500,
) -> DeliveryReport:
    """Send what is due in the outbox, oldest first, up to `limit` mails.

    A mail that has to be retried ends the run: the server is unwell, and hammering it with the rest
    would only spend their attempts. The rest wait, queued, for the next run.
    """
    now = now or datetime.now(UTC)
    config = config or MailSettings.from_env()
    transport = transport or transport_for(config)
    report = DeliveryReport()
    try:
        for _ in range(limit):
            mail = claim_next(url, now)
            if mail is None:
                break
            outcome = deliver_one(url, mail, transport, config, now)
            report.outcomes[outcome] += 1
            if outcome == "retry":
                report.stopped_early = "the mail server asked us to try later"
                break
    finally:
        transport.close()
    return report


@dataclass(frozen=True)
class MailLine:
    """One mail as staff see it in the overview."""

    id: int
    kind: str
    recipient: str
    subject: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime


def _lines(session: Session, status: str, limit: int) -> list[MailLine]:
    rows = session.exec(
        select(OutboxMail).where(OutboxMail.status == status).order_by(col(OutboxMail.id).desc()).limit(limit)
    ).all()
    return [
        MailLine(
            db.id_of(m),
            m.kind,
            m.recipient,
            m.subject,
            m.status,
            m.attempts,
            m.last_error,
            m.created_at,
            m.next_attempt_at,
        )
        for m in rows
    ]


def failed_mail(session: Session, limit: int = 100) -> list[MailLine]:
    """Mail that will not be sent (bad address, or out of attempts), newest first, with the reason."""
    return _lines(session, "failed", limit)


def held_mail(session: Session, limit: int = 100) -> list[MailLine]:
    """Mail waiting because its recipient reached the daily cap, newest first, with when it will go."""
    return _lines(session, "held", limit)


def mail_overview(session: Session) -> dict[str, int]:
    """How many mails are in each state, for the studio's dashboard (every state present, even at 0)."""
    counts = dict(session.exec(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
    return {status: counts.get(status, 0) for status in STATUSES}
