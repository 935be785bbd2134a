"""The order tables: the ordered car with its frozen spec, the stages it reached, staff notes."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Order(SQLModel, table=True):
    """A car a customer has ordered; `number` is what the customer and dealer quote.

    `spec` is the build exactly as ordered (options, colour, price lines, total, price-list and asset
    version) as canonical JSON, and `spec_hash` its SHA-256: later catalogue changes never alter it.
    """

    __tablename__ = "orders"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=16)
    nickname: str = Field(default="", max_length=40)
    customer_name: str = Field(max_length=120)
    customer_email: str = Field(max_length=254)
    customer_phone: str = Field(default="", max_length=40)
    model_id: str = Field(max_length=40)
    dealership_id: int | None = Field(default=None, foreign_key="dealerships.id", index=True)
    placed_by_id: int | None = Field(default=None, foreign_key="staff_users.id")
    build_code: str = Field(default="", max_length=8)
    spec: str = Field(default="{}")
    spec_hash: str = Field(default="", max_length=64)
    total_price: int = 0
    # One order per form submission: a double click or a retry sends the same key.
    idempotency_key: str | None = Field(default=None, unique=True, max_length=64)
    placed_at: datetime = Field(default_factory=utcnow)
    # What the buyer agreed to at ordering: a mail at each stage, and club news about the site.
    stage_news: bool = False
    club_news: bool = False
    time_zone: str = Field(default="Europe/London", max_length=64)  # IANA name: birthdays fall on the owner's date


class StageEvent(SQLModel, table=True):
    """The day an order reached a stage of its journey, and who said so (plant feed, dealer, ...).

    `reached_at` is when it happened, `recorded_at` when we heard of it (feeds lag, and "last updated"
    means the latter). `event_id` is the feed's own id, so a resent event is recognised and not stored twice.
    """

    __tablename__ = "stage_events"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    stage: str = Field(max_length=40)
    source: str = Field(default="", max_length=60)
    reached_at: datetime = Field(default_factory=utcnow)
    event_id: str | None = Field(default=None, unique=True, max_length=100)
    vessel: str = Field(default="", max_length=80)
    vessel_position: str = Field(default="", max_length=120)  # free text: "North Atlantic, 200 nm W of Lisbon"
    vessel_eta: datetime | None = None
    recorded_at: datetime = Field(default_factory=utcnow)
    flagged: str = Field(default="", max_length=200)  # why a person should look at it, e.g. "stage went backwards"


class OrderNote(SQLModel, table=True):
    """A note staff leave on an order, so the next person helping the customer knows the story."""

    __tablename__ = "order_notes"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    author: str = Field(max_length=120)
    text: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
