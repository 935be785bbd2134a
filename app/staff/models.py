"""The staff tables: dealerships, staff users, their sign-in sessions and failed sign-in counts."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

ROLES = ("dealer", "marketing", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Dealership(SQLModel, table=True):
    """A showroom; a dealer belongs to one and sees only its orders."""

    __tablename__ = "dealerships"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=80)
    city: str = Field(default="", max_length=80)


class StaffUser(SQLModel, table=True):
    """Someone who works for Motorjoy; `email` is stored lower-cased so sign-in ignores case."""

    __tablename__ = "staff_users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True, max_length=254)
    name: str = Field(max_length=120)
    role: str = Field(max_length=16)  # one of ROLES
    dealership_id: int | None = Field(default=None, foreign_key="dealerships.id", index=True)  # dealers only
    password_hash: str = Field(max_length=255)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class StaffSession(SQLModel, table=True):
    """A signed-in browser; only a SHA-256 of its token is kept, so a leaked table signs nobody in."""

    __tablename__ = "staff_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="staff_users.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_seen_at: datetime = Field(default_factory=utcnow)
