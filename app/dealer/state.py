"""Thin state for /dealer and /dealer/order/<number>: every handler checks the role on the server."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import col, select

from app import db
from app.club.outbox import mails_about
from app.club.referrals import ReferralError, checked_invite, inviter_of_build, link_order
from app.configurator.builds import open_saved
from app.configurator.panel import BuildSummary, build_summary
from app.content.live import journey
from app.dealer.facts import buyer_facts
from app.orders.models import OrderNote
from app.orders.numbers import tracking_link
from app.orders.placement import Customer, OrderError, place_order
from app.orders.story import Line, OrderRow, OrderStory, find_order, order_story, visible_orders
from app.render.live import live_pictures
from app.signin.state import NotAllowed, StaffState
from app.staff.models import Dealership
from app.tracking.window import expected_for_new_order
from app.ui.handlers import event

SUBMISSION_KEY = re.compile(r"[0-9a-f]{32}")
NOT_ALLOWED = "You're not allowed to see this. Sign in with a dealer account."


@dataclass(frozen=True)
class DealershipChoice:
    id: str  # the form's option value
    name: str


class DeskState(StaffState):
    allowed: bool = False
    denied: str = ""
    orders: rx.Field[list[OrderRow]] = rx.field([])
    dealerships: list[DealershipChoice] = []  # for admins who order on a dealership's behalf
    is_admin: bool = False
    preview: list[BuildSummary] = []  # zero or one: the customer's build being ordered
    nickname: str = ""
    form_error: str = ""
    code_error: str = ""
    invited_by: str = ""  # "Alex (McGregor's owner)" when the build was saved from an invite
    invite_token: str = ""
    delivery_estimate: str = ""  # the same learnt window /build shows, for this build's model
    # One key per opened order form, so a double submit places one order. It lives in the browser's
    # session storage and in the form itself, so a retry after a server restart (which may lose this
    # state) still carries it, and the database's unique key returns the order the first try placed.
    submission: str = rx.SessionStorage("", name="motorjoy_order_key")
    submission_code: str = rx.SessionStorage("", name="motorjoy_order_code")

    def _refuse(self) -> None:
        self.allowed, self.denied = False, NOT_ALLOWED
        self.orders, self.preview, self.dealerships = [], [], []

    @event
    def load(self):
        self.form_error = self.code_error = ""
        self.preview = []
        with db.session() as s:
            try:
                user = self._staff(s, "dealer")
            except NotAllowed:
                return self._refuse()
            self.allowed, self.denied = True, ""
            self._greet(user)
            self.is_admin = user.role == "admin"
            self.orders = visible_orders(s, user)
            if self.is_admin:
                self.dealerships = [
                    DealershipChoice(str(d.id), d.name)
                    for d in s.exec(select(Dealership).order_by(col(Dealership.name)))
                ]

    @event
    def open_build(self, form: dict):
        with db.session() as s:
            try:
                self._staff(s, "dealer")
            except NotAllowed:
                return self._refuse()
            opened = open_saved(s, live_pictures().catalogue, str(form.get("code", "")))
            invited = inviter_of_build(s, str(form.get("code", "")).strip().upper()) if opened else None
        if opened is None:
            self.code_error, self.preview = "There is no saved build with that code. Check it with the customer.", []
            return
        code = str(form.get("code", "")).strip().upper()
        build, self.nickname, notes = opened
        self.code_error, self.form_error = "", ""
        self.invite_token, self.invited_by = invited or ("", "")
        self.preview = [build_summary(live_pictures(), code, build, self.nickname, notes)]
        self.delivery_estimate = expected_for_new_order(build.model, journey())
        if code != self.submission_code or not SUBMISSION_KEY.fullmatch(self.submission):
            # The same build reopened in this tab keeps its key: its order may have been placed by a try
            # whose answer a crash swallowed. A placed order clears the key, so the next order gets a new one.
            self.submission, self.submission_code = uuid.uuid4().hex, code

    @event
    def place(self, form: dict):
        code = self.preview[0].code if self.preview else str(form.get("code", ""))
        sent_key = str(form.get("submission", ""))
        key = sent_key if SUBMISSION_KEY.fullmatch(sent_key) else self.submission
        if not code or not SUBMISSION_KEY.fullmatch(key):
            self.form_error = "This order form has expired. Open the build again to place the order."
            return
        customer = Customer(str(form.get("name", "")), str(form.get("email", "")), str(form.get("phone", "")))
        dealership = str(form.get("dealership", ""))
        try:
            with db.session() as s:
                user = self._staff(s, "dealer")
                # Checked before the order exists: a mistyped invite must not leave an order behind.
                invite = checked_invite(s, form.get("invite", ""))
                order = place_order(
                    s,
                    live_pictures().catalogue,
                    user,
                    code,
                    customer,
                    str(form.get("nickname", "")),
                    key,
                    int(dealership) if dealership.isdigit() else None,
                    stage_news=bool(form.get("stage_news")),
                    club_news=bool(form.get("club_news")),
                    time_zone=str(form.get("time_zone", "Europe/London")),
                )
                if invite is not None:
                    link_order(s, order, invite[0], datetime.now(UTC))
                number = order.number
        except NotAllowed:
            return self._refuse()
        except (OrderError, ReferralError) as error:
            self.form_error = str(error)
            return
        self.submission = self.submission_code = ""
        return rx.redirect(f"/dealer/order/{number}")


class OrderViewState(StaffState):
    found: bool = False
    message: str = ""
    story: list[OrderStory] = []  # zero or one
    facts: list[Line] = []  # what the buyer's tracker says, and the frozen spec's version and fingerprint
    tracker: str = ""  # the buyer's private tracking link
    note_error: str = ""

    def _number(self) -> str:
        return self.router.url.path.rstrip("/").rsplit("/", 1)[-1]

    def _visible_order(self, s):
        """(user, order) when this staff member may see the order in the URL; else say why and return None."""
        try:
            user = self._staff(s, "dealer")
        except NotAllowed:
            self.found, self.story, self.message = False, [], NOT_ALLOWED
            return None
        order = find_order(s, user, self._number())
        if order is None:
            # The same words whether it doesn't exist or isn't this dealer's: numbers can't be probed.
            self.found, self.story, self.message = False, [], "We couldn't find that order."
            return None
        return user, order

    @event
    def load(self):
        self.note_error = ""
        with db.session() as s:
            if (seen := self._visible_order(s)) is None:
                return
            user, order = seen
            self.found, self.message = True, ""
            self._greet(user)
            self.story = [order_story(s, live_pictures(), order, mails_about(s, order.id))]
            self.facts, self.tracker = buyer_facts(s, order, journey()), tracking_link(order.number)

    @event
    def add_note(self, form: dict):
        text = " ".join(str(form.get("note", "")).split())
        if not 1 <= len(text) <= 2000:
            self.note_error = "A note needs a few words (and at most 2,000 characters)."
            return
        with db.session() as s:
            if (seen := self._visible_order(s)) is None:
                return
            user, order = seen
            s.add(OrderNote(order_id=order.id, author=user.name, text=text))
        self.note_error = ""
        return OrderViewState.load
