"""Finding your car without the private link: order number plus last name or email, rate limited.

The limit counts every lookup, found or not, because the danger is someone trying many numbers; it
lives in the database so that every worker shares it.
"""

import math
import unicodedata
from datetime import UTC, datetime, timedelta

from sqlmodel import Field, Session, SQLModel, col, select, update

from app.orders.models import Order, utcnow
from app.orders.numbers import normalise_order_number, token_matches
from app.tracking.progress import as_utc

MAX_LOOKUPS = 10
LOOKUP_WINDOW = timedelta(minutes=10)


class TrackingLookup(SQLModel, table=True):
    """How many lookups a client ("client:<id>") made in its current window."""

    __tablename__ = "tracking_lookups"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=300)
    attempts: int = Field(default=0)
    window_started_at: datetime = Field(default_factory=utcnow)


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
    _count_lookup(session, f"client:{client_id}", as_utc(now or datetime.now(UTC)))
    number = normalise_order_number(number_text)
    if number is None:
        return None
    order = session.exec(select(Order).where(Order.number == number)).first()
    if order is None or not _same_customer(order, name_or_email):
        return None
    return order


def order_from_link(session: Session, number: str, token: str) -> Order | None:
    """The order a private tracking link points to, or None for a link that isn't one of ours."""
    number = normalise_order_number(number)
    if number is None or not token_matches(number, token):
        return None
    return session.exec(select(Order).where(Order.number == number)).first()


def _count_lookup(session: Session, key: str, now: datetime) -> None:
    row = session.exec(select(TrackingLookup).where(TrackingLookup.key == key)).first()
    if row is None:
        session.add(TrackingLookup(key=key, attempts=1, window_started_at=now))
        session.flush()
        return
    started = as_utc(row.window_started_at)
    this_key = col(TrackingLookup.key) == key
    if now - started >= LOOKUP_WINDOW:
        session.exec(_update().where(this_key).values(attempts=1, window_started_at=now))
        session.expire(row)
        return
    # Count only while under the limit, in one statement, so two workers can't both take the last lookup.
    under_limit = col(TrackingLookup.attempts) < MAX_LOOKUPS
    counted = session.exec(_update().where(this_key, under_limit).values(attempts=TrackingLookup.attempts + 1))
    session.expire(row)
    if counted.rowcount != 1:
        raise TooManyLookups(_wait_message(started + LOOKUP_WINDOW - now))


def _update():
    return update(TrackingLookup).execution_options(synchronize_session=False)


def _wait_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        "That's a lot of lookups in a short time, so we're pausing them to keep everyone's car private. "
        f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}, or use the link in your "
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
