"""`motorjoy backup` / `restore`: a backup taken while the app runs restores every order."""

import pytest
from sqlmodel import delete, select

from app import db
from app.backup import BackupError
from app.catalog import load_catalogue
from app.cli import main as motorjoy
from app.orders.demo import seed_demo_orders
from app.orders.models import Order, StageEvent
from app.staff.demo import seed_demo_staff


@pytest.fixture
def url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'motorjoy.db'}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    db.migrate(url)
    with db.session(url) as s:
        seed_demo_staff(s)
        seed_demo_orders(s, load_catalogue())
    yield url
    db.dispose(url)


def numbers(url) -> set[str]:
    with db.session(url) as s:
        return set(s.exec(select(Order.number)).all())


def test_a_restored_backup_has_every_order(url, tmp_path, capsys):
    before = numbers(url)
    assert len(before) >= 3
    backup = tmp_path / "backup.db"
    assert motorjoy(["backup", str(backup)]) == 0
    assert f"({len(before)} orders)" in capsys.readouterr().out
    assert backup.stat().st_mode & 0o777 == 0o600
    with db.session(url) as s:  # disaster: the orders are gone
        s.exec(delete(StageEvent))
        s.exec(delete(Order))
    assert numbers(url) == set()
    assert motorjoy(["restore", str(backup)]) == 0
    assert numbers(url) == before
    assert motorjoy(["backup", str(backup)]) == 2  # never overwrites a backup
    assert "already exists" in capsys.readouterr().err


def test_restore_refuses_a_file_that_is_not_a_backup(url, tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    assert motorjoy(["restore", str(junk)]) == 2
    assert "is not a Motorjoy backup" in capsys.readouterr().err
    assert len(numbers(url)) >= 3


def test_postgresql_points_to_its_own_tools(monkeypatch, tmp_path):
    from app.backup import backup

    with pytest.raises(BackupError, match="pg_dump"):
        backup(tmp_path / "x.db", url="postgresql+psycopg://motorjoy@db/motorjoy")
