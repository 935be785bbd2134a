"""Behind a reverse proxy: each visitor is limited on their own address, and a forged X-Forwarded-For is ignored.

Reflex resolves the websocket's client from `trusted_proxy_hops` (REFLEX_TRUSTED_PROXY_HOPS); the plain
HTTP routes use the same rule (app.http.client_address), so a page and a route agree on who asked.
"""

import pytest
from reflex import constants
from reflex.app import EventNamespace
from reflex.config import get_config
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import db
from app.nudges.events import REPORTS, NudgeEvent, nudge_routes
from app.tracking.lookup import TooManyLookups, find_order_for_customer

PROXY = ("10.0.0.2", 40000)  # the reverse proxy, the only peer the app sees
REPORT = {"action": "shown", "line": 1}


@pytest.fixture
def hops(monkeypatch):
    """Set the number of trusted proxies for Reflex's websocket and our routes alike."""

    def set_hops(n: int) -> None:
        monkeypatch.setenv("REFLEX_TRUSTED_PROXY_HOPS", str(n))
        monkeypatch.setattr(get_config(), "trusted_proxy_hops", n)

    return set_hops


def websocket_client(peer: str, forwarded_for: str | None) -> str:
    """The client address Reflex gives a websocket connection (what `router.session.client_ip` holds)."""
    headers = [(b"x-forwarded-for", forwarded_for.encode())] if forwarded_for else []
    environ = {"asgi.scope": {"client": (peer, 1), "headers": headers}}
    return EventNamespace._build_static_router_data(None, "sid", environ)[constants.RouteVar.CLIENT_IP]


def test_two_visitors_behind_one_proxy_are_looked_up_separately(hops, db_session):
    hops(1)
    alice = websocket_client(PROXY[0], "203.0.113.7")
    bob = websocket_client(PROXY[0], "198.51.100.9")
    assert (alice, bob) == ("203.0.113.7", "198.51.100.9")
    for _ in range(10):
        find_order_for_customer(db_session, "MJ4K7QX2", "Nobody", alice)
    with pytest.raises(TooManyLookups):
        find_order_for_customer(db_session, "MJ4K7QX2", "Nobody", alice)
    assert find_order_for_customer(db_session, "MJ4K7QX2", "Nobody", bob) is None  # not limited, just not found


def test_a_forged_forwarded_for_is_ignored(hops):
    hops(0)  # no proxy: the header is the client's own say
    assert websocket_client("203.0.113.50", "1.2.3.4") == "203.0.113.50"
    hops(1)  # behind our proxy, which appends the address it saw: what the client wrote is left of it
    assert websocket_client(PROXY[0], "1.2.3.4, 203.0.113.50") == "203.0.113.50"


def reports_from(db_url, peer, forwarded_for: str | None, times: int) -> list[int]:
    http = TestClient(Starlette(routes=nudge_routes()), client=peer)
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return [http.post("/nudges/event", json=REPORT, headers=headers).status_code for _ in range(times)]


def stored(db_url) -> int:
    with db.session(db_url) as s:
        return len(s.exec(select(NudgeEvent)).all())


def test_nudge_reports_are_limited_per_visitor_behind_the_proxy(hops, db_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    hops(1)
    assert reports_from(db_url, PROXY, "203.0.113.7", REPORTS.hits + 1) == [200] * REPORTS.hits + [429]
    assert reports_from(db_url, PROXY, "198.51.100.9", 1) == [200]  # the neighbour behind the same proxy
    assert stored(db_url) == REPORTS.hits + 1


def test_a_direct_client_cant_dodge_the_limit_by_forging_the_header(hops, db_url, monkeypatch):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    hops(0)
    codes = [reports_from(db_url, ("203.0.113.50", 1), f"192.0.2.{n}", 1)[0] for n in range(REPORTS.hits + 1)]
    assert codes == [200] * REPORTS.hits + [429] and stored(db_url) == REPORTS.hits
