"""One limiter for everything a stranger can repeat: so many hits per key per window, shared by every worker.

A rule says how many hits one key (a client, an account) gets per window; the window starts at the
key's first hit. The counts live in the database so every worker and every server shares them, and
each count is one UPDATE, so two workers can't both take the last hit.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Field, Session, SQLModel, UniqueConstraint, col, delete, select, update

MAX_KEY = 200  # longer keys (a 300-character email) are stored as their SHA-256, so any input fits


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Rule:
    """`hits` per `per` for each key; `name` keeps different rules' counts apart."""

    name: str
    hits: int
    per: timedelta


class Limited(Exception):
    """The key has used its hits in this window; `wait` is how long until it may try again."""

    def __init__(self, wait: timedelta) -> None:
        super().__init__(f"limited for {wait}")
        self.wait = wait

    @property
    def in_words(self) -> str:
        return wait_in_words(self.wait)


def wait_in_words(wait: timedelta) -> str:
    """A wait for a message, in whole minutes rounded up: "1 minute", "7 minutes"."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class RateLimit(SQLModel, table=True):
    """How many hits one key has made under one rule in its current window."""

    __tablename__ = "rate_limits"
    __table_args__ = (UniqueConstraint("rule", "key", name="uq_rate_limits_rule_key"),)

    id: int | None = Field(default=None, primary_key=True)
    rule: str = Field(max_length=40)
    key: str = Field(max_length=MAX_KEY)
    hits: int = 0
    window_started_at: datetime = Field(default_factory=_utcnow)


@dataclass(frozen=True)
class Grant:
    """Hits taken at once, and how long the window they were counted in still runs."""

    hits: int
    lasts: timedelta


def take(session: Session, rule: Rule, key: str, now: datetime | None = None) -> None:
    """Count one hit for `key`; raises Limited (counting nothing) once it has used its hits this window."""
    _count(session, rule, key, _now(now), 1, over_limit_ok=False)


def take_up_to(session: Session, rule: Rule, key: str, wanted: int, now: datetime | None = None) -> Grant:
    """Count up to `wanted` hits for `key` at once, as many as its window has left; raises Limited
    (counting nothing) when none are left. For a worker that hands the hits out itself, one database
    write per `wanted` hits; the hits it doesn't use before `lasts` ends are simply lost."""
    if wanted < 1:
        raise ValueError("take at least one hit")
    return _count(session, rule, key, _now(now), wanted, over_limit_ok=False)


def count(session: Session, rule: Rule, key: str, now: datetime | None = None) -> None:
    """Count one hit even past the limit (a failure that already happened, such as a wrong password)."""
    _count(session, rule, key, _now(now), 1, over_limit_ok=True)


def wait_for(session: Session, rule: Rule, key: str, now: datetime | None = None) -> timedelta:
    """How long `key` must wait before its next hit under `rule` (zero: it may go now); counts nothing."""
    now = _now(now)
    row = _row(session, rule, _stored(key))
    if row is None or row.hits < rule.hits:
        return timedelta(0)
    return max(timedelta(0), _as_utc(row.window_started_at) + rule.per - now)


def forget(session: Session, rule: Rule, *keys: str) -> None:
    """Start these keys afresh (after a successful sign-in, say)."""
    stored = [_stored(key) for key in keys]
    session.exec(delete(RateLimit).where(col(RateLimit.rule) == rule.name, col(RateLimit.key).in_(stored)))


def _count(session: Session, rule: Rule, key: str, now: datetime, wanted: int, *, over_limit_ok: bool) -> Grant:
    key = _stored(key)
    # Write before reading. An SQLite transaction that has read can't start writing once another
    # connection has committed since; SQLite then fails at once ("database is locked") instead of
    # waiting, which refused a visitor's save while the spin's pictures were being counted. This
    # UPDATE changes nothing but takes the write lock (SQLite) or the row's lock (PostgreSQL) first.
    session.exec(_update().where(*_this_key(rule, key)).values(hits=col(RateLimit.hits)))
    row = _row(session, rule, key)
    first = wanted if over_limit_ok else min(wanted, rule.hits)
    if row is None:
        session.add(RateLimit(rule=rule.name, key=key, hits=first, window_started_at=now))
        session.flush()
        return Grant(first, rule.per)
    started = _as_utc(row.window_started_at)
    this_key = _this_key(rule, key)
    if now - started >= rule.per:
        session.exec(_update().where(*this_key).values(hits=first, window_started_at=now))
        session.expire(row)
        return Grant(first, rule.per)
    granted = wanted if over_limit_ok else min(wanted, rule.hits - row.hits)
    if granted < 1:
        raise Limited(started + rule.per - now)
    # Count only while the hits are left, in one statement, so two workers can't both take the last one.
    left = () if over_limit_ok else (col(RateLimit.hits) <= rule.hits - granted,)
    counted = session.exec(_update().where(*this_key, *left).values(hits=col(RateLimit.hits) + granted))
    session.expire(row)
    if counted.rowcount != 1:
        raise Limited(started + rule.per - now)
    return Grant(granted, started + rule.per - now)


def _this_key(rule: Rule, key: str) -> tuple:
    return (col(RateLimit.rule) == rule.name, col(RateLimit.key) == key)


def _row(session: Session, rule: Rule, key: str) -> RateLimit | None:
    return session.exec(select(RateLimit).where(RateLimit.rule == rule.name, RateLimit.key == key)).first()


def _update():
    return update(RateLimit).execution_options(synchronize_session=False)


def _stored(key: str) -> str:
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return _as_utc(now) if now else _utcnow()


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything stored here is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
