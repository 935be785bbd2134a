"""The page's router data stays on the server: an option pick sends the browser what changed, not the URL.

Reflex keeps the address it last saw in vars on its root state (`router.url`, `router.page`, the
session and headers) and sends them to the browser whenever they change. /build keeps its address in
step with the build, so every pick changed it and every answer carried the URL parsed three ways:
1.6 KB of a 2.7 KB pick. No page of ours reads a router var in the browser: handlers read them on the
server (`self.router.url`), which this leaves alone. So the router vars stop being sent at all, and
so do the vars Reflex derives from them for each dynamic route's arguments (`code` of /build/[code],
`number` and `token` of the tracker): 85 bytes more of each pick.

If a page ever needs one in the browser, the test that renders every page with this in force fails:
copy the value into a var of that page's own state instead.
"""

from reflex.state import State
from reflex_base import constants

ROUTER_VARS = frozenset(constants.ROUTER_VARS)


def keep_router_on_server() -> None:
    """Stop sending the root state's router vars to browsers (they keep updating on the server).

    Reflex recomputes which vars it sends whenever a var is added to a state (a dynamic route such as
    /build/[code] adds one to the root when its page is added), so the trimming rides on that too.
    """
    if getattr(State._init_var_dependency_dicts, "_router_on_server", False):
        _trim()
        return
    recompute = State._init_var_dependency_dicts.__func__  # type: ignore[attr-defined]

    def recompute_then_trim(cls: type[State]) -> None:
        recompute(cls)
        if cls is State:
            _trim()

    recompute_then_trim._router_on_server = True  # type: ignore[attr-defined]
    State._init_var_dependency_dicts = classmethod(recompute_then_trim)  # type: ignore[method-assign,assignment]
    _trim()


def on_server_only() -> frozenset[str]:
    """The root state's vars this keeps from browsers: the router's, and each dynamic route argument."""
    return ROUTER_VARS | frozenset(State._dynamic_route_arg_types())


def _trim() -> None:
    State._frontend_var_names = State._frontend_var_names - on_server_only()
