"""Throwaway PostgreSQL schemas for tests: each gets a URL of its own, dropped afterwards."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from urllib.parse import quote

import sqlalchemy as sa

from app import db

POSTGRES_URL = os.environ.get("MOTORJOY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@cache
def postgres_unreachable() -> str:
    """Why PostgreSQL tests can't run here, or "" when they can (asked once per run, with a short timeout)."""
    probe = sa.create_engine(POSTGRES_URL, poolclass=sa.NullPool, connect_args={"connect_timeout": 2})
    try:
        with probe.connect() as connection:
            connection.execute(sa.text("select 1"))
    except Exception as error:  # any failure means "not here"; the reason says which
        return f"PostgreSQL is not reachable at {POSTGRES_URL} (set MOTORJOY_TEST_POSTGRES_URL): {error}"
    finally:
        probe.dispose()
    return ""


def with_search_path(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema` (so each schema gets its own engine)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}"


@contextmanager
def fresh_schema(prefix: str = "t") -> Iterator[str]:
    """A new, empty PostgreSQL schema; yields a database URL that works inside it. Dropped afterwards."""
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = sa.create_engine(POSTGRES_URL, poolclass=sa.NullPool)
    with admin.begin() as connection:
        connection.execute(sa.text(f'create schema "{schema}"'))
    url = with_search_path(POSTGRES_URL, schema)
    try:
        yield url
    finally:
        db.dispose(url)  # its pooled connections would otherwise hold locks the drop waits for
        with admin.begin() as connection:
            connection.execute(sa.text(f'drop schema "{schema}" cascade'))
        admin.dispose()
