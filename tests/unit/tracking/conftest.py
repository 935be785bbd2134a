"""Tracking tests: a journey of their own, and a fresh database with every table."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app import db
from tests.unit.tracking.tracking_data import small_trip


@pytest.fixture
def small_journey():
    """SMALL_JOURNEY, for tests to hand to the cores instead of the marketing copy."""
    return small_trip()


@pytest.fixture
def s(db_url, tmp_path, monkeypatch) -> Iterator[Session]:
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))  # the link signing key lives here
    with db.session(db_url) as session:
        yield session
