"""New-feature notes: marketing's announcement to the owners who asked for club news, previewed and tested first."""

import re
import secrets

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from app.club.compose import RenderedMail, letter, render_copy
from app.club.outbox import OutboxMail, queue_mail
from app.club.preferences import MailOptOut, email_key, unsubscribe_url
from app.club.templates import TemplateError
from app.content.markdown import CopyError, check_copy
from app.orders.models import Order

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
PREVIEW_ADDRESS = "owner@example.com"


class FeatureNoteError(ValueError):
    """A note we won't send; the message tells marketing what to fix. Nothing was queued."""


def _words(subject: str, body_markdown: str) -> RenderedMail:
    try:
        subject = check_copy(subject, max_chars=150, what="the subject")
        if "\n" in subject:
            raise CopyError("The subject must be one line.")
        body = check_copy(body_markdown, max_chars=20_000, what="the note")
        return render_copy(subject, body, {})
    except (CopyError, TemplateError) as error:
        raise FeatureNoteError(str(error)) from None


def feature_note_preview(subject: str, body_markdown: str) -> RenderedMail:
    """The whole letter exactly as an owner will see it (with a sample unsubscribe link); FeatureNoteError if bad."""
    return letter(
        _words(subject, body_markdown), unsubscribe=unsubscribe_url(PREVIEW_ADDRESS, "club_news"), topic="club_news"
    )


def club_members(session: Session) -> list[str]:
    """One address per owner who opted in to club news and hasn't unsubscribed since."""
    left = set(session.exec(select(MailOptOut.email).where(MailOptOut.topic == "club_news")).all())
    members: dict[str, str] = {}
    for email in session.exec(select(Order.customer_email).where(Order.club_news == True).order_by(col(Order.id))):  # noqa: E712
        if email_key(email) not in left:
            members.setdefault(email_key(email), email)
    return list(members.values())


def queue_feature_note(
    session: Session, *, slug: str, subject: str, body_markdown: str, test_to: str | None = None
) -> int:
    """Queue the note for every club member (once each: `feature:<slug>:<email>`); returns how many were queued.

    With `test_to`, only that address gets it (marketing checking their own inbox first), as often as asked.
    """
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise FeatureNoteError("The note's short name uses lower-case letters, digits and dashes (up to 60).")
    words = _words(subject, body_markdown)
    if test_to is not None:
        try:
            address = validate_email(test_to.strip(), check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise FeatureNoteError(f"The test address doesn't look right: {error}") from None
        _queue(session, words, "feature_note_test", address, f"feature-test:{slug}:{secrets.token_hex(8)}")
        return 1
    queued = 0
    for email in club_members(session):
        key = f"feature:{slug}:{email_key(email)}"
        if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is None:
            _queue(session, words, "feature_note", email, key)
            queued += 1
    return queued


def _queue(session: Session, words: RenderedMail, kind: str, recipient: str, key: str) -> None:
    queue_mail(
        session,
        kind=kind,
        recipient=recipient,
        subject=words.subject,
        body_text=words.text,
        body_html=words.html,
        dedupe_key=key,
    )
