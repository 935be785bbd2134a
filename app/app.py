"""Builds the Reflex app: registers pages and HTTP routes; nothing else."""

import os
from collections.abc import Iterable

import reflex as rx
from reflex.istate.manager.redis import StateManagerRedis
from starlette.applications import Starlette
from starlette.routing import Router
from starlette.types import ASGIApp

from app import production, settings
from app.club.routes import unsubscribe_routes
from app.club.schedule import run_mail_schedule
from app.configurator.compare_page import CompareState, compare_page
from app.configurator.first_load import FirstLoadMiddleware, build_page_routes, picture_preload
from app.configurator.page import PICTURE_SIZES, build_page
from app.configurator.state import AFTER_SAVE, BuildState
from app.content.live import journey
from app.dealer.page import dealer_page, order_page
from app.dealer.state import DeskState, OrderViewState
from app.event_loop import import_thread_pool_backend, look_up_versions_once, watch_for_stalls
from app.health import health_routes
from app.home.not_found import not_found_page
from app.home.page import home
from app.home.state import HomeState
from app.http import front_end_page
from app.invites.page import bring_a_friend, invite_note
from app.invites.state import InviterState, InviteState
from app.logs import configure_logging
from app.memory import collect_old_generation, settle
from app.middleware import ShortcutFirst, SiteMiddleware
from app.nudges.events import nudge_routes
from app.questions.page import ask_card
from app.questions.state import AnswerState, AskState, DeskQuestionsState
from app.render import picture_routes
from app.render.key import PREFIX
from app.render.live import live_pictures, pictures_for_version, pictures_in_hand, warm_up
from app.render.misses import MissLimiter
from app.retention import run_retention_schedule
from app.sharing.page import share_milestone_button
from app.sharing.routes import built_page, sharing_routes
from app.signin.page import signin_page
from app.studio.page import studio_page
from app.studio.schedule import run_release_schedule
from app.studio.state import StudioState
from app.telemetry import start_telemetry
from app.tracking import push
from app.tracking.estimate import estimate_line
from app.tracking.feed_route import feed_routes
from app.tracking.page import track_page
from app.tracking.push import tell_open_tabs_soon
from app.tracking.state import TrackState, redraw_tracker
from app.ui.errors import handler_failed
from app.ui.event_guard import EventGuard
from app.ui.router_on_server import keep_router_on_server
from app.ui.theme import GLOBAL_STYLE
from app.visitor_states import SharedVisitorStates, VisitorStates

configure_logging()
tracing = start_telemetry()
look_up_versions_once()
import_thread_pool_backend()
# In production mode the server won't start on unsafe settings; the message names each one to fix.
production.refuse_unsafe()


def _build_preload(path: str, query: str) -> str | None:
    return picture_preload(live_pictures(), path, query, PICTURE_SIZES)


def _first_load(asgi_app):
    # Hashed scripts cached for good; /build's car picture preloaded with the page's HTML.
    return FirstLoadMiddleware(asgi_app, _build_preload)


# Plain HTTP next to the app: car pictures, the stage feed, nudge reports, club mail unsubscribes, share
# cards (/build/<code> itself, so link-preview bots that run no JavaScript find the card's tags in its HTML),
# and /build's prerendered page with the requested car already drawn in it.
misses = MissLimiter(settings.picture_misses_per_minute())
pictures = picture_routes(
    pictures_for_version,
    live_pictures,
    misses,
    in_hand=pictures_in_hand,
    admit_miss_now=misses.from_memory,
)
http_routes = Starlette(
    routes=[
        *build_page_routes(lambda: front_end_page("build.html"), live_pictures),
        *pictures,
        *feed_routes(on_news=lambda numbers: _tell_trackers(numbers)),
        *nudge_routes(),
        *unsubscribe_routes(),
        *health_routes(),
        *sharing_routes(live_pictures, journey, built_page),
    ]
)


class MotorjoyApp(rx.App):
    """Reflex's app, with car pictures answered before its layers (see `ShortcutFirst`).

    With tracing on, pictures take the long way, through Reflex's instrumented app, so each is a span."""

    def __call__(self) -> ASGIApp:
        reflex_app = super().__call__()
        if tracing:
            return reflex_app
        return ShortcutFirst(reflex_app, PREFIX, SiteMiddleware(Router(routes=pictures)))


app = MotorjoyApp(
    style=GLOBAL_STYLE,
    stylesheets=["/theme.css"],
    api_transformer=[http_routes, SiteMiddleware, _first_load],
    backend_exception_handler=handler_failed,
)
app.add_middleware(EventGuard())  # arguments no page of ours sends never reach a handler
keep_router_on_server()  # a pick's answer carries what changed, not the page's address parsed three ways


def _connected(token: str) -> bool:
    namespace = app.event_namespace
    return namespace is not None and token in namespace._token_manager.token_to_socket


async def _connected_anywhere(token: str) -> bool:
    namespace = app.event_namespace
    return namespace is not None and await namespace._token_manager.is_token_connected(token)


def _tell_trackers(numbers: Iterable[str]) -> None:
    # Open trackers of these orders are redrawn through Reflex, which sends each tab what changed.
    tell_open_tabs_soon(numbers, redraw_tracker)


push.wire(app.modify_state, _connected_anywhere)


if settings.redis_url() is None and "REFLEX_STATE_MANAGER_MODE" not in os.environ:
    # One process: visitors' state in memory, dropped soon after they leave (see app.visitor_states).
    # Reflex offers no setting for a custom manager, so the one it made is swapped before any event;
    # an operator who names a Reflex manager in REFLEX_STATE_MANAGER_MODE gets that one.
    # mypy reads Reflex's overloaded get_state/set_state/modify_state as abstract; the memory manager has them.
    visitor_states = VisitorStates(  # type: ignore[abstract]
        token_expiration=settings.visitor_idle_seconds(), is_connected=_connected
    )
    app._state_manager = visitor_states
elif isinstance(app._state_manager, StateManagerRedis):
    # Several workers: Reflex's Redis manager, letting go of each state tree once written back.
    app._state_manager = SharedVisitorStates.like(app._state_manager)
app.register_lifespan_task(warm_up)
app.register_lifespan_task(settle)  # after everything the app builds at start-up
app.register_lifespan_task(collect_old_generation)
if stall_ms := settings.stall_ms():  # a diagnosis, off unless asked for (see app.event_loop)
    app.register_lifespan_task(watch_for_stalls, stall_ms=stall_ms)
app.register_lifespan_task(run_mail_schedule)
app.register_lifespan_task(run_release_schedule)
app.register_lifespan_task(run_retention_schedule)
# The club's features sit on the configurator and tracker pages, which don't import them (imports go one way).
AFTER_SAVE.append(InviteState.remember)  # a build saved from a friend's invite remembers who invited


def build_with_invites() -> rx.Component:
    return build_page(above=(invite_note(),), near_total=(estimate_line(),))


def tracker_with_club() -> rx.Component:
    return track_page(beside=(share_milestone_button(),), below=(ask_card(), bring_a_friend()))


app.add_page(
    home,
    route="/",
    title="Motorjoy · Build it, name it, watch it come home",
    description="Build your own car, follow it home, and join the club.",
    on_load=HomeState.load,
)
app.add_page(
    build_with_invites, route="/build", title="Build your own · Motorjoy", on_load=[BuildState.load, InviteState.load]
)
app.add_page(
    build_with_invites,
    route="/build/[code]",
    title="Your build · Motorjoy",
    on_load=[BuildState.load, InviteState.load],
)
app.add_page(compare_page, route="/compare", title="Compare builds · Motorjoy", on_load=CompareState.load)
app.add_page(tracker_with_club, route="/track", title="Where's My Baby? · Motorjoy", on_load=TrackState.load)
app.add_page(
    tracker_with_club,
    route="/track/[number]/[token]",
    title="Where's My Baby? · Motorjoy",
    on_load=[TrackState.load, AskState.load, InviterState.load],
)
app.add_page(signin_page, route="/signin", title="Staff sign-in · Motorjoy")
app.add_page(
    dealer_page, route="/dealer", title="Dealer desk · Motorjoy", on_load=[DeskState.load, DeskQuestionsState.load]
)
app.add_page(
    order_page,
    route="/dealer/order/[number]",
    title="Order · Motorjoy",
    on_load=[OrderViewState.load, AnswerState.load],
)
app.add_page(studio_page, route="/studio", title="Studio · Motorjoy", on_load=StudioState.load)
app.add_page(
    tracker_with_club,
    route="/studio/preview/track/[stage]",
    title="Preview · Motorjoy",
    on_load=TrackState.load_preview,
)
app.add_page(not_found_page, route="404", title="Wrong turn · Motorjoy")
app.add_page(build_page, route="/studio/preview/build", title="Preview · Motorjoy", on_load=BuildState.load_preview)
