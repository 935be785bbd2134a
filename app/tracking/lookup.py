"""Finding your car without the private link: order number plus last name or email, rate limited.

The limit (app/limits) counts every lookup, found or not, because the danger is someone trying many
numbers.
"""

import unicodedata
from datetime import datetime, timedelta

from sqlmodel import Session, select

from app import limits
from app.orders.models import Order
from app.orders.numbers import normalise_order_number, token_matches

# Ten lookups per client per ten minutes: plenty for a buyer with typos, far too few to guess numbers.
LOOKUPS = limits.Rule(name="tracking-lookup", hits=10, per=timedelta(minutes=10))


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


def order_from_link(session: Session, number: str, token: str) -> Order | None:
    """The order a private tracking link points to, or None for a link that isn't one of ours."""
    normalised = normalise_order_number(number)
    if normalised is None or not token_matches(normalised, token):
        return None
    return session.exec(select(Order).where(Order.number == normalised)).first()


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
