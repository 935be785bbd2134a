"""Staff tests start from two dealerships in a fresh database (SQLite, and PostgreSQL when reachable)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from app import db
from app.staff.models import Dealership

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def s(db_url) -> Iterator[Session]:
    with db.session(db_url) as session:
        session.add(Dealership(name="Motorjoy Glasgow", city="Glasgow"))
        session.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
        session.flush()
        yield session
