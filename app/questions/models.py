"""The conversation table: every question a buyer asks about their car and every answer from the dealership."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.orders.models import utcnow

QUESTION_MAX = 1000
ANSWER_MAX = 2000


class OrderMessage(SQLModel, table=True):
    """One message in an order's conversation; `author` is "buyer" or "dealer" (`staff_name` says which one)."""

    __tablename__ = "order_messages"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    author: str = Field(max_length=10)
    staff_name: str = Field(default="", max_length=120)
    text: str = Field(max_length=ANSWER_MAX)
    created_at: datetime = Field(default_factory=utcnow, index=True)
