"""Every page lays out: its component tree builds and renders, so a misspelt field fails here, not in a browser."""

import json
import re

import pytest

from app.configurator.compare_page import CompareState, compare_page
from app.configurator.page import build_page
from app.configurator.state import BuildState
from app.dealer.page import dealer_page, order_page
from app.dealer.state import DeskState, OrderViewState
from app.home.page import home
from app.home.state import HomeState
from app.signin.page import signin_page
from app.signin.state import StaffState
from app.studio.page import studio_page
from app.studio.state import StudioState
from app.tracking.page import track_page
from app.tracking.state import TrackState

# (page, the state its layout reads)
PAGES = [
    (home, HomeState),
    (build_page, BuildState),
    (compare_page, CompareState),
    (track_page, TrackState),
    (signin_page, StaffState),
    (dealer_page, DeskState),
    (order_page, OrderViewState),
    (studio_page, StudioState),
]


@pytest.mark.parametrize(("page", "state"), PAGES, ids=[p.__name__ for p, _ in PAGES])
def test_the_page_builds_and_renders_with_its_state(page, state):
    rendered = json.dumps(page().render(), default=str)
    assert state.get_name() in rendered


def test_the_app_registers_every_page():
    from app.app import app

    assert {"index", "build", "track", "dealer", "studio", "signin", "compare"} <= {
        route.strip("/").split("/")[0] or "index" for route in app._unevaluated_pages
    }


def test_no_page_reads_the_router_in_the_browser_so_its_vars_stay_on_the_server():
    # app.ui.router_on_server stops sending router vars; a page reading one in the browser would go stale.
    import reflex as rx
    from reflex.compiler.compiler import into_component
    from reflex.state import State

    from app.app import app
    from app.ui.router_on_server import on_server_only

    kept = on_server_only()
    assert {"rx_router_url", "code", "number"} <= kept and not kept & State._frontend_var_names
    for route, page in app._unevaluated_pages.items():
        rendered = json.dumps(into_component(page.component).render(), default=str)
        assert not [name for name in kept if re.search(rf"(?<!\w){name}_rx_state_", rendered)], route
    assert "rx_router" in json.dumps(rx.text(State.router.url.path).render())  # the check sees a reader
