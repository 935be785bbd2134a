"""A fresh SQLite database with every table, built from the models until the staff migration exists."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (registers every table)
from app import db
from app.staff.models import Dealership

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    SQLModel.metadata.create_all(db.engine(url))
    return url


@pytest.fixture
def s(url) -> Iterator[Session]:
    with db.session(url) as session:
        session.add(Dealership(name="Motorjoy Glasgow", city="Glasgow"))
        session.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
        session.flush()
        yield session
