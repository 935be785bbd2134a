"""The studio's own tables: scheduled releases and the audit log (the content itself is in app/content)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.content.models import utcnow


class Release(SQLModel, table=True):
    """A bundle of drafts that goes live together at a set time."""

    __tablename__ = "releases"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    publish_at: datetime
    status: str = Field(default="scheduled", max_length=20)  # scheduled | published | cancelled | failed
    created_by: str = Field(max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    outcome: str = Field(default="", max_length=500)  # what happened when it ran


class AuditEntry(SQLModel, table=True):
    """Who changed what in the studio, and when."""

    __tablename__ = "studio_audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    who: str = Field(max_length=120)
    action: str = Field(max_length=40)  # saved draft, discarded, published, rolled back, scheduled, uploaded...
    key: str = Field(default="", max_length=120)
    detail: str = Field(default="", max_length=500)
