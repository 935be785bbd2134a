"""The tracker's share button, its handler called directly."""

from sqlmodel import select

from app import db, settings
from app.orders.numbers import tracking_link
from app.sharing import state as share_state
from app.sharing.links import ShareLink
from app.sharing.state import ShareState
from tests.unit.handlers import state_for
from tests.unit.meanwhile import another_writer, run_before


def test_sharing_makes_the_link_though_another_connection_writes_meanwhile(demo_site, monkeypatch):
    # SQLite refuses a write after a read once another connection has committed in between (another
    # worker, the club mail's thread, the pictures being counted).
    state = state_for(ShareState, path=tracking_link("MJ4K7QX2"))
    with another_writer(settings.db_url()) as meanwhile:
        run_before(monkeypatch, share_state, "milestone_link", meanwhile)  # after the order and its stage
        ShareState.share_milestone.fn(state)
    with db.session() as s:
        (link,) = s.exec(select(ShareLink)).all()
    assert state.path == f"/share/{link.token}" and link.stage == "at_sea"
