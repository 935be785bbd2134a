"""Birthday cards: on each anniversary of delivery, in the owner's own time zone, a card with the car's baby book."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from app import db
from app.club.car_picture import mail_picture
from app.club.compose import render_copy
from app.club.outbox import OutboxMail, queue_mail
from app.club.preferences import wants
from app.club.templates import template
from app.content.journey import DELIVERED, journey
from app.content.store import published_values
from app.orders.models import Order, StageEvent
from app.render import CarPictures
from app.render.live import pictures_for_values
from app.tracking.progress import as_utc

DEFAULT_TIME_ZONE = "Europe/London"
# A card may go out up to this many days late (the mailer was down on the day), never twice.
GRACE_DAYS = 2
AGE_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def anniversary(delivered: date, year: int) -> date:
    """The car's birthday in `year`; a 29 February car celebrates on 28 February in other years."""
    try:
        return delivered.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def birthday_age(delivered: date, today: date) -> int | None:
    """How old the car turns if its card is due today (its birthday, or up to GRACE_DAYS after); else None."""
    for year in (today.year, today.year - 1):  # a 31 December birthday is still in its grace days on 1 January
        age = year - delivered.year
        if age >= 1 and 0 <= (today - anniversary(delivered, year)).days <= GRACE_DAYS:
            return age
    return None


def owner_zone(name: str) -> ZoneInfo:
    """The order's time zone; a name that is no longer valid falls back to the club's home zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local_date(moment: datetime, time_zone: str) -> date:
    return as_utc(moment).astimezone(owner_zone(time_zone)).date()


def age_words(age: int) -> str:
    return AGE_WORDS[age] if age < len(AGE_WORDS) else str(age)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def car_name(order: Order) -> str:
    """The nickname, or "Your Hatch" (the model) for a car that has none; it starts a sentence."""
    if order.nickname.strip():
        return order.nickname.strip()
    return "Your " + json.loads(order.spec or "{}").get("model_name", "car")


def first_name(order: Order) -> str:
    return (order.customer_name.split() or ["there"])[0]


def stage_dates(session: Session, order: Order) -> dict[str, StageEvent]:
    """The first event of each stage the order reached (a repeated feed message doesn't move the date)."""
    events = session.exec(
        select(StageEvent).where(StageEvent.order_id == order.id).order_by(col(StageEvent.reached_at))
    )
    first: dict[str, StageEvent] = {}
    for event in events:
        first.setdefault(event.stage, event)
    return first


def baby_book(order: Order, reached: dict[str, StageEvent], age: int) -> dict[str, str]:
    """The card's placeholders: when it was ordered, built, at sea (and on which ship) and came home."""
    zone = order.time_zone

    def on(stage: str, missing: str) -> str:
        return long_date(local_date(reached[stage].reached_at, zone)) if stage in reached else missing

    sea = reached.get("at_sea")
    stages = [stage.id for stage in journey().stages]
    landed = [reached[s] for s in stages[stages.index("at_sea") + 1 :] if s in reached] if sea else []
    days = (local_date(landed[0].reached_at, zone) - local_date(sea.reached_at, zone)).days if landed and sea else None
    vessel = next((e.vessel.strip() for e in reached.values() if e.vessel.strip()), "")
    return {
        "name": car_name(order),
        "owner": first_name(order),
        "age": age_words(age),
        "age_years": f"{age_words(age).capitalize()} year{'s' if age > 1 else ''}",
        "ordered_on": long_date(local_date(order.placed_at, zone)),
        "built_on": on("built", "a day the plant was too excited to write down"),
        "vessel": vessel or "a very big ship",
        "days_at_sea": f"{days} day{'s' if days != 1 else ''}" if days is not None else "a good few days",
        "delivered_on": on(DELIVERED, "the best day"),
    }


def queue_birthday_cards(session: Session, now: datetime, pictures: CarPictures | None = None) -> list[str]:
    """Queue today's cards (today in each owner's time zone); returns their order numbers.

    The picture is rendered only for a card not queued yet, so running this every few minutes costs
    a query, not a render. `pictures` None means the published catalogue's (retired options included).
    """
    queued = []
    published = published_values(session)
    for order, delivered_at in _delivered_cars(session):
        delivered = local_date(delivered_at, order.time_zone)
        age = birthday_age(delivered, local_date(now, order.time_zone))
        if age is None or not wants(session, "birthday_card", order.customer_email):
            continue
        key = f"birthday:{order.number}:{delivered.year + age}"
        if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is not None:
            continue
        copy = template("birthday_card", published)
        words = render_copy(copy.subject, copy.body, baby_book(order, stage_dates(session, order), age))
        queue_mail(
            session,
            kind="birthday_card",
            recipient=order.customer_email,
            subject=words.subject,
            body_text=words.text,
            body_html=words.html,
            picture=mail_picture(pictures or pictures_for_values(published), json.loads(order.spec or "{}")),
            dedupe_key=key,
            order_id=order.id,
            created_at=now,
            next_attempt_at=now,
        )
        queued.append(order.number)
    return queued


def _delivered_cars(session: Session) -> list[tuple[Order, datetime]]:
    """Each delivered order with the first time it was reported delivered."""
    rows = session.exec(
        select(Order, StageEvent.reached_at)
        .join(StageEvent, col(StageEvent.order_id) == Order.id)
        .where(StageEvent.stage == DELIVERED)
        .order_by(col(Order.id), col(StageEvent.reached_at))
    ).all()
    first: dict[int, tuple[Order, datetime]] = {}
    for order, reached_at in rows:
        first.setdefault(db.id_of(order), (order, reached_at))
    return list(first.values())
