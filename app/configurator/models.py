"""The saved-build table: a customer's build under its short code, exactly as it was priced."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


class SavedBuild(SQLModel, table=True):
    """A build someone saved; `options` are option ids in slot order, joined by '+'."""

    __tablename__ = "saved_builds"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=8)
    model_id: str = Field(max_length=40)
    options: str = Field(max_length=1000)
    hex: str = Field(max_length=7)
    nickname: str = Field(default="", max_length=24)
    asset_version: str = Field(max_length=40)  # the price list and artwork it was saved against
    total_price: int
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
