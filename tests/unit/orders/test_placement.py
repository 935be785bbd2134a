"""Placing orders: roles, frozen specs, one order per submission, clear refusals, and who sees what."""

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from sqlmodel import select

from app import db
from app.catalog import load_catalogue
from app.club.outbox import OutboxMail
from app.configurator.builds import save_build
from app.orders import placement
from app.orders.models import Order, StageEvent
from app.orders.numbers import normalise_order_number, token_matches, tracking_token
from app.orders.placement import Customer, OrderError, place_order
from app.orders.story import find_order, order_story, visible_orders
from app.render import CarPictures
from app.staff.accounts import NotAllowed, create_user
from app.staff.models import Dealership

CUSTOMER = Customer("Fiona MacLeod", "fiona@example.com", "+44 141 000 0000")


@pytest.fixture
def url(empty_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))  # the signing key lives here
    db.migrate(empty_db_url)
    return empty_db_url


@pytest.fixture
def session(url):
    with db.session(url) as s:
        s.add(Dealership(name="Motorjoy Glasgow", city="Glasgow"))
        s.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
        s.flush()
        yield s


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def staff(session, role, dealership=None, email=None):
    email = email or f"{role}-{dealership or 'hq'}@example.com".replace(" ", "").lower()
    return create_user(session, email, role.title(), role, "a long enough password", dealership_name=dealership)


def saved(session, catalogue, **choices):
    return save_build(session, catalogue, catalogue.build_from("hatch", choices), "McGregor")


def test_dealer_places_an_order_with_a_frozen_spec(session, catalogue):
    dealer = staff(session, "dealer", "Motorjoy Glasgow")
    code = saved(session, catalogue, colour="racing-green")
    order = place_order(session, catalogue, dealer, code, CUSTOMER, "", "key-1")
    assert normalise_order_number(order.number) == order.number
    spec = json.loads(order.spec)
    assert spec["choices"]["colour"] == "racing-green" and spec["total"] == order.total_price
    assert order.nickname == "McGregor"  # from the saved build
    assert order.dealership_id == dealer.dealership_id
    assert session.exec(select(StageEvent).where(StageEvent.order_id == order.id)).one().stage == "ordered"
    mail = session.exec(select(OutboxMail).where(OutboxMail.order_id == order.id)).one()
    assert mail.dedupe_key == f"confirmation:{order.number}"
    mailed_token = re.search(f"/track/{order.number}/([A-Za-z0-9_-]+)", mail.body_text)
    assert mailed_token and token_matches(order.number, mailed_token[1])  # the buyer's private link


def test_the_same_submission_twice_places_one_order(session, catalogue):
    dealer = staff(session, "dealer", "Motorjoy Glasgow")
    code = saved(session, catalogue)
    first = place_order(session, catalogue, dealer, code, CUSTOMER, "", "same-key")
    second = place_order(session, catalogue, dealer, code, CUSTOMER, "", "same-key")
    assert first.id == second.id
    assert len(session.exec(select(Order)).all()) == 1
    assert len(session.exec(select(OutboxMail)).all()) == 1


def test_the_spec_survives_catalogue_changes(session, catalogue, tmp_path):
    dealer = staff(session, "dealer", "Motorjoy Glasgow")
    order = place_order(session, catalogue, dealer, saved(session, catalogue), CUSTOMER, "", "k")
    before = (order.spec, order.spec_hash, order.total_price)
    # Marketing raises the delivery charge after the order: the order's story keeps what was agreed.
    repriced = replace(catalogue, destination_charge=catalogue.destination_charge + 1000)
    story = order_story(session, CarPictures(repriced, tmp_path / "cache"), order)
    assert (order.spec, order.spec_hash, order.total_price) == before
    assert story.prices[-1].value == f"£{catalogue.destination_charge:,}"
    assert story.total == f"£{order.total_price:,}"
    assert story.spec[0].label == "Colour"  # in the order a customer thinks, not alphabetical


@pytest.mark.parametrize("role", ["marketing", None])
def test_only_dealers_and_admins_place_orders(session, catalogue, role):
    user = staff(session, role) if role else None
    with pytest.raises(NotAllowed):
        place_order(session, catalogue, user, saved(session, catalogue), CUSTOMER, "", "k")
    assert session.exec(select(Order)).all() == []


def test_admin_must_name_a_real_dealership(session, catalogue):
    admin = staff(session, "admin")
    code = saved(session, catalogue)
    with pytest.raises(OrderError, match="dealership"):
        place_order(session, catalogue, admin, code, CUSTOMER, "", "k", dealership_id=999)
    leeds = session.exec(select(Dealership).where(Dealership.name == "Motorjoy Leeds")).one()
    assert place_order(session, catalogue, admin, code, CUSTOMER, "", "k", dealership_id=leeds.id).dealership_id


@pytest.mark.parametrize(
    ("customer", "nickname", "message"),
    [
        (replace(CUSTOMER, email="not-an-email"), "", "email"),
        (replace(CUSTOMER, name="  "), "", "name"),
        (replace(CUSTOMER, phone="call me maybe"), "", "Phone"),
        (CUSTOMER, "<script>", "Letters"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(session, catalogue, customer, nickname, message):
    dealer = staff(session, "dealer", "Motorjoy Glasgow")
    with pytest.raises(OrderError, match=message):
        place_order(session, catalogue, dealer, saved(session, catalogue), customer, nickname, "k")
    assert session.exec(select(Order)).all() == [] and session.exec(select(OutboxMail)).all() == []


def test_unknown_or_changed_builds_are_refused(session, catalogue):
    dealer = staff(session, "dealer", "Motorjoy Glasgow")
    with pytest.raises(OrderError, match="no saved build"):
        place_order(session, catalogue, dealer, "ZZZZZZZZ", CUSTOMER, "", "k")
    code = saved(session, catalogue)
    from app.configurator.models import SavedBuild

    row = session.exec(select(SavedBuild).where(SavedBuild.code == code)).one()
    row.options = row.options.replace("roof-white", "roof-gold")
    session.add(row)
    session.flush()
    with pytest.raises(OrderError, match="changed since it was saved"):
        place_order(session, catalogue, dealer, code, CUSTOMER, "", "k")


def test_dealers_see_only_their_dealership(session, catalogue):
    glasgow = staff(session, "dealer", "Motorjoy Glasgow")
    leeds = staff(session, "dealer", "Motorjoy Leeds")
    admin = staff(session, "admin")
    order = place_order(session, catalogue, glasgow, saved(session, catalogue), CUSTOMER, "", "k")
    assert find_order(session, glasgow, order.number.lower()) is not None
    assert find_order(session, admin, order.number) is not None
    assert find_order(session, leeds, order.number) is None  # same answer as an order that doesn't exist
    assert find_order(session, leeds, "MJ2345AB") is None
    assert [row.number for row in visible_orders(session, leeds)] == []
    assert [row.number for row in visible_orders(session, glasgow)] == [order.number]


def test_tracking_tokens_are_per_order(session):
    assert token_matches("MJ4K7QX2", tracking_token("MJ4K7QX2"))
    assert not token_matches("MJ9TWP3H", tracking_token("MJ4K7QX2"))
    assert not token_matches("MJ4K7QX2", "")


def test_two_workers_placing_the_same_submission_at_once_make_one_order(url, session, catalogue, monkeypatch):
    if url.startswith("sqlite"):
        pytest.skip("one SQLite file has one writer at a time; this race needs a server database (PostgreSQL)")
    dealer = staff(session, "dealer", "Motorjoy Glasgow")
    code = saved(session, catalogue)
    session.commit()  # each submission below works in a session (a worker) of its own
    # Both submissions get past the "placed already?" check before either inserts: the race the unique
    # idempotency key and its fallback exist for (a double click whose two events land on two workers).
    both_checked = threading.Barrier(2, timeout=10)
    real_open_saved = placement.open_saved

    def open_saved_together(*args):
        both_checked.wait()
        return real_open_saved(*args)

    monkeypatch.setattr(placement, "open_saved", open_saved_together)

    def submit() -> tuple[int, str]:
        with db.session(url) as s:
            order = place_order(s, catalogue, dealer, code, CUSTOMER, "", "double-click")
            return order.id, order.number

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: submit(), range(2))
    assert first == second
    assert [o.number for o in session.exec(select(Order))] == [first[1]]
    assert len(session.exec(select(StageEvent)).all()) == 1
    assert [m.dedupe_key for m in session.exec(select(OutboxMail))] == [f"confirmation:{first[1]}"]
