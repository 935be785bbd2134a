"""The whole story of an order in one place, for whoever helps the customer (plain Python)."""

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from app.catalog import Build, BuildError, Catalogue, normalise_hex
from app.catalog.pricing import money
from app.content.stages import JOURNEY
from app.orders.models import Order, OrderNote, StageEvent
from app.orders.numbers import normalise_order_number
from app.render import CarPictures
from app.staff.accounts import can_see_dealership
from app.staff.models import Dealership, StaffUser

STAGE_LABELS = {stage.id: stage.label for stage in JOURNEY}


@dataclass
class Line:
    """A labelled entry of the story: a price line, a stage reached, a note, a mail."""

    label: str
    value: str
    detail: str = ""


@dataclass
class OrderRow:
    number: str
    customer: str
    car: str
    stage: str
    placed: str


@dataclass
class OrderStory:
    number: str
    title: str
    customer: str
    contact: str
    dealership: str
    placed: str
    total: str
    alt: str = ""
    paths: list[str] = field(default_factory=list)
    spec: list[Line] = field(default_factory=list)
    prices: list[Line] = field(default_factory=list)
    stages: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    mails: list[Line] = field(default_factory=list)


def when(moment: datetime) -> str:
    return moment.strftime("%-d %b %Y, %H:%M")


def _visible(user: StaffUser, order: Order) -> bool:
    return can_see_dealership(user, order.dealership_id)


def find_order(session: Session, user: StaffUser, number_text: str) -> Order | None:
    """The order if it exists AND this user may see it; None otherwise, so both look the same."""
    number = normalise_order_number(number_text)
    order = session.exec(select(Order).where(Order.number == number)).first() if number else None
    return order if order is not None and _visible(user, order) else None


def latest_stage(session: Session, order: Order) -> str:
    events = session.exec(select(StageEvent).where(StageEvent.order_id == order.id)).all()
    reached = {event.stage for event in events}
    current = [stage.label for stage in JOURNEY if stage.id in reached]
    return current[-1] if current else "Ordered"


def visible_orders(session: Session, user: StaffUser) -> list[OrderRow]:
    """The orders this user may see, newest first."""
    orders = session.exec(select(Order).order_by(col(Order.placed_at).desc())).all()
    return [
        OrderRow(o.number, o.customer_name, _car_title(o), latest_stage(session, o), when(o.placed_at))
        for o in orders
        if _visible(user, o)
    ]


def _said_by(event: StageEvent) -> str:
    """Who reported the stage, and a warning staff should see when the feed looked odd."""
    return f"{event.source} · check this: {event.flagged}" if event.flagged else event.source


def _car_title(order: Order) -> str:
    spec = json.loads(order.spec or "{}")
    model = spec.get("model_name", order.model_id.capitalize())
    return f"{order.nickname} · {model}" if order.nickname else model


def order_story(
    session: Session, pictures: CarPictures, order: Order, mails: Iterable[tuple[str, str, datetime]] = ()
) -> OrderStory:
    """Everything the desk shows of one order; `mails` are its (subject, status, queued at), from the club."""
    spec = json.loads(order.spec or "{}")
    currency = spec.get("currency", pictures.catalogue.currency)
    dealership = session.get(Dealership, order.dealership_id) if order.dealership_id else None
    story = OrderStory(
        number=order.number,
        title=_car_title(order),
        customer=order.customer_name,
        contact=" · ".join(part for part in (order.customer_email, order.customer_phone) if part),
        dealership=dealership.name if dealership else "",
        placed=when(order.placed_at),
        total=money(order.total_price, currency),
    )
    _add_picture(story, pictures, spec)
    story.spec = spec_lines(pictures.catalogue, spec)
    story.prices = [Line(label, money(amount, currency)) for label, amount in spec.get("lines", [])]
    events = session.exec(
        select(StageEvent).where(StageEvent.order_id == order.id).order_by(col(StageEvent.reached_at))
    )
    story.stages = [Line(STAGE_LABELS.get(e.stage, e.stage), when(e.reached_at), _said_by(e)) for e in events]
    notes = session.exec(select(OrderNote).where(OrderNote.order_id == order.id).order_by(col(OrderNote.created_at)))
    story.notes = [Line(n.author, n.text, when(n.created_at)) for n in notes]
    story.mails = [Line(subject, status, when(queued_at)) for subject, status, queued_at in mails]
    return story


def spec_lines(catalogue: Catalogue, spec: dict) -> list[Line]:
    """What was ordered, slot by slot, in the order a customer thinks (colour first)."""
    names, choices, slots = spec.get("option_names", {}), spec.get("choices", {}), catalogue.slots
    # Any slot the catalogue no longer has goes at the end: the spec stands as ordered.
    in_order = [s for s in catalogue.choice_slots if s in choices] + sorted(set(choices) - set(slots))
    return [Line(slots[s].label if s in slots else s, names.get(choices[s], choices[s])) for s in in_order]


def _add_picture(story: OrderStory, pictures: CarPictures, spec: dict) -> None:
    story.paths, story.alt = spec_picture(pictures, spec)
    if not story.paths:
        story.alt = "No picture: this car's spec names options we have no record of."


def spec_build(catalogue: Catalogue, spec: dict) -> Build | None:
    """The ordered car as a build of today's catalogue, options since retired included (they stay drawable).

    None only if the spec names something the catalogue has no record of at all (a hand-edited row).
    """
    try:
        colour = catalogue.known_option(spec["choices"]["colour"])
        paint = spec["hex"] if colour.custom else None
        build = catalogue.build_from(spec["model"], spec["choices"], paint, retired=True)
    except (BuildError, KeyError, TypeError):
        return None
    # The paint as ordered, even if marketing has recoloured the colour since (today's for a spec without one).
    return dataclasses.replace(build, hex=_ordered_paint(spec, build.hex))


def _ordered_paint(spec: dict, today: str) -> str:
    try:
        return normalise_hex(spec.get("hex") or today)
    except BuildError:
        return today


def spec_picture(pictures: CarPictures, spec: dict) -> tuple[list[str], str]:
    """The car as ordered, from its hero angle (views[0]); ([], "") when spec_build has no build."""
    build = spec_build(pictures.catalogue, spec)
    if build is None:
        return [], ""
    return pictures.paths_and_alt(build, pictures.catalogue.model(build.model).views[0])
