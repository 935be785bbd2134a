"""Turning copy into a club letter: Markdown to HTML and text, the letterhead, and the MIME message."""

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlmodel import Session

from app.club.outbox import OutboxMail, queue_mail
from app.club.preferences import TOPIC_OF_KIND, TOPICS, unsubscribe_url
from app.club.templates import fill
from app.content.markdown import markdown_text, render_markdown
from app.orders.models import Order

PICTURE_CID = "car-picture@motorjoy"
# RFC 5322's own line limit: with the default 78 a long List-Unsubscribe URL would be folded into an
# encoded word, which mail clients don't recognise as a link.
MAIL_POLICY = policy.default.clone(max_line_length=998)
INK, MUTED, ACCENT, PAPER, CARD, RULE = "#21201C", "#63635E", "#D13415", "#F9F9F8", "#FFFFFF", "#E9E8E6"
FONT = "Helvetica,Arial,sans-serif"
_UNSTYLED_LINK = re.compile(r"<a (?![^>]*\bstyle=)")  # a link that brings its own look (a button) keeps it
_URL = re.compile(r"https?://[^\s<>\"]+")
# Every ASCII punctuation mark can be backslash-escaped in CommonMark, so a value never becomes markup.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class RenderedMail:
    """One mail's words, ready to send or preview: `html` is a fragment or the whole letter."""

    subject: str
    html: str
    text: str


def queue_words(
    session: Session,
    order: Order,
    kind: str,
    key: str,
    words: RenderedMail,
    now: datetime | None = None,
    picture: bytes | None = None,
) -> OutboxMail:
    """Queue `words` to the order's customer once (by `key`), due at `now` (the row's default: at once).

    `picture` (a JPEG of the car) goes inline at the top of the letter, as on the birthday card.
    """
    when = {} if now is None else {"created_at": now, "next_attempt_at": now}
    return queue_mail(
        session,
        kind=kind,
        recipient=order.customer_email,
        subject=words.subject,
        body_text=words.text,
        body_html=words.html,
        dedupe_key=key,
        order_id=order.id,
        picture=picture,
        **when,
    )


def markdown_escaped(value: str) -> str:
    """A value as literal Markdown text: `<b>x</b>` or `*x*` in a nickname stays exactly that, as text."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(value.split()))


def render_copy(subject: str, body_markdown: str, values: dict[str, str]) -> RenderedMail:
    """Copy with its placeholders filled: the subject as plain text, the body as an HTML fragment and text."""
    body = fill(body_markdown, values, markdown_escaped)
    return RenderedMail(
        subject=" ".join(fill(subject, values).split()), html=render_markdown(body), text=markdown_text(body)
    )


def text_as_html(text: str) -> str:
    """Plain-text mail (as queued by older code) as HTML paragraphs with clickable links."""
    paragraphs = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join(f"<p>{_linked(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def _linked(text: str) -> str:
    pieces, last = [], 0
    for match in _URL.finditer(text):
        url = match.group(0)
        pieces += [html.escape(text[last : match.start()]), f'<a href="{html.escape(url)}">{html.escape(url)}</a>']
        last = match.end()
    return "".join(pieces) + html.escape(text[last:])


def letter(
    content: RenderedMail, *, unsubscribe: str = "", topic: str = "", with_picture: bool = False
) -> RenderedMail:
    """The content on the club's letterhead: one narrow column (max 560 px), inline styles, footer with the way out."""
    footer_text = "You're getting this because you ordered a Motorjoy."
    footer_html = html.escape(footer_text)
    text = content.text.rstrip() + "\n\n-- \n" + footer_text
    if unsubscribe:
        what = html.escape(TOPICS[topic])
        footer_html += f' <a href="{html.escape(unsubscribe)}" style="color:{MUTED}">Stop {what}</a> in one click.'
        text += f"\nStop {TOPICS[topic]}: {unsubscribe}"
    rows = [_row(f"padding:18px 24px;background:{ACCENT};color:#FFFFFF;font:700 18px/1.2 {FONT}", "Motorjoy Club")]
    if with_picture:
        image = (
            f'<img src="cid:{PICTURE_CID}" width="560" alt="Your car, exactly as ordered" '
            'style="display:block;width:100%;max-width:560px;height:auto;border:0">'
        )
        rows.append(_row("padding:0", image))
    rows.append(_row(f"padding:20px 24px;color:{INK};font:16px/1.55 {FONT}", _paragraph_styles(content.html)))
    rows.append(
        _row(f"padding:14px 24px 22px;color:{MUTED};font:13px/1.5 {FONT};border-top:1px solid {RULE}", footer_html)
    )
    page = (
        '<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(content.subject)}</title></head>\n"
        f'<body style="margin:0;padding:0;background:{PAPER}">\n'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:{PAPER}">'
        '<tr><td align="center" style="padding:16px 8px">\n'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'style="max-width:560px;background:{CARD};border-radius:12px;overflow:hidden">\n'
        + "\n".join(rows)
        + "\n</table></td></tr></table>\n</body></html>\n"
    )
    return RenderedMail(content.subject, page, text + "\n")


def _row(style: str, inner: str) -> str:
    return f'<tr><td style="{style}">{inner}</td></tr>'


def _paragraph_styles(fragment: str) -> str:
    # Mail clients drop <style> blocks, so every element carries its own look.
    fragment = fragment.replace("<p>", '<p style="margin:0 0 14px">')
    fragment = fragment.replace("<ul>", '<ul style="margin:0 0 14px;padding-left:20px">')
    return _UNSTYLED_LINK.sub(f'<a style="color:{ACCENT}" ', fragment)


def letter_for(mail: OutboxMail) -> RenderedMail:
    """The whole letter one outbox row becomes, with the recipient's own unsubscribe link."""
    topic = TOPIC_OF_KIND.get(mail.kind, "")
    content = RenderedMail(mail.subject, mail.body_html or text_as_html(mail.body_text), mail.body_text)
    link = unsubscribe_url(mail.recipient, topic) if topic else ""
    return letter(content, unsubscribe=link, topic=topic, with_picture=mail.picture is not None)


def message_for(mail: OutboxMail, sender: str, now: datetime) -> EmailMessage:
    """The MIME message: text and HTML alternatives, the picture inline (cid), one-click unsubscribe headers."""
    words = letter_for(mail)
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = words.subject
    message["From"] = sender
    message["To"] = mail.recipient
    message["Date"] = format_datetime(now)
    # The same mail always has the same Message-ID, so a receiver can drop a copy resent after a crash.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "motorjoy.example"
    message["Message-ID"] = f"<{hashlib.sha256(mail.dedupe_key.encode()).hexdigest()[:32]}@{domain}>"
    topic = TOPIC_OF_KIND.get(mail.kind)
    if topic:
        message["List-Unsubscribe"] = f"<{unsubscribe_url(mail.recipient, topic)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(words.text)
    message.add_alternative(words.html, subtype="html")
    if mail.picture is not None:
        # set_content then add_alternative made a multipart of [text, html]: the picture goes with the html.
        html_part = list(message.iter_parts())[1]
        html_part.add_related(mail.picture, "image", "jpeg", cid=f"<{PICTURE_CID}>", filename="car.jpg")
    return message
