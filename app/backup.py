"""`motorjoy backup FILE` and `motorjoy restore FILE` for the embedded SQLite database.

SQLite's online backup copies a consistent snapshot page by page while the app keeps running (writers
wait only for each step). PostgreSQL has its own tools (`pg_dump -Fc` / `pg_restore`): the commands
say so instead of doing half a job.
"""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from app import db, settings


class BackupError(ValueError):
    """A backup or restore we won't do; the message says why and what to do instead."""


def sqlite_path(url: str | None = None) -> Path:
    """The live database's file, or BackupError when the database isn't SQLite."""
    parsed = make_url(url or settings.db_url())
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise BackupError(
            "The database is PostgreSQL: back it up with `pg_dump -Fc -f motorjoy.dump DATABASE_URL` and "
            "restore with `pg_restore --clean -d DATABASE_URL motorjoy.dump` (see the README)."
        )
    return Path(parsed.database)


def backup(target: Path, url: str | None = None) -> int:
    """Copy the live database to `target` (a new file); returns the number of orders in the copy."""
    source = sqlite_path(url)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name, so no backup is overwritten.")
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    target.chmod(0o600)  # the copy holds what the database holds: customers, password hashes
    return _orders_in(target)


def restore(backup_file: Path, url: str | None = None) -> int:
    """Replace the live database's contents with `backup_file`'s; returns the number of orders restored.

    Stop the app first: pages open during a restore would show a mix of old and new until reloaded.
    """
    if not backup_file.is_file():
        raise BackupError(f"There is no backup file {backup_file}.")
    try:
        orders = _orders_in(backup_file)
    except sqlite3.DatabaseError:
        raise BackupError(f"{backup_file} is not a Motorjoy backup (no orders table in an SQLite file).") from None
    target = sqlite_path(url)
    db.dispose(str(url or settings.db_url()))  # no pooled connection keeps the old pages
    with sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True) as saved, sqlite3.connect(target) as live:
        saved.backup(live)
    return orders


def _orders_in(path: Path) -> int:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
        return copy.execute("SELECT count(*) FROM orders").fetchone()[0]
