"""Where Motorjoy keeps its files and how the environment overrides the embedded defaults."""

import os
import secrets
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
    """Redis for shared state between workers; unset means one process keeping visitors' state in memory."""
    return os.environ.get("REFLEX_REDIS_URL") or None


def visitor_idle_seconds() -> int:
    """How long one process keeps a visitor's state after their last event once no tab of theirs is open."""
    text = os.environ.get("MOTORJOY_VISITOR_IDLE_SECONDS", "300")
    if not text.isdigit() or int(text) < 1:
        raise SystemExit(f"MOTORJOY_VISITOR_IDLE_SECONDS must be a whole number of seconds from 1 up, not {text!r}.")
    return int(text)


def picture_cache_bytes() -> int:
    """The most the picture store on disk may hold (`MOTORJOY_PICTURE_CACHE_MB`, 300 MB by default)."""
    text = os.environ.get("MOTORJOY_PICTURE_CACHE_MB", "300")
    if not text.isdigit() or int(text) < 10:
        raise SystemExit(f"MOTORJOY_PICTURE_CACHE_MB must be a whole number of megabytes from 10 up, not {text!r}.")
    return int(text) * 1024 * 1024


def public_url() -> str:
    """Where customers reach the site, for links in mail: `MOTORJOY_PUBLIC_URL`."""
    return os.environ.get("MOTORJOY_PUBLIC_URL", "http://localhost:3000").rstrip("/")


def secret_key() -> bytes:
    """The key that signs private links: `MOTORJOY_SECRET_KEY`, else one made once for this data directory.

    Several servers must share one key, so production sets the variable.
    """
    if key := os.environ.get("MOTORJOY_SECRET_KEY"):
        return key.encode()
    path = data_dir() / "secret.key"
    try:  # O_EXCL: when two processes start at once, exactly one writes the key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32))
    return path.read_text().strip().encode()
