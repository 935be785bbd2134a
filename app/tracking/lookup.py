"""Finding your car: by its private link while the link lives, or by order number plus last name or
email, rate limited.

The limit (app/limits) counts every lookup, found or not, because the danger is someone trying many
numbers. A private link is a key anyone holding an old mail has, so it retires a year after the car
came home (`link_open_until`); the look-up form, which needs what only the buyer knows, hands out a
fresh one.
"""

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from app import limits
from app.orders.models import Order, StageEvent
from app.orders.numbers import normalise_order_number, read_tracking_token

# Ten lookups per client per ten minutes: plenty for a buyer with typos, far too few to guess numbers.
LOOKUPS = limits.Rule(name="tracking-lookup", hits=10, per=timedelta(minutes=10))
# How long a tracking link opens after the car's delivery, or after the link was made if that is later.
LINK_LIFETIME = timedelta(days=365)


class TooManyLookups(ValueError):
    """Too many lookups from one client; the message is safe to show as it is."""


def find_order_for_customer(
    session: Session, number_text: str, name_or_email: str, client_id: str, now: datetime | None = None
) -> Order | None:
    """The order if the number and the customer's last name or email belong together, else None.

    A wrong pair and an unknown number give the same None, so the answer never says which numbers
    exist. `client_id` is the caller's IP or browser id; an empty one shares a single bucket, so
    not being identified never means not being limited. Raises TooManyLookups (checking nothing).
    """
    try:
        limits.take(session, LOOKUPS, f"client:{client_id}", now)
    except limits.Limited as limited:
        raise TooManyLookups(_wait_message(limited.in_words)) from None
    number = normalise_order_number(number_text)
    if number is None:
        return None
    order = session.exec(select(Order).where(Order.number == number)).first()
    if order is None or not _same_customer(order, name_or_email):
        return None
    return order


@dataclass(frozen=True)
class LinkOpening:
    """What a private tracking link opens: the order, or nothing, and whether that is because it retired."""

    order: Order | None
    expired: bool = False


def open_link(session: Session, number: str, token: str, now: datetime | None = None) -> LinkOpening:
    """The order a private tracking link points to while the link lives (see `link_open_until`)."""
    normalised = normalise_order_number(number)
    signed = read_tracking_token(normalised, token) if normalised else None
    order = session.exec(select(Order).where(Order.number == normalised)).first() if signed else None
    if order is None or signed is None:
        return LinkOpening(None)
    until = link_open_until(signed.issued, delivered_at(session, order))
    if until is not None and (now or datetime.now(UTC)) >= until:
        return LinkOpening(None, expired=True)
    return LinkOpening(order)


def order_from_link(session: Session, number: str, token: str, now: datetime | None = None) -> Order | None:
    """The order a private tracking link points to, or None for a link that isn't ours or has retired."""
    return open_link(session, number, token, now).order


def link_open_until(issued: datetime | None, delivered: datetime | None) -> datetime | None:
    """When a tracking link stops opening; None while the car is still on its way (it always opens then).

    A year after delivery, or a year after the link was made if that is later, so a link the look-up
    form or a late mail (a friend's thank-you) hands out always has its year. Links from before links
    carried their time (`issued` None) retire a year after delivery."""
    if delivered is None:
        return None
    return max(delivered, issued or delivered) + LINK_LIFETIME


def delivered_at(session: Session, order: Order) -> datetime | None:
    """When the car reached its buyer, by the first "delivered" stage recorded, in UTC."""
    first = session.exec(
        select(func.min(StageEvent.reached_at)).where(StageEvent.order_id == order.id, StageEvent.stage == "delivered")
    ).one()
    if first is None:
        return None
    return first if first.tzinfo else first.replace(tzinfo=UTC)  # SQLite hands times back without their zone


def _wait_message(wait: str) -> str:
    return (
        "That's a lot of lookups in a short time, so we're pausing them to keep everyone's car private. "
        f"Please try again in {wait}, or use the link in your "
        "order confirmation mail."
    )


def _same_customer(order: Order, given: str) -> bool:
    """Their email (any case), or their last name (any case, accents optional, spaces trimmed)."""
    if "@" in given:
        return given.strip().casefold() == order.customer_email.strip().casefold()
    text = _fold(given)
    return bool(text) and text in _surnames(order.customer_name)


def _surnames(full_name: str) -> set[str]:
    """The last word, and everything after the first name, so "de la Cruz" and "Cruz" both work."""
    words = _fold(full_name).split()
    return {words[-1], " ".join(words[1:]) or words[-1]} if words else set()


def _fold(text: str) -> str:
    """Lower case without accents or extra spaces: "  Müller " and "muller" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
