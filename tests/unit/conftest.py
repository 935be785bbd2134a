"""Shared database fixtures: a fresh database with every table, per test."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (registers every table)
from app import db


@pytest.fixture
def db_url(tmp_path) -> str:
    """The URL of an empty database holding every table."""
    url = f"sqlite:///{tmp_path / 'motorjoy.db'}"
    SQLModel.metadata.create_all(db.engine(url))
    return url


@pytest.fixture
def db_session(db_url) -> Iterator[Session]:
    """A session on `db_url` that commits when the test ends cleanly."""
    with db.session(db_url) as session:
        yield session
