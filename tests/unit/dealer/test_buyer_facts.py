"""The dealer's order page reads the same facts as the buyer's tracker, and shows what pins the order down."""

import json
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app import db
from app.catalog import load_catalogue
from app.content.journey import load_journey
from app.dealer.facts import buyer_facts
from app.orders.demo import seed_demo_orders
from app.orders.models import Order, StageEvent
from app.tracking.progress import progress

CATALOGUE = load_catalogue()
TRIP = load_journey()  # the shipped journey, handed in as a page hands in the published one


def facts_of(session, number: str) -> dict[str, tuple[str, str]]:
    order = session.exec(select(Order).where(Order.number == number)).one()
    return {line.label: (line.value, line.detail) for line in buyer_facts(session, order, TRIP)}


def test_a_car_at_sea_shows_the_trackers_status_window_ship_and_the_frozen_spec(empty_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    db.migrate(empty_db_url)
    with db.session(empty_db_url) as s:
        seed_demo_orders(s, CATALOGUE)
        order = s.exec(select(Order).where(Order.number == "MJ4K7QX2")).one()  # McGregor, at sea
        eta = datetime.now(UTC) + timedelta(days=9)
        s.add(
            StageEvent(
                order_id=order.id,
                stage="at_sea",
                vessel="MV Tartan Star",
                vessel_position="Bay of Biscay",
                vessel_eta=eta,
                source="shipping line",
            )
        )
        s.flush()
        events = s.exec(select(StageEvent).where(StageEvent.order_id == order.id)).all()
        tracker = progress([(e.stage, e.reached_at) for e in events], order.nickname, order.number, trip=TRIP)

        facts = facts_of(s, "MJ4K7QX2")

    assert list(facts) == ["Status", "Delivery window", "Ship", "Price list", "Fingerprint"]
    assert facts["Status"][0] == tracker.status_text
    assert facts["Delivery window"][0] == tracker.window_text
    assert facts["Ship"][0] == f"MV Tartan Star, Bay of Biscay, due {eta.strftime('%-d %b')}"
    assert facts["Price list"][0] == json.loads(order.spec)["asset_version"]
    assert facts["Fingerprint"][0] == order.spec_hash[:12] and len(order.spec_hash) == 64


def test_no_ship_line_before_the_car_sails(empty_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    db.migrate(empty_db_url)
    with db.session(empty_db_url) as s:
        seed_demo_orders(s, CATALOGUE)
        facts = facts_of(s, "MJ8CJP2W")  # Rocket, awaiting transport
    assert "Ship" not in facts
    assert facts["Status"][0] and facts["Delivery window"][0]
