"""A fresh SQLite database built from the models (the tracking table has no migration yet)."""

from collections.abc import Iterator

import pytest
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (registers every table)
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
def s(tmp_path, monkeypatch) -> Iterator[Session]:
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))  # the link signing key lives here
    url = f"sqlite:///{tmp_path / 'tracking.db'}"
    SQLModel.metadata.create_all(db.engine(url))
    with db.session(url) as session:
        yield session
