"""The order's own mail: the confirmation, and an apology the day a stage runs past its normal length.

Orders and the tracker announce what happened (app/events.py); this module decides what to send and
writes it to the outbox with the studio-editable templates. Dedupe keys make a second copy impossible,
whichever worker or job notices first.
"""

import html
import json
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlmodel import Session, select

from app import events, settings
from app.catalog import Catalogue
from app.catalog.pricing import money
from app.club.car_picture import mail_picture
from app.club.compose import ACCENT, FONT, INK, MUTED, RULE, RenderedMail, queue_words, render_copy
from app.club.order_news import queue_stage_news_for
from app.club.outbox import OutboxMail
from app.club.templates import template
from app.content.journey import Journey, journey_with
from app.content.journey import journey as shipped_journey
from app.content.store import published_values
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from app.render import CarPictures
from app.render.live import pictures_for_values
from app.tracking.overdue import overdue_orders
from app.tracking.progress import NO_NICKNAME, Progress, progress


def react(session: Session, event: events.Event) -> None:
    """The club's answer to what orders and the tracker announce (subscribed in app/club/__init__.py)."""
    order = session.get(Order, event.order_id)
    if order is None or (isinstance(event, events.StageReached) and not order.stage_news):
        return  # most cars' owners didn't ask for stage news: a busy feed costs no more reads
    published = published_values(session)
    if isinstance(event, events.OrderPlaced):
        queue_confirmation(session, order, published)
    elif isinstance(event, events.StageReached):
        queue_stage_news_for(session, order, event.at, published)
    else:
        state = progress(_events_of(session, order), order.nickname, order.number, event.at, trip=_trip(published))
        queue_delay_notice(session, order, state, published)


def queue_confirmation(
    session: Session, order: Order, published: Mapping[str, Mapping], pictures: CarPictures | None = None
) -> None:
    """The buyer's receipt (sent whatever the daily cap): marketing's words, then the car as ordered.

    The picture, the spec and the price lines all come from the order's frozen spec, so the mail shows
    exactly what was ordered. `pictures` None means the published catalogue's picture service.
    """
    copy = template("order_confirmation", published)
    link = settings.public_url() + tracking_link(order.number)
    values = {
        "name": order.nickname or "Your new car",
        "customer": order.customer_name,
        "order_number": order.number,
        "tracking_link": link,
    }
    pictures = pictures or pictures_for_values(published)
    spec = json.loads(order.spec or "{}")
    words = with_summary(render_copy(copy.subject, copy.body, values), order_summary(pictures.catalogue, order, link))
    picture = mail_picture(pictures, spec)
    queue_words(session, order, "order_confirmation", f"confirmation:{order.number}", words, picture=picture)


def order_summary(catalogue: Catalogue, order: Order, link: str) -> RenderedMail:
    """The car as ordered, for the receipt: its name, each choice with its price, the total and the tracker."""
    spec = json.loads(order.spec or "{}")
    currency = spec.get("currency", catalogue.currency)
    model = spec.get("model_name", order.model_id.capitalize())
    title = f"{order.nickname} · {model}" if order.nickname else f"Your {model}"
    rows = [(what, label, money(int(amount), currency)) for what, label, amount in bill_lines(catalogue, spec)]
    total = money(order.total_price, currency)
    follow = f"Follow {order.nickname or 'your car'} home"
    text = "\n".join(
        [
            f"{title}, as ordered",
            *(f"{what + ': ' if what else ''}{label}, {amount}" for what, label, amount in rows),
            f"Total: {total}",
            "",
            f"{follow}: {link}",
        ]
    )
    cells = "".join(_summary_row(what, label, amount) for what, label, amount in rows)
    cells += _summary_row("", "Total", total, bold=True)
    page = (
        f'<h2 style="margin:8px 0 10px;font:700 18px/1.3 {FONT};color:{INK}">{html.escape(title)}, as ordered</h2>'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        f'style="border-collapse:collapse;font:15px/1.45 {FONT};color:{INK}">{cells}</table>'
        f'<p style="margin:20px 0 6px"><a href="{html.escape(link)}" style="display:inline-block;padding:12px 20px;'
        f'background:{ACCENT};color:#FFFFFF;border-radius:8px;font:700 16px/1 {FONT};text-decoration:none">'
        f"{html.escape(follow)}</a></p>"
    )
    return RenderedMail("", page, text)


def bill_lines(catalogue: Catalogue, spec: dict) -> list[tuple[str, str, int]]:
    """The frozen price lines as (what it is, name, amount): "Colour", "Racing Green", 350; base and delivery bare.

    The option lines were priced in slot order (colour first), so each is matched with its slot by the
    option's name; a spec whose lines don't match its choices is shown line by line, as it was priced.
    """
    lines = [(str(label), int(amount)) for label, amount in spec.get("lines", [])]
    choices, names = spec.get("choices", {}), spec.get("option_names", {})
    slots = [s for s in catalogue.choice_slots if s in choices]
    options = lines[1:-1]
    matched = (
        len(lines) >= 2
        and len(options) == len(slots) == len(choices)
        and all(
            label.startswith(names.get(choices[slot], "\0")) for slot, (label, _) in zip(slots, options, strict=False)
        )
    )
    if not matched:
        return [("", label, amount) for label, amount in lines]
    middle = [(catalogue.slots[slot].label, *line) for slot, line in zip(slots, options, strict=True)]
    return [("", *lines[0]), *middle, ("", *lines[-1])]


def _summary_row(what: str, label: str, amount: str, *, bold: bool = False) -> str:
    line = f"border-top:1px solid {RULE};font-weight:700;" if bold else f"border-top:1px solid {RULE};"
    return (
        f'<tr><td style="padding:6px 10px 6px 0;color:{MUTED};font-size:13px;white-space:nowrap;{line}">'
        f'{html.escape(what)}</td><td style="padding:6px 10px 6px 0;{line}">{html.escape(label)}</td>'
        f'<td style="padding:6px 0;text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;{line}">'
        f"{html.escape(amount)}</td></tr>"
    )


def with_summary(words: RenderedMail, summary: RenderedMail) -> RenderedMail:
    """Marketing's words, then the order's summary (HTML and text alike)."""
    return RenderedMail(words.subject, words.html + summary.html, words.text.rstrip() + "\n\n" + summary.text)


def queue_delay_notice(session: Session, order: Order, state: Progress, published: Mapping[str, Mapping]) -> bool:
    """Queue one apology per order and stage once it is overdue; True only when queued by this call."""
    if state.status != "overdue":
        return False
    key = f"delay:{order.number}:{state.current}"
    if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is not None:
        return False
    copy = template("delay_notice", published)
    values = {
        "name": order.nickname.strip() or NO_NICKNAME,
        "customer": order.customer_name,
        "order_number": order.number,
        "stage": state.current_label,
        "status": state.status_text,
        "window": state.window_text,
        "tracking_link": settings.public_url() + tracking_link(order.number),
    }
    queue_words(session, order, "delay_notice", key, render_copy(copy.subject, copy.body, values))
    return True


def queue_due_delay_notices(session: Session, now: datetime | None = None) -> list[str]:
    """Look at every car still on its way and queue the apologies that are due; returns their order numbers.

    Run by the mailer (and `motorjoy feed check-delays` announces the same cars), so the buyer hears
    first even if they never open the page.
    """
    published = published_values(session)
    overdue = overdue_orders(session, now or datetime.now(UTC), _trip(published))
    return [order.number for order, state in overdue if queue_delay_notice(session, order, state, published)]


def _events_of(session: Session, order: Order) -> list[tuple[str, datetime]]:
    rows = session.exec(select(StageEvent.stage, StageEvent.reached_at).where(StageEvent.order_id == order.id))
    return [(stage, reached_at) for stage, reached_at in rows]


def _trip(published: Mapping[str, Mapping]) -> Journey:
    return journey_with(shipped_journey(), published)
