"""With the disk full or the database read-only, signing in and looking up an order say so (and log it);
with another connection writing meanwhile, signing in waits for it."""

import time
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from reflex.state import State

from app import db
from app.signin.state import CANT_SIGN_IN, StaffState
from app.staff import accounts
from app.staff.accounts import create_user
from app.staff.models import Dealership
from app.tracking.state import CANT_LOOK_UP, TrackState

DEE = {"email": "dee@example.com", "password": "a long enough password 1"}


@pytest.fixture
def with_dee(tmp_path, monkeypatch) -> str:
    """The URL of an SQLite database holding one marketing account, Dee's."""
    url = f"sqlite:///{tmp_path / 'motorjoy.db'}"
    db.migrate(url)
    with db.session(url) as s:
        create_user(s, DEE["email"], "Dee", "marketing", DEE["password"])
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    return url


@pytest.fixture
def read_only(with_dee, tmp_path, monkeypatch):
    # A read-only SQLite file stands in for a full disk or a server gone read-only: reads work, writes fail.
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///file:{tmp_path / 'motorjoy.db'}?mode=ro&uri=true")


def state_of(state_class):
    root = State(_reflex_internal_init=True)
    return root.get_substate(state_class.get_full_name().split(".")[1:])


def test_signing_in_says_the_database_is_the_problem(read_only, caplog):
    state = state_of(StaffState)
    StaffState.sign_in.fn(state, DEE)
    assert state.signin_error == CANT_SIGN_IN and state.token == ""
    assert "sign-in failed on the database" in caplog.text


def test_looking_up_an_order_says_so_too(read_only, caplog):
    state = state_of(TrackState)
    TrackState.lookup.fn(state, {"number": "MJ4K7QX2", "name": "MacLeod"})
    assert state.lookup_error == CANT_LOOK_UP and "tracker look-up failed on the database" in caplog.text


def test_signing_in_waits_for_another_writer_instead_of_failing(with_dee, monkeypatch):
    # SQLite refuses a write after a read once another connection has committed in between; the
    # password check between them is slow on purpose, and the club mail's thread writes any time.
    url = with_dee
    monkeypatch.setenv("REFLEX_DB_URL", url)
    checked = accounts.verify_password
    with ThreadPoolExecutor(max_workers=1) as thread:
        other: list[Future] = []

        def verify_while_another_commits(hashed: str, password: str) -> bool:
            other.append(thread.submit(_add_dealership, url))
            time.sleep(0.3)
            return checked(hashed, password)

        monkeypatch.setattr(accounts, "verify_password", verify_while_another_commits)
        state = state_of(StaffState)
        StaffState.sign_in.fn(state, DEE)
        other[0].result(timeout=30)
    assert state.signin_error == "" and state.token
    db.dispose(url)


def _add_dealership(url: str) -> None:
    with db.session(url) as s:
        s.add(Dealership(name="Motorjoy Leeds", city="Leeds"))
