"""The studio's store: drafts, publishing, scheduled releases, history with diffs, rollback and the audit log.

Plain functions over a Session. Callers pass `check`, which gets every value that would be live after
the change and raises ValueError when they don't fit together (a catalogue a rule would break): the
store never publishes a combination that was not checked whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from app.content.models import ContentDraft, ContentVersion
from app.content.store import canonical, draft_values, drafts, published, published_values
from app.studio.models import AuditEntry, Release

Check = Callable[[Mapping[str, Mapping]], object]


class StudioError(ValueError):
    """A studio action refused; the message is for the marketing user."""


class EditConflict(StudioError):
    """Someone else changed the item since this editor loaded it."""


@dataclass(frozen=True)
class HistoryRow:
    version: int
    author: str
    when: str
    note: str
    changes: list[str]  # what changed from the version before (the first: from as shipped), in sentences


def now() -> datetime:
    return datetime.now(UTC)


def edit_token(s: Session, key: str) -> str:
    """What an editor remembers when it opens an item; a save with an older token is refused."""
    version = s.exec(select(func.max(ContentVersion.version)).where(ContentVersion.key == key)).one() or 0
    draft = s.exec(select(ContentDraft).where(ContentDraft.key == key)).first()
    return f"{version}.{draft.revision if draft else 0}"


def save_draft(s: Session, key: str, value: Mapping, *, author: str, token: str, check: Check) -> ContentDraft:
    """Store `value` as the item's draft, unless someone changed the item since `token` was taken."""
    _check_token(s, key, token)
    check(draft_values(s) | {key: dict(value)})
    draft = s.exec(select(ContentDraft).where(ContentDraft.key == key)).first()
    if draft is None:
        draft = ContentDraft(key=key, value=canonical(value), author=author)
    else:
        draft.value, draft.revision, draft.author, draft.updated_at = (
            canonical(value),
            draft.revision + 1,
            author,
            now(),
        )
    s.add(draft)
    audit(s, author, "saved draft", key)
    s.flush()
    return draft


def discard_draft(s: Session, key: str, *, author: str, token: str) -> None:
    _check_token(s, key, token)
    draft = s.exec(select(ContentDraft).where(ContentDraft.key == key)).first()
    if draft is None:
        raise StudioError("There is no draft to throw away.")
    s.delete(draft)
    audit(s, author, "discarded draft", key)


def _check_token(s: Session, key: str, token: str) -> None:
    if edit_token(s, key) == token:
        return
    draft = s.exec(select(ContentDraft).where(ContentDraft.key == key)).first()
    latest = published(s).get(key)
    if draft is not None:
        who, when = draft.author, draft.updated_at
    elif latest is not None:
        who, when = latest.author, latest.published_at
    else:  # a token from no edit of ours (a forged or garbled form)
        raise EditConflict("This item changed while you had it open, so your save was not kept. Open it again.")
    raise EditConflict(
        f"{who} changed this item at {_clock(when)} while you had it open, so your save was not kept. "
        "Reload the item to see their version, then make your change again."
    )


def publish(s: Session, keys: Iterable[str], *, author: str, check: Check, note: str = "published") -> list[str]:
    """Make the drafts of `keys` live together, as new versions; returns the keys published."""
    pending = [d for key, d in drafts(s).items() if key in set(keys)]
    if not pending:
        raise StudioError("There is nothing to publish: save a draft first.")
    check(published_values(s) | {d.key: json.loads(d.value) for d in pending})
    for draft in pending:
        _new_version(s, draft.key, json.loads(draft.value), author=author, note=note)
        s.delete(draft)
    s.flush()
    return [d.key for d in pending]


def rollback(s: Session, key: str, version: int, *, author: str, check: Check) -> int:
    """Publish an earlier version's value again, as a new version; returns the new version number."""
    old = s.exec(select(ContentVersion).where(ContentVersion.key == key, ContentVersion.version == version)).first()
    if old is None:
        raise StudioError(f"There is no version {version} of this item.")
    return republish(
        s, key, json.loads(old.value), author=author, check=check, note=f"rolled back to version {version}"
    )


def republish(s: Session, key: str, value: Mapping, *, author: str, check: Check, note: str) -> int:
    """Publish an earlier value (an old version, or the item as shipped) as a new version; returns its number."""
    current = published(s).get(key)
    if current is not None and current.value == canonical(value):
        raise StudioError("That is already what customers see.")
    if current is None:
        raise StudioError("Customers already see this as shipped.")
    check(published_values(s) | {key: dict(value)})
    return _new_version(s, key, value, author=author, note=note).version


def _new_version(s: Session, key: str, value: Mapping, *, author: str, note: str) -> ContentVersion:
    last = s.exec(select(func.max(ContentVersion.version)).where(ContentVersion.key == key)).one() or 0
    row = ContentVersion(key=key, version=last + 1, value=canonical(value), author=author, note=note)
    s.add(row)
    audit(s, author, note, key, f"version {last + 1}")
    s.flush()
    return row


def history(s: Session, key: str, changed: Callable[[Mapping | None, Mapping], list[str]]) -> list[HistoryRow]:
    """Every published version of the item, newest first, each with what changed from the one before.

    `changed(before, after)` says it in sentences; `before` is None for the first version (as shipped).
    """
    rows = s.exec(select(ContentVersion).where(ContentVersion.key == key).order_by(col(ContentVersion.version))).all()
    result, before = [], None
    for row in rows:
        value = json.loads(row.value)
        said = changed(before, value)
        result.append(HistoryRow(row.version, row.author, _clock(row.published_at), row.note, said))
        before = value
    return result[::-1]


def schedule(s: Session, keys: Iterable[str], *, name: str, publish_at: datetime, author: str) -> Release:
    """Bundle drafts into a release that goes live together at `publish_at`."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise StudioError("Give the release a name of up to 80 characters.")
    if publish_at <= now():
        raise StudioError("Pick a time in the future for the release (or publish now).")
    pending = [d for key, d in drafts(s).items() if key in set(keys)]
    if not pending:
        raise StudioError("Choose at least one draft for the release.")
    taken = [d.key for d in pending if d.release_id is not None]
    if taken:
        raise StudioError(f"{taken[0]} is already in another release; cancel that one first.")
    release = Release(name=name, publish_at=publish_at, created_by=author)
    s.add(release)
    s.flush()
    for draft in pending:
        draft.release_id = release.id
        s.add(draft)
    audit(s, author, "scheduled release", "", f"{name} at {_clock(publish_at)} ({len(pending)} items)")
    return release


def cancel_release(s: Session, release_id: int, *, author: str) -> None:
    release = s.get(Release, release_id)
    if release is None or release.status != "scheduled":
        raise StudioError("That release isn't waiting to go out any more.")
    release.status = "cancelled"
    for draft in s.exec(select(ContentDraft).where(ContentDraft.release_id == release_id)).all():
        draft.release_id = None
        s.add(draft)
    s.add(release)
    audit(s, author, "cancelled release", "", release.name)


def publish_due_release(s: Session, release: Release, check: Check, at: datetime) -> str:
    """Publish one due release, claimed first so two servers running this never publish it twice."""
    claimed = s.exec(
        sa.update(Release)
        .where(col(Release.id) == release.id, col(Release.status) == "scheduled")
        .values(status="publishing")
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return ""
    keys = [d.key for d in s.exec(select(ContentDraft).where(ContentDraft.release_id == release.id)).all()]
    try:
        with s.begin_nested():
            publish(s, keys, author=release.created_by, check=check, note=f"release {release.name}")
        status, outcome = "published", f"{len(keys)} items went live at {_clock(at)}."
    except (StudioError, ValueError) as error:
        status, outcome = "failed", str(error)[:500]
    s.exec(sa.update(Release).where(col(Release.id) == release.id).values(status=status, outcome=outcome))
    return f"{release.name}: {outcome}"


def due_releases(s: Session, at: datetime) -> list[Release]:
    return list(s.exec(select(Release).where(Release.status == "scheduled", Release.publish_at <= at)).all())


def releases(s: Session) -> list[Release]:
    return list(s.exec(select(Release).order_by(col(Release.publish_at).desc()).limit(20)).all())


def audit(s: Session, who: str, action: str, key: str = "", detail: str = "") -> None:
    s.add(AuditEntry(who=who, action=action, key=key, detail=detail[:500]))


def audit_log(s: Session, limit: int = 50) -> list[AuditEntry]:
    return list(s.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)).all())


def _clock(moment: datetime) -> str:
    return moment.strftime("%-d %b %Y, %H:%M UTC")
