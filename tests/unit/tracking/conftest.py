"""Tracking tests: a journey of their own, and a fresh database with every table."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from app import db
from app.tracking import progress as progress_module
from app.tracking.journey import load_journey
from tests.unit.tracking.tracking_data import SMALL_JOURNEY


@pytest.fixture
def small_journey(tmp_path, monkeypatch):
    """Progress computed against SMALL_JOURNEY instead of the marketing copy."""
    path = tmp_path / "journey.toml"
    path.write_text(SMALL_JOURNEY)
    trip = load_journey(path)
    monkeypatch.setattr(progress_module, "journey", lambda: trip)
    return trip


@pytest.fixture
def s(db_url, tmp_path, monkeypatch) -> Iterator[Session]:
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))  # the link signing key lives here
    with db.session(db_url) as session:
        yield session
