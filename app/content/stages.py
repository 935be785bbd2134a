"""The journey every car makes, from order to driveway, in the order it happens (from journey.toml)."""

from app.content.journey import DELIVERED, Stage, journey

JOURNEY: tuple[Stage, ...] = journey().stages
STAGE_IDS = tuple(stage.id for stage in JOURNEY)

__all__ = ["DELIVERED", "JOURNEY", "STAGE_IDS", "Stage"]
