"""Shared test data: a tiny journey with round numbers, so the window maths can be checked by hand."""

import functools
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from app.content.journey import Journey, load_journey
from app.orders.models import Order

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

SMALL_JOURNEY = """
port_lag_explainer = "Ships are quicker than paperwork."

[[stages]]
id = "ordered"
label = "Ordered"
phrase = "waiting for a slot"
min_days = 2
typical_days = 3
max_days = 5
narratives = ["{name} is ordered."]

[[stages]]
id = "built"
label = "Built at the plant"
phrase = "at the plant"
min_days = 4
typical_days = 5
max_days = 8
narratives = ["{name} is built.", "{name} passed its checks."]

[[stages]]
id = "at_sea"
label = "At sea"
phrase = "at sea"
min_days = 10
typical_days = 12
max_days = 15
narratives = ["{name} is at sea.", "{name} waves from the deck.", "{name} is not seasick."]

[[stages]]
id = "delivered"
label = "Delivered"
phrase = "home"
min_days = 0
typical_days = 0
max_days = 0
narratives = ["{name} is home."]
"""


def add_order(session: Session, number: str, name: str, email: str, nickname: str = "McGregor") -> Order:
    order = Order(number=number, nickname=nickname, customer_name=name, customer_email=email, model_id="hatch")
    session.add(order)
    session.flush()
    return order


@functools.cache
def small_trip() -> Journey:
    """SMALL_JOURNEY as a Journey: tests hand it to the cores instead of the marketing copy."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journey.toml"
        path.write_text(SMALL_JOURNEY)
        return load_journey(path)
