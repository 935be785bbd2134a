"""Reading what is published (and, for a preview, what is waiting in drafts): plain queries over a Session."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.content.models import ContentDraft, ContentVersion


def canonical(value) -> str:
    """One spelling of a value, so equal values compare and hash equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def published(s: Session) -> dict[str, ContentVersion]:
    """The latest published version of every item that has one."""
    latest = (
        select(ContentVersion.key, func.max(ContentVersion.version).label("version"))
        .group_by(ContentVersion.key)
        .subquery()
    )
    rows = s.exec(
        select(ContentVersion).join(
            latest, sa.and_(col(ContentVersion.key) == latest.c.key, col(ContentVersion.version) == latest.c.version)
        )
    ).all()
    return {row.key: row for row in rows}


def published_values(s: Session) -> dict[str, dict]:
    return {key: json.loads(row.value) for key, row in published(s).items()}


def revision(s: Session) -> int:
    """Goes up with every publish or rollback; processes compare it to know their copy is current."""
    return s.exec(select(func.max(ContentVersion.id))).one() or 0


def drafts(s: Session) -> dict[str, ContentDraft]:
    return {d.key: d for d in s.exec(select(ContentDraft).order_by(ContentDraft.key)).all()}


def draft_values(s: Session) -> dict[str, dict]:
    """What a preview shows: the live values with every draft laid over them."""
    return published_values(s) | {key: json.loads(d.value) for key, d in drafts(s).items()}
