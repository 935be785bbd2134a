"""The facts the buyer's tracker shows about an order, for the dealer's order page: both read the same."""

import json

from sqlmodel import Session, select

from app.content.journey import Journey
from app.orders.models import Order, StageEvent
from app.orders.story import Line
from app.tracking.progress import progress
from app.tracking.state import NO_VESSEL, vessel_summary

SHIP_STAGES = ("at_sea", "port_processing")  # the stages where the tracker shows the ship


def buyer_facts(session: Session, order: Order, trip: Journey) -> list[Line]:
    """Status, delivery window and ship as on the buyer's tracker (`trip`: the journey in force, as the
    tracker is handed it), then what pins down the order as placed."""
    events = list(session.exec(select(StageEvent).where(StageEvent.order_id == order.id)).all())
    state = progress([(e.stage, e.reached_at) for e in events], order.nickname, order.number, trip=trip)
    facts = [Line("Status", state.status_text), Line("Delivery window", state.window_text or "Delivered")]
    ship = vessel_summary(events) if state.current in SHIP_STAGES else NO_VESSEL
    if ship.name:
        facts.append(
            Line("Ship", f"{ship.name}, {ship.position}, due {ship.eta}", f"the shipping line's word of {ship.updated}")
        )
    spec = json.loads(order.spec or "{}")
    facts.append(
        Line("Price list", spec.get("asset_version", "not recorded"), "the catalogue version it was priced on")
    )
    facts.append(Line("Fingerprint", order.spec_hash[:12] or "not recorded", "of the frozen spec and price"))
    return facts
