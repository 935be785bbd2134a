"""The demo staff seed is idempotent, and `motorjoy create-user` / `motorjoy demo` handle staff."""

import pytest
from sqlmodel import select

from app import cli, db
from app.orders.demo import DEMO_ORDERS
from app.staff.accounts import sign_in
from app.staff.demo import DEMO_PASSWORD, seed_demo_staff
from app.staff.models import Dealership, StaffUser
from tests.unit.staff.conftest import T0


def test_demo_staff_seed_is_idempotent_and_signs_in(db_url):
    with db.session(db_url) as s:
        created = seed_demo_staff(s)
    assert sorted(role for _, role, _ in created) == ["admin", "dealer", "marketing"]
    assert all(password == DEMO_PASSWORD for *_, password in created)
    with db.session(db_url) as s:
        assert seed_demo_staff(s) == []
        assert len(s.exec(select(Dealership)).all()) == 3
        assert len(s.exec(select(StaffUser)).all()) == 3
        dealer = s.exec(select(StaffUser).where(StaffUser.email == "dealer@motorjoy.example")).one()
        assert s.get(Dealership, dealer.dealership_id).name == "Motorjoy Glasgow"
        assert sign_in(s, "admin@motorjoy.example", DEMO_PASSWORD, "c", now=T0)


@pytest.fixture
def cli_db(db_url, monkeypatch) -> str:
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    return db_url


def test_create_user_from_the_environment(cli_db, monkeypatch, capsys):
    with db.session(cli_db) as s:
        s.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
    monkeypatch.setenv("MOTORJOY_NEW_PASSWORD", "a long enough password")
    args = ["create-user", "--email", "Lee@Motorjoy.example", "--name", "Lee", "--role", "dealer"]
    assert cli.main([*args, "--dealership", "Motorjoy Leeds"]) == 0
    assert "Created dealer account for lee@motorjoy.example" in capsys.readouterr().out
    with db.session(cli_db) as s:
        assert sign_in(s, "lee@motorjoy.example", "a long enough password", "c", now=T0)


@pytest.mark.parametrize(
    ("extra", "password", "message"),
    [
        (["--dealership", "Motorjoy Leeds"], "short", "at least 10 characters"),
        ([], "a long enough password", "needs a dealership"),
        (["--dealership", "Nowhere"], "a long enough password", "No dealership called"),
    ],
)
def test_create_user_errors_exit_2_and_write_nothing(cli_db, monkeypatch, capsys, extra, password, message):
    with db.session(cli_db) as s:
        s.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
    monkeypatch.setenv("MOTORJOY_NEW_PASSWORD", password)
    args = ["create-user", "--email", "lee@motorjoy.example", "--name", "Lee", "--role", "dealer"]
    assert cli.main([*args, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Nothing was changed." in err
    with db.session(cli_db) as s:
        assert s.exec(select(StaffUser)).all() == []


def test_create_user_prompts_twice_and_refuses_a_mismatch(cli_db, monkeypatch, capsys):
    monkeypatch.delenv("MOTORJOY_NEW_PASSWORD", raising=False)
    answers = iter(["a long enough password", "a different password"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda _prompt: next(answers))
    assert cli.main(["create-user", "--email", "m@motorjoy.example", "--name", "M", "--role", "marketing"]) == 2
    assert "don't match" in capsys.readouterr().err
    with db.session(cli_db) as s:
        assert s.exec(select(StaffUser)).all() == []


def test_demo_prints_staff_sign_ins_once(cli_db, monkeypatch, capsys):
    # The models built the schema; `migrate` is tested on its own.
    monkeypatch.setattr(cli.db, "migrate", lambda *_: None)
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert f"{len(DEMO_ORDERS)} demo orders added" in out
    assert "Demo sign-ins (demo only): " in out and "admin@motorjoy.example / demo-password-1" in out
    assert cli.main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "0 demo orders added" in out and "Demo sign-ins" not in out
