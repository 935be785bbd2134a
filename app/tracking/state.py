"""Thin state for /track: only this order's own story ever reaches the browser."""

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from app import db
from app.content.live import journey, preview_values, previewing
from app.content.markdown import render_inline, render_markdown
from app.events import StageOverdue, announce
from app.orders.demo import demo_order_at
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from app.orders.story import Line, spec_build, spec_lines, spec_picture
from app.render.live import live_pictures
from app.signin.state import NotAllowed, StaffState
from app.tracking.lookup import TooManyLookups, find_order_for_customer, open_link
from app.tracking.picture import journey_svg
from app.tracking.progress import StepRow, days_to_go, of_the_day, progress
from app.tracking.push import order_watchers
from app.tracking.window import current_model, with_learnt_window
from app.ui.handlers import event

log = logging.getLogger(__name__)
CANT_LOOK_UP = (
    "We can't look up orders right now. Try again in a minute, or open the link in your order confirmation mail."
)
NOT_FOUND = "We couldn't find a car with those details. Check the order number and the name on the order."
BROKEN_LINK = "This tracking link doesn't work. Look your car up below instead."
RETIRED_LINK = (
    "This tracking link has retired: private links open until a year after the car comes home, so an old "
    "mail can't show your car to anyone else. Look your car up below with its order number and your last "
    "name, and you'll get a fresh link."
)


@dataclass(frozen=True)
class Vessel:
    """The shipping line's latest word on the ship; an empty name when the feed sent none."""

    name: str
    position: str
    eta: str
    updated: str


NO_VESSEL = Vessel("", "", "", "")


class TrackState(rx.State):
    found: bool = False
    message: str = ""
    lookup_error: str = ""
    headline: str = ""
    stage_label: str = ""
    paths: list[str] = []
    alt: str = ""
    steps: list[StepRow] = []
    # The spin (app/ui/spin.py): every angle of the ordered car, opening at its hero angle.
    spin_frames: str = "[]"
    view: str = ""
    view_label: str = ""
    view_count: int = 1
    narrative: str = ""
    status: str = ""
    status_text: str = ""
    window_text: str = ""
    journey_picture: str = ""
    explainer: str = ""
    spec: list[Line] = []
    countdown: str = ""
    fact: str = ""
    delivered: bool = False
    vessel: Vessel = NO_VESSEL
    official_updated: str = ""
    explainer_video: str = ""
    preview: str = ""  # on /studio/preview/track/<stage>: what the drafts look like, for staff only
    _watching: str = ""  # the order number this tab shows, so the feed's news can find it

    @event
    def load(self):
        parts = self.router.url.path.strip("/").split("/")
        self.lookup_error = ""
        self.preview = ""
        self._watching = ""
        if len(parts) != 3:  # /track: the look-up form
            self.found, self.message = False, ""
            return
        with db.session() as s:
            opened = open_link(s, parts[1], parts[2])
            order = opened.order
            if order is None:
                self.found, self.message = False, RETIRED_LINK if opened.expired else BROKEN_LINK
                return
            overdue = self._show(s, order)
        tell_the_club(overdue)
        # No timer in the page: the feed tells this tab when the order moves (app.tracking.push).
        self._watching = order.number
        order_watchers().watch(order.number, self.router.session.client_token)

    def _redraw(self, number: str) -> bool:
        """Show the order's latest story if this tab still shows `number` (the feed just stored news)."""
        if not shows_order(self, number):
            return False
        with db.session() as s:
            order = s.exec(select(Order).where(Order.number == number)).first()
            if order is None:
                return False
            overdue = self._show(s, order)
        tell_the_club(overdue)
        return True

    @event
    async def load_preview(self):
        """The tracker of a demo order at the stage in the URL, with the studio's drafts applied."""
        self.found, self.preview, self._watching = False, "", ""
        stage = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        with db.session() as s:
            try:
                (await self.get_state(StaffState))._staff(s, "marketing")
            except NotAllowed:
                self.message = "Previews are for the studio's staff. Sign in with a marketing account."
                return
            order = demo_order_at(s, stage)
            if order is None:
                self.message = f"There is no demo order at the stage {stage!r}; run `motorjoy demo` to add them."
                return
            with previewing(preview_values(s)):
                self._show(s, order)  # a demo car in the studio's preview: the club hears nothing of it
        self.preview = stage

    @event
    def lookup(self, form: dict):
        client = self.router.session.client_ip or self.router.session.client_token
        try:
            with db.session() as s:
                order = find_order_for_customer(s, str(form.get("number", "")), str(form.get("name", "")), client)
                number = order.number if order else ""
        except TooManyLookups as error:
            logging.getLogger("app.refused").info("refused tracker look-up: client over the limit")
            self.lookup_error = str(error)
            return
        except SQLAlchemyError:  # a full disk, a read-only or unreachable database
            log.exception("tracker look-up failed on the database")
            self.lookup_error = CANT_LOOK_UP
            return
        if not number:
            self.lookup_error = NOT_FOUND
            return
        return rx.redirect(tracking_link(number))

    def _show(self, s, order: Order) -> StageOverdue | None:
        """Show the order's story; returns the news for the club when its current stage is overdue."""
        events = s.exec(select(StageEvent).where(StageEvent.order_id == order.id)).all()
        trip = journey()
        state = progress([(e.stage, e.reached_at) for e in events], order.nickname, order.number, trip=trip)
        today = datetime.now(UTC).date()
        # The same learnt window /build promised, from the stage the car is in now.
        state = with_learnt_window(state, current_model(trip, today), order.model_id, today)
        self.found, self.message = True, ""
        self.narrative = render_inline(state.narrative)
        self.status, self.status_text = state.status, state.status_text
        self.window_text = state.window_text
        self.headline = order.nickname or "Your car"
        self.stage_label = state.current_label
        self.steps = [StepRow(step.label, _day(step.reached_at), step.state) for step in state.steps]
        self.journey_picture = journey_svg(state.current, state.current_label, _sea_fraction(state, trip))
        self.explainer = render_markdown(trip.port_lag_explainer)
        self.explainer_video = trip.explainer_video
        self.countdown = days_to_go(state, today)
        self.fact = of_the_day(trip.facts, order.number, today) if trip.facts else ""
        self.delivered = state.status == "delivered"
        self.official_updated = _when(max((e.recorded_at for e in events), default=None))
        self.vessel = vessel_summary(events) if state.current in ("at_sea", "port_processing") else NO_VESSEL
        spec = json.loads(order.spec or "{}")
        self.spec = spec_lines(live_pictures().catalogue, spec)
        self._show_car(live_pictures(), spec)
        if state.status == "overdue":  # tell them before they have to ask (the club apologises once)
            return StageOverdue(order_id=order.id or 0, stage=state.current, at=datetime.now(UTC))
        return None

    def _show_car(self, pictures, spec: dict) -> None:
        self.paths, self.alt = spec_picture(pictures, spec)
        build = spec_build(pictures.catalogue, spec)
        if build is None:
            self.spin_frames, self.view, self.view_label, self.view_count = "[]", "", "", 1
            return
        views = pictures.catalogue.model(build.model).views
        self.spin_frames = pictures.spin_json(build)
        self.view, self.view_label, self.view_count = views[0], pictures.catalogue.view(views[0]).label, len(views)


def tell_the_club(overdue: StageOverdue | None) -> None:
    """Announce an overdue stage in a session of its own, which takes SQLite's write lock first.

    Not in the session that read the order: on SQLite a transaction that has read can't start writing
    once another connection has committed since (it fails at once: "database is locked"), and the
    tracker's own pictures are being counted meanwhile. Nor with the lock taken for every visit: only
    the first visit after a stage runs late writes anything (the apology), the rest only read."""
    if overdue is not None:
        with db.session(reads_then_writes=True) as s:
            announce(s, overdue)


def shows_order(tracker: TrackState, number: str) -> bool:
    """Whether this tab's tracker shows order `number` (a real order, not a studio preview)."""
    # A plain function, not a method: Reflex would make a public state method an event handler.
    return tracker.found and not tracker.preview and tracker._watching == number


async def redraw_tracker(modify_state, token: str, number: str) -> bool:
    """Redraw the tracker of the tab `token` if it still shows order `number`; Reflex sends what changed.

    `modify_state` is the app's (`app.modify_state`): it locks the tab's state wherever it lives and
    delivers the update to whichever worker holds the tab's websocket.
    """
    async with modify_state(rx.BaseStateToken(ident=token, cls=TrackState)) as root:
        return (await root.get_state(TrackState))._redraw(number)


def vessel_summary(events: list[StageEvent]) -> Vessel:
    """The shipping line's latest word on the ship, as the feed reported it."""
    latest = max((e for e in events if e.vessel), key=lambda e: e.recorded_at, default=None)
    if latest is None:
        return NO_VESSEL
    eta = _day(latest.vessel_eta) or "not given"
    return Vessel(latest.vessel, latest.vessel_position or "position not given", eta, _when(latest.recorded_at))


def _when(moment) -> str:
    return moment.strftime("%-d %b, %H:%M UTC") if moment else ""


def _day(moment) -> str:
    return moment.strftime("%-d %b") if moment else ""


def _sea_fraction(state, trip) -> float:
    typical = next((stage.typical_days for stage in trip.stages if stage.id == "at_sea"), 24)
    return state.days_in_stage / typical if state.current == "at_sea" else 0.5
