"""The order tables: one row per ordered car, one row per stage it has reached."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Order(SQLModel, table=True):
    """A car a customer has ordered; `number` is what the customer and dealer quote."""

    __tablename__ = "orders"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=16)
    nickname: str = Field(default="", max_length=40)
    customer_name: str = Field(max_length=120)
    customer_email: str = Field(max_length=254)
    model_id: str = Field(max_length=40)
    placed_at: datetime = Field(default_factory=utcnow)


class StageEvent(SQLModel, table=True):
    """The day an order reached a stage of its journey (ordered, built, at sea, ...)."""

    __tablename__ = "stage_events"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    stage: str = Field(max_length=40)
    reached_at: datetime = Field(default_factory=utcnow)
