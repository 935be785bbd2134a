"""The stage-event feed: the plant, the shipping line and the port tell us where each car has got to.

Plain Python that the HTTP route, the CLI and the tests call. A batch is checked in full before
anything is written, so a sender with one bad event fixes it and resends the lot, and resending is
safe: events are known by their `event_id`. Functions leave committing to the caller.
"""

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Field, Session, SQLModel, col, select

from app import db
from app.content.stages import DELIVERED, STAGE_IDS
from app.events import StageReached, announce
from app.orders.models import Order, StageEvent, utcnow
from app.orders.numbers import normalise_order_number
from app.tracking.progress import as_utc

MAX_EVENTS = 1000  # per request; a bigger backlog arrives in several requests
EARLIEST = datetime(2020, 1, 1, tzinfo=UTC)  # older than the brand: a typo or a default date
FUTURE_SLACK = timedelta(days=1)  # senders' clocks and time zones drift; a week ahead is a bug
ETA_HORIZON = timedelta(days=366)  # no ship sails for a year: a later arrival is a typo or a default date
IMPORT_SOURCE = "import"
SIMULATOR_SOURCE = "simulator"
SIMULATED_VESSEL = "MV Northern Lark"
SIMULATED_POSITION = "North Atlantic, 200 nm W of Lisbon"
_REQUIRED = ("event_id", "order_number", "stage", "occurred_at")
_TEXT_LIMITS = {"event_id": 100, "source": 60, "vessel": 80, "vessel_position": 120}
_OPTIONAL = ("source", "vessel", "vessel_position", "vessel_eta")


class FeedSource(SQLModel, table=True):
    """A sender allowed to post events (the plant, a shipping line); we keep only its token's hash."""

    __tablename__ = "feed_sources"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=60)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class FeedError(ValueError):
    """A batch refused as a whole; the message names the field, e.g. `events[3].stage: ...`."""


class FeedAuthError(PermissionError):
    """The token belongs to no feed source; kept apart from FeedError so the route can answer 401."""


@dataclass
class IngestResult:
    accepted: int
    duplicates: int
    flagged: list[str]
    orders: list[str] = field(default_factory=list)  # the order numbers that have news (open trackers are told)


@dataclass(frozen=True)
class FeedEvent:
    """One event after checking: the order number normalised, times in UTC."""

    event_id: str
    order_number: str
    stage: str
    occurred_at: datetime
    source: str
    vessel: str
    vessel_position: str
    vessel_eta: datetime | None


def token_hash(token: str) -> str:
    """What feed_sources keeps instead of the token, so a leaked database posts nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed_source(session: Session, name: str) -> str:
    """Register a sender and return its token; this is the only time anyone sees it."""
    name = name.strip()
    if not name or len(name) > _TEXT_LIMITS["source"]:
        raise FeedError(f"A feed source needs a name of 1 to {_TEXT_LIMITS['source']} characters.")
    if session.exec(select(FeedSource.id).where(FeedSource.name == name)).first() is not None:
        raise FeedError(f"There is already a feed source called {name!r}.")
    token = secrets.token_urlsafe(32)
    session.add(FeedSource(name=name, token_hash=token_hash(token)))
    session.flush()
    return token


def authenticate(session: Session, token: str | None) -> FeedSource:
    """The feed source the token belongs to; raises FeedAuthError for anything else."""
    if not isinstance(token, str) or not token or len(token) > 200:
        raise FeedAuthError("Unknown feed token.")
    source = session.exec(select(FeedSource).where(FeedSource.token_hash == token_hash(token))).first()
    if source is None:
        raise FeedAuthError("Unknown feed token.")
    return source


def ingest(session: Session, source_token: str | None, payload: Any, now: datetime | None = None) -> IngestResult:
    """Store a sender's batch of at most MAX_EVENTS events, all or nothing."""
    source = authenticate(session, source_token)
    return ingest_as(session, source.name, payload, now, max_events=MAX_EVENTS)


def ingest_as(
    session: Session,
    source_name: str,
    payload: Any,
    now: datetime | None = None,
    max_events: int | None = None,
) -> IngestResult:
    """Store a batch for an already trusted sender (the operator's import, the simulator)."""
    now = as_utc(now or datetime.now(UTC))
    events = parse_payload(payload, source_name, now, max_events)
    order_ids = _order_ids_for(session, events)
    stored_ids = _stored_event_ids(session, [event.event_id for event in events])
    fresh: list[tuple[int, FeedEvent]] = []
    for index, event in enumerate(events):
        if event.event_id not in stored_ids:
            stored_ids.add(event.event_id)  # a repeat later in the same batch is a duplicate too
            fresh.append((index, event))
    timelines = _timelines(session, [order_ids[event.order_number] for _, event in fresh])
    for _, event in fresh:
        _note(timelines.setdefault(order_ids[event.order_number], {}), event.stage, event.occurred_at)
    flagged, rows = [], []
    for index, event in fresh:
        order_id = order_ids[event.order_number]
        reason = backwards_reason(timelines[order_id], event.stage, event.occurred_at)
        if reason:
            flagged.append(f"events[{index}] ({event.event_id}, {event.order_number}): {reason}")
        rows.append(_stage_event_row(order_id, event, reason, now))
    if rows:
        # One executemany for the batch, not one ORM object per event: the rows are plain values.
        session.execute(insert(StageEvent), rows)
    for order_id in sorted({order_ids[event.order_number] for _, event in fresh}):
        furthest = max(timelines[order_id], key=STAGE_IDS.index)
        announce(session, StageReached(order_id=order_id, stage=furthest, at=now))  # the club may mail news
    news = sorted({event.order_number for _, event in fresh})
    return IngestResult(accepted=len(fresh), duplicates=len(events) - len(fresh), flagged=flagged, orders=news)


def backwards_reason(first_reached: dict[str, datetime], stage: str, occurred_at: datetime) -> str:
    """Why an event contradicts the order's story, or "".

    `first_reached` maps each stage the order reached to when it first did. Feeds arrive late and out
    of order, so only time counts: an event is backwards when the order had already reached a later
    stage before it happened (at sea on the 3rd, "built" on the 5th).
    """
    position = STAGE_IDS.index(stage)
    earlier_further = [
        other for other, moment in first_reached.items() if STAGE_IDS.index(other) > position and moment < occurred_at
    ]
    if not earlier_further:
        return ""
    return f"stage went backwards from {max(earlier_further, key=STAGE_IDS.index)}"


# --- checking a payload ---------------------------------------------------------------------------


def parse_payload(payload: Any, source_name: str, now: datetime, max_events: int | None) -> list[FeedEvent]:
    """Every event checked, or a FeedError for the first bad one; nothing here touches the database."""
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise FeedError('events: expected an object like {"events": [...]}.')
    raw_events = payload["events"]
    if max_events is not None and len(raw_events) > max_events:
        raise FeedError(f"events: at most {max_events} events per request (got {len(raw_events)}); split the batch.")
    return [_event(raw, f"events[{index}]", source_name, now) for index, raw in enumerate(raw_events)]


def _event(raw: Any, where: str, source_name: str, now: datetime) -> FeedEvent:
    if not isinstance(raw, dict):
        raise FeedError(f"{where}: expected an object with {', '.join(_REQUIRED)}.")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL), key=str)
    if unknown:  # "occured_at" should be an error, not a silently missing field
        raise FeedError(f"{where}.{unknown[0]}: unknown field (known: {', '.join(_REQUIRED + _OPTIONAL)}).")
    for name in _REQUIRED:
        if raw.get(name) in (None, ""):
            raise FeedError(f"{where}.{name}: missing.")
    number = normalise_order_number(raw["order_number"])
    if number is None:
        raise FeedError(f"{where}.order_number: {raw['order_number']!r} is not an order number (like MJ4K7QX2).")
    stage = raw["stage"]
    if stage not in STAGE_IDS:
        raise FeedError(f"{where}.stage: {stage!r} is not a stage (one of: {', '.join(STAGE_IDS)}).")
    occurred_at = _moment(raw["occurred_at"], f"{where}.occurred_at")
    if occurred_at > now + FUTURE_SLACK:
        raise FeedError(f"{where}.occurred_at: {raw['occurred_at']} is in the future.")
    vessel_eta = None if raw.get("vessel_eta") in (None, "") else _moment(raw["vessel_eta"], f"{where}.vessel_eta")
    if vessel_eta is not None and vessel_eta > now + ETA_HORIZON:
        raise FeedError(f"{where}.vessel_eta: {raw['vessel_eta']} is more than a year away.")
    return FeedEvent(
        event_id=_text(raw, "event_id", where),
        order_number=number,
        stage=stage,
        occurred_at=occurred_at,
        source=_text(raw, "source", where) or source_name,
        vessel=_text(raw, "vessel", where),
        vessel_position=_text(raw, "vessel_position", where),
        vessel_eta=vessel_eta,
    )


def _text(raw: dict, name: str, where: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FeedError(f"{where}.{name}: expected text, got {type(value).__name__}.")
    value = value.strip()
    if any(unicodedata.category(ch) == "Cc" for ch in value):  # PostgreSQL refuses NUL in text outright
        raise FeedError(f"{where}.{name}: control characters (tabs, line breaks, NUL) aren't allowed.")
    if len(value) > _TEXT_LIMITS[name]:
        raise FeedError(f"{where}.{name}: at most {_TEXT_LIMITS[name]} characters (got {len(value)}).")
    return value


def _moment(value: Any, where: str) -> datetime:
    """An ISO 8601 time with its zone; without one, "09:00" could be any of 24 hours."""
    if not isinstance(value, str) or len(value) > 40:
        raise FeedError(f"{where}: expected an ISO 8601 time like 2026-03-01T09:30:00+00:00.")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise FeedError(f"{where}: {value!r} is not an ISO 8601 time like 2026-03-01T09:30:00+00:00.") from None
    if moment.tzinfo is None:
        raise FeedError(f"{where}: {value!r} has no time zone; add one, e.g. +00:00 or Z.")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+14:00 or 9999-12-31T23:59-14:00 has no UTC date
        raise FeedError(f"{where}: {value!r} is outside the calendar we can store.") from None
    if moment < EARLIEST:
        raise FeedError(f"{where}: {value!r} is before {EARLIEST.year}.")
    return moment


# --- the database side ----------------------------------------------------------------------------


def _in_chunks(session: Session, query_for, values, size: int = 1000) -> list:
    """Rows for `query_for(some values)`, asked in slices: databases cap the parameters of one query."""
    values = sorted(set(values))
    return [
        row for start in range(0, len(values), size) for row in session.exec(query_for(values[start : start + size]))
    ]


def _order_ids_for(session: Session, events: list[FeedEvent]) -> dict[str, int]:
    numbers = {event.order_number for event in events}
    rows = _in_chunks(session, lambda some: select(Order.number, Order.id).where(col(Order.number).in_(some)), numbers)
    order_ids = dict(rows)
    for index, event in enumerate(events):
        if event.order_number not in order_ids:
            raise FeedError(f"events[{index}].order_number: there is no order {event.order_number}.")
    return order_ids


def _stored_event_ids(session: Session, event_ids: list[str]) -> set[str]:
    return set(
        _in_chunks(
            session, lambda some: select(StageEvent.event_id).where(col(StageEvent.event_id).in_(some)), event_ids
        )
    )


def _timelines(session: Session, order_ids: list[int]) -> dict[int, dict[str, datetime]]:
    """When each order first reached each stage, as stored."""

    def query_for(some):
        # One row per order and stage, however many events the feed has sent for them.
        first = func.min(StageEvent.reached_at)
        return (
            select(StageEvent.order_id, StageEvent.stage, first)
            .where(col(StageEvent.order_id).in_(some))
            .group_by(StageEvent.order_id, StageEvent.stage)
        )

    timelines: dict[int, dict[str, datetime]] = {}
    for order_id, stage, reached_at in _in_chunks(session, query_for, order_ids):
        if stage in STAGE_IDS:  # a stage retired from the journey tells us nothing about order
            _note(timelines.setdefault(order_id, {}), stage, as_utc(reached_at))
    return timelines


def _note(first_reached: dict[str, datetime], stage: str, moment: datetime) -> None:
    if stage not in first_reached or moment < first_reached[stage]:
        first_reached[stage] = moment


def _stage_event_row(order_id: int, event: FeedEvent, flagged: str, now: datetime) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "stage": event.stage,
        "source": event.source,
        "reached_at": event.occurred_at,
        "event_id": event.event_id,
        "vessel": event.vessel,
        "vessel_position": event.vessel_position,
        "vessel_eta": event.vessel_eta,
        "recorded_at": now,
        "flagged": flagged,
    }


# --- the simulator --------------------------------------------------------------------------------


def simulate_step(session: Session, numbers: Iterable[str], now: datetime | None = None) -> list[str]:
    """Move each of these orders that isn't delivered one stage on, so a demo tracker has news.

    Goes through the feed like any sender, so what the simulator shows is what the feed would do.
    Returns one line per order moved.
    """
    now = as_utc(now or datetime.now(UTC))
    orders = session.exec(select(Order).where(col(Order.number).in_(set(numbers))).order_by(Order.number)).all()
    timelines = _timelines(session, [db.id_of(order) for order in orders])
    events, moved = [], []
    for order in orders:
        furthest = max(map(STAGE_IDS.index, timelines.get(db.id_of(order), {})), default=0)
        if STAGE_IDS[furthest] == DELIVERED:
            continue
        stage = STAGE_IDS[furthest + 1]
        events.append(_simulated_event(order.number, stage, now))
        moved.append(f"{order.number} ({order.nickname or 'no nickname'}): {STAGE_IDS[furthest]} → {stage}")
    ingest_as(session, SIMULATOR_SOURCE, {"events": events}, now)
    return moved


def _simulated_event(number: str, stage: str, now: datetime) -> dict:
    event = {
        "event_id": f"sim-{number}-{stage}-{now:%Y%m%dT%H%M%S}",
        "order_number": number,
        "stage": stage,
        "occurred_at": now.isoformat(),
    }
    if stage == "at_sea":
        eta = now + timedelta(days=24)
        event |= {"vessel": SIMULATED_VESSEL, "vessel_position": SIMULATED_POSITION, "vessel_eta": eta.isoformat()}
    return event
