"""What is published and waiting: published versions, drafts (for previews) and uploaded layer images."""

from datetime import UTC, datetime

from sqlmodel import Column, Field, LargeBinary, SQLModel, UniqueConstraint


def utcnow() -> datetime:
    return datetime.now(UTC)


class ContentDraft(SQLModel, table=True):
    """An unpublished change to one item (a narrative, a price, a layer...); one draft per item.

    `revision` goes up on every save: a save that names an older revision came from a stale editor
    and is refused, so two people editing the same item never silently overwrite each other.
    """

    __tablename__ = "content_drafts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=120)
    value: str  # canonical JSON
    revision: int = 1
    author: str = Field(max_length=120)
    updated_at: datetime = Field(default_factory=utcnow)
    release_id: int | None = Field(default=None, foreign_key="releases.id", index=True)


class ContentVersion(SQLModel, table=True):
    """One published version of one item; never changed or deleted, so history and rollback are complete."""

    __tablename__ = "content_versions"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_content_versions_key_version"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=120)
    version: int
    value: str  # canonical JSON
    author: str = Field(max_length=120)
    note: str = Field(default="", max_length=200)  # "published", "rolled back to version 2", "release Spring"
    published_at: datetime = Field(default_factory=utcnow)


class LayerUpload(SQLModel, table=True):
    """An uploaded layer image, checked, kept in the database so every server sees the same bytes."""

    __tablename__ = "layer_uploads"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, max_length=64)
    png: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    model: str = Field(max_length=40)
    view: str = Field(max_length=40)
    slot: str = Field(max_length=40)
    option: str = Field(max_length=48)
    uploaded_by: str = Field(max_length=120)
    uploaded_at: datetime = Field(default_factory=utcnow)
