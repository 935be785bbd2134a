"""Placing an order from a saved build: the spec and price are frozen, and one submit makes one order."""

import hashlib
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import db, events
from app.catalog import Build, Catalogue
from app.catalog.pricing import quote
from app.catalog.rules import problems
from app.configurator.builds import NicknameError, clean_nickname, open_saved
from app.orders.models import Order, StageEvent
from app.orders.numbers import new_order_number
from app.staff.accounts import require_role
from app.staff.models import Dealership, StaffUser


class OrderError(ValueError):
    """An order we won't place; the message tells the dealer why."""


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    phone: str = ""


def spec_of(catalogue: Catalogue, build: Build) -> dict:
    """Everything needed to show and build the car later, whatever the catalogue becomes."""
    bill = quote(catalogue, build)
    return {
        "model": build.model,
        "model_name": catalogue.model(build.model).name,
        "choices": dict(build.choices),
        "option_names": {o: catalogue.option(o).name for o in build.option_ids},
        "hex": build.hex,
        "lines": [[line.label, line.amount] for line in bill.lines],
        "total": bill.total,
        "currency": bill.currency,
        "asset_version": catalogue.asset_version,
    }


def frozen(spec: dict) -> tuple[str, str]:
    """The spec as canonical JSON and its SHA-256, so any later change to the row is detectable."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode()).hexdigest()


def checked_customer(customer: Customer) -> Customer:
    name = " ".join(customer.name.split())
    if not 1 <= len(name) <= 120:
        raise OrderError("Please give the customer's name (up to 120 characters).")
    try:
        email = validate_email(customer.email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise OrderError(f"That email address doesn't look right: {error}") from None
    phone = customer.phone.strip()
    if len(phone) > 40 or any(ch not in "+0123456789 ()-" for ch in phone):
        raise OrderError("Phone numbers use digits, spaces, + ( ) and - only.")
    return Customer(name, email, phone)


def checked_time_zone(name: str) -> str:
    """The IANA time zone name as given, or OrderError if there is no such zone."""
    name = name.strip() if isinstance(name, str) else ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise OrderError(
            f"{name!r} isn't a time zone we know; use a name like Europe/London or Pacific/Auckland."
        ) from None
    return name


def _dealership_for(session: Session, user: StaffUser, dealership_id: int | None) -> int | None:
    if user.role == "dealer":
        return user.dealership_id  # a dealer orders for their own dealership, whatever the form says
    if dealership_id is None or session.get(Dealership, dealership_id) is None:
        raise OrderError("Choose the dealership this order belongs to.")
    return dealership_id


def place_order(
    session: Session,
    catalogue: Catalogue,
    user: StaffUser | None,
    build_code: str,
    customer: Customer,
    nickname: str,
    idempotency_key: str,
    dealership_id: int | None = None,
    *,
    stage_news: bool = False,
    club_news: bool = False,
    time_zone: str = "Europe/London",
) -> Order:
    """Place the order (or return the one this submission already placed).

    `stage_news` and `club_news` are what the buyer opted in to; `time_zone` (IANA, e.g. "Pacific/Auckland")
    decides on which date their car's birthday card arrives.
    """
    user = require_role(user, "dealer")
    previous = session.exec(select(Order).where(Order.idempotency_key == idempotency_key)).first()
    if previous is not None:
        return previous
    opened = open_saved(session, catalogue, build_code)
    if opened is None:
        raise OrderError("There is no saved build with that code.")
    build, saved_nickname, notes = opened
    if notes or problems(catalogue, build):
        raise OrderError("This build has changed since it was saved: " + " ".join(notes) + " Save it again first.")
    customer = checked_customer(customer)
    time_zone = checked_time_zone(time_zone)
    try:
        nickname = clean_nickname(nickname or saved_nickname)
    except NicknameError as error:
        raise OrderError(str(error)) from None
    spec, spec_hash = frozen(spec_of(catalogue, build))
    for _ in range(5):  # a clash of random order numbers is rare; try another rather than fail
        order = Order(
            number=new_order_number(),
            nickname=nickname,
            customer_name=customer.name,
            customer_email=customer.email,
            customer_phone=customer.phone,
            model_id=build.model,
            dealership_id=_dealership_for(session, user, dealership_id),
            placed_by_id=user.id,
            build_code=build_code.strip().upper(),
            spec=spec,
            spec_hash=spec_hash,
            total_price=quote(catalogue, build).total,
            idempotency_key=idempotency_key,
            stage_news=bool(stage_news),
            club_news=bool(club_news),
            time_zone=time_zone,
        )
        try:
            with session.begin_nested():
                session.add(order)
                session.flush()
                session.add(StageEvent(order_id=db.id_of(order), stage="ordered", source=f"dealer desk ({user.name})"))
                events.announce(session, events.OrderPlaced(order_id=db.id_of(order)))  # the club confirms it
            return order
        except IntegrityError:
            # Either the number was taken, or this same submission raced in from another tab or worker.
            again = session.exec(select(Order).where(Order.idempotency_key == idempotency_key)).first()
            if again is not None:
                return again
    raise OrderError("We couldn't place the order just now. Please try again.")
