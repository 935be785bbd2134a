"""Calling Reflex handlers directly, as a crafted websocket message would: a state tree, a URL, a sign-in."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from reflex.istate.data import RouterData
from reflex.state import State
from sqlmodel import SQLModel

from app import db
from app.catalog import load_catalogue
from app.content import live
from app.orders.demo import seed_demo_orders
from app.signin.state import StaffState
from app.staff.accounts import sign_in
from app.staff.demo import DEMO_PASSWORD, seed_demo_staff

NOW = datetime.now(UTC)


def state_for(state_class, token: str = "", path: str = "/", ip: str = "10.0.0.1"):
    """A fresh state of `state_class` in its own tree, on the page `path`, signed in with `token`."""
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"asPath": path, "pathname": path, "headers": {"origin": "http://localhost:3000"}, "ip": ip, "token": "t"}
    )
    # The sign-in lives in StaffState; pages that aren't staff pages reach it with get_state.
    root.get_substate(StaffState.get_full_name().split(".")[1:]).token = token
    state = root.get_substate(state_class.get_full_name().split(".")[1:])
    if isinstance(state, StaffState):
        state.token = token
    return state


@pytest.fixture
def demo_site(tmp_path, monkeypatch) -> Iterator[dict[str, str]]:
    """The demo dealerships, staff and orders in a fresh database the handlers use; a token per role.

    SQLite only: the handlers' SQL is the cores', which run on PostgreSQL in their own tests.
    """
    db_url = f"sqlite:///{tmp_path / 'handlers.db'}"
    SQLModel.metadata.create_all(db.engine(db_url))
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    live.forget_published()
    with db.session(db_url) as s:
        seed_demo_staff(s)
        seed_demo_orders(s, load_catalogue(), NOW)
    with db.session(db_url) as s:
        roles = ("dealer", "marketing", "admin")
        tokens = {role: sign_in(s, f"{role}@motorjoy.example", DEMO_PASSWORD, role) for role in roles}
    yield {"nobody": "", "forged": "not-a-session", **tokens}
    live.forget_published()
    db.dispose(db_url)
