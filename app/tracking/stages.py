"""The journey every car makes, from order to driveway, in the order it happens."""

from typing import NamedTuple


class Stage(NamedTuple):
    id: str
    label: str


JOURNEY = (
    Stage("ordered", "Ordered"),
    Stage("scheduled", "Scheduled for production"),
    Stage("built", "Built at the plant"),
    Stage("awaiting_transport", "Awaiting transport"),
    Stage("at_sea", "At sea"),
    Stage("port_processing", "Port processing"),
    Stage("at_dealer", "At your dealer"),
    Stage("delivered", "Delivered"),
)
STAGE_IDS = tuple(stage.id for stage in JOURNEY)
DELIVERED = "delivered"
