"""Shared database fixtures: a fresh database per test, on SQLite and (when reachable) on PostgreSQL too."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (registers every table)
from app import db
from tests.databases import fresh_schema, postgres_unreachable


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database: an SQLite file, or a schema of its own on the PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'motorjoy.db'}"
        yield url
        db.dispose(url)
        return
    if reason := postgres_unreachable():
        pytest.skip(reason)
    with fresh_schema() as url:
        yield url


@pytest.fixture
def db_url(empty_db_url) -> str:
    """The URL of a database holding every table (built from the models)."""
    SQLModel.metadata.create_all(db.engine(empty_db_url))
    return empty_db_url


@pytest.fixture
def db_session(db_url) -> Iterator[Session]:
    """A session on `db_url` that commits when the test ends cleanly."""
    with db.session(db_url) as session:
        yield session


from tests.unit.handlers import demo_site  # noqa: E402, F401  (the handler tests' shared fixture)
