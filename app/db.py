"""Database engine, sessions and migrations; the tables live with the feature that owns them."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from typing import Protocol

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlmodel import Session, create_engine

from app import settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_engines: dict[str, sa.Engine] = {}
_engines_lock = Lock()


def engine(url: str | None = None) -> sa.Engine:
    """One engine per URL per process, so every request shares its connection pool."""
    # Resolve the default before the cache, so a changed REFLEX_DB_URL doesn't get a stale engine.
    url = url or settings.db_url()
    if (eng := _engines.get(url)) is not None:
        return eng
    with _engines_lock:  # two threads asking for a new URL at once still get one pool
        if url not in _engines:
            _engines[url] = _new_engine(url)
        return _engines[url]


def dispose(url: str) -> None:
    """Close the pooled connections of `url`'s engine and forget it (tests drop their databases after)."""
    with _engines_lock:
        eng = _engines.pop(url, None)
    if eng is not None:
        eng.dispose()


def _forget_pools_in_child() -> None:
    # Reflex's Granian server imports the app (which reads the database) before forking its workers.
    # A pooled connection must never be shared by two processes: the child leaves the parent's
    # connections alone (close=False, they are still the parent's) and opens its own.
    global _engines_lock
    _engines_lock = Lock()
    for eng in _engines.values():
        eng.dispose(close=False)


os.register_at_fork(after_in_child=_forget_pools_in_child)


def _new_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        eng = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        sa.event.listen(eng, "connect", _sqlite_pragmas)
        # pysqlite only opens transactions before data changes, so a failed migration would leave half
        # its tables behind. We take over: the driver autocommits, and SQLAlchemy's begin says BEGIN.
        sa.event.listen(eng, "begin", _begin_sqlite)
        return eng
    return create_engine(url, pool_pre_ping=True)


# An execution option of the sessions that read and then write (see `session`).
_TAKES_WRITE_LOCK = "motorjoy_takes_write_lock"


def _begin_sqlite(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_TAKES_WRITE_LOCK) else "BEGIN")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers carry on while the app writes; foreign keys are off by default in SQLite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@contextmanager
def session(url: str | None = None, *, reads_then_writes: bool = False) -> Iterator[Session]:
    """A session that commits when the block ends cleanly and rolls back everything otherwise.

    `reads_then_writes`: on SQLite, take the write lock when the block starts. A transaction that has
    read can't start writing once another connection has committed since: SQLite then fails at once
    ("database is locked") instead of waiting its timeout, as the stage feed did while a tracker's
    pictures were being counted. Only for blocks that open no other session inside (that one would
    wait for this lock). PostgreSQL needs nothing: its row locks wait."""
    # Rows stay readable after the block commits: state handlers copy plain values out of them.
    with Session(engine(url), expire_on_commit=False) as s:
        if reads_then_writes:
            s.connection(execution_options={_TAKES_WRITE_LOCK: True})
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


def alembic_config(url: str | None = None) -> Config:
    """Alembic settings built in code, so the project needs no alembic.ini at the top level."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's config is an INI parser: a percent-encoded URL (a password, a search_path) must be escaped.
    cfg.set_main_option("sqlalchemy.url", (url or settings.db_url()).replace("%", "%%"))
    return cfg


def migrate(url: str | None = None) -> None:
    """Bring the schema up to the latest migration (safe to run every start)."""
    command.upgrade(alembic_config(url), "head")


class _Row(Protocol):
    id: int | None


def id_of(row: _Row) -> int:
    """A stored row's id. SQLModel types ids `int | None` (None until the row is flushed); this one is stored."""
    if row.id is None:
        raise ValueError(f"This {type(row).__name__} has not been saved yet, so it has no id.")
    return row.id
