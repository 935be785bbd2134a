"""Where Motorjoy keeps its files and how the environment overrides the embedded defaults."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LAYERS_DIR = REPO_ROOT / "layers"


def data_dir() -> Path:
    """The writable data directory (SQLite file, picture cache); `MOTORJOY_DATA_DIR` moves it."""
    path = Path(os.environ.get("MOTORJOY_DATA_DIR", REPO_ROOT / "data")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url() -> str:
    """The database URL: `REFLEX_DB_URL` when set, else an SQLite file in the data directory."""
    return os.environ.get("REFLEX_DB_URL") or f"sqlite:///{data_dir() / 'motorjoy.db'}"


def redis_url() -> str | None:
    """Redis for shared state between workers; unset means one process with the disk state manager."""
    return os.environ.get("REFLEX_REDIS_URL") or None
