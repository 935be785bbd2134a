"""Thin states for the conversation: the buyer's box on the tracker, the answer box and the desk's list."""

from datetime import UTC, datetime

import reflex as rx

from app import db
from app.orders.models import Order
from app.orders.story import find_order
from app.questions.thread import (
    QuestionError,
    QuestionRow,
    ThreadLine,
    answer,
    ask,
    desk_questions,
    desk_thread,
    messages,
    stage_and_pace,
    tracker_thread,
    waiting,
)
from app.signin.state import NotAllowed, StaffState
from app.tracking.lookup import order_from_link
from app.tracking.push import tell_open_tabs_soon
from app.tracking.state import TrackState, shows_order
from app.ui.handlers import event

BROKEN_LINK = "This tracking link doesn't work any more, so we couldn't send that. Look your car up again."
ASKED = "Sent! Your dealer has it, with your car's whole story beside it. The answer will show here and by mail."


def _now() -> datetime:
    return datetime.now(UTC)


class AskState(rx.State):
    """The "Ask about my car" box on a private tracking link (never on the look-up form or a studio preview)."""

    available: bool = False
    thread: rx.Field[list[ThreadLine]] = rx.field([])
    error: str = ""
    sent: str = ""
    _number: str = ""  # the order this tab shows, so an answer can be pushed to it

    def _order(self, s) -> Order | None:
        parts = self.router.url.path.strip("/").split("/")
        return order_from_link(s, parts[1], parts[2]) if len(parts) == 3 and parts[0] == "track" else None

    @event
    def load(self):
        self.error = self.sent = ""
        self._show()

    def _show(self) -> None:
        with db.session() as s:
            order = self._order(s)
            self.available = order is not None
            self.thread = tracker_thread(s, order) if order is not None else []
            self._number = order.number if order is not None else ""

    def _redraw(self, number: str) -> bool:
        """Show the thread again if this tab still shows order `number` (the dealership just answered)."""
        if not self.available or self._number != number:
            return False
        self._show()
        return True

    @event
    def ask(self, form: dict):
        with db.session(reads_then_writes=True) as s:  # reads the thread (its limits), then adds to it
            order = self._order(s)
            if order is None:
                self.error, self.sent = BROKEN_LINK, ""
                return
            try:
                ask(s, order, form.get("question", ""), _now())
            except QuestionError as error:
                self.error, self.sent = str(error), ""
                return
            self.thread = tracker_thread(s, order)
        self.error, self.sent = "", ASKED
        return rx.set_value("question", "")


async def redraw_thread(modify_state, token: str, number: str) -> bool:
    """Redraw the conversation in the tab `token` if it still shows order `number` (see app.tracking.push).

    The tab was noted by the tracker's load; it stays noted while its tracker shows the order, even
    when it has no conversation to redraw (a tracker opened through the look-up form).
    """
    async with modify_state(rx.BaseStateToken(ident=token, cls=AskState)) as root:
        redrawn = (await root.get_state(AskState))._redraw(number)
        return redrawn or shows_order(await root.get_state(TrackState), number)


class AnswerState(StaffState):
    """The conversation beside an order's story on /dealer/order/<number>."""

    thread: rx.Field[list[ThreadLine]] = rx.field([])
    waiting: bool = False
    pace: str = ""
    answer_error: str = ""

    def _order(self, s) -> Order | None:
        number = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            user = self._staff(s, "dealer")
        except NotAllowed:
            return None
        return find_order(s, user, number)

    @event
    def load(self):
        self.answer_error = ""
        with db.session() as s:
            self._show(s, self._order(s))

    def _show(self, s, order: Order | None) -> None:
        if order is None:
            self.thread, self.waiting, self.pace = [], False, ""
            return
        self.thread = desk_thread(s, order)
        self.waiting = bool(waiting(messages(s, order)))
        self.pace = stage_and_pace(s, order, _now())

    @event
    def answer(self, form: dict):
        with db.session() as s:
            try:
                user = self._staff(s, "dealer")
            except NotAllowed:
                self.answer_error = "Sign in with a dealer account to answer."
                return
            order = find_order(s, user, self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
            if order is None:
                self.answer_error = "We couldn't find that order."
                return
            try:
                answer(s, order, user, form.get("answer", ""), _now())
            except QuestionError as error:
                self.answer_error = str(error)
                return
            self._show(s, order)
            number = order.number
        self.answer_error = ""
        # After the commit: the buyer's open tracker shows the answer without a reload.
        tell_open_tabs_soon([number], redraw_thread)
        return [
            rx.set_value("answer", ""),
            rx.toast.success("Answered. It's on their tracker and in the mail."),
        ]


class DeskQuestionsState(StaffState):
    """Questions on the dealer desk: waiting ones first, and those past a working day flagged for anyone."""

    rows: rx.Field[list[QuestionRow]] = rx.field([])
    flagged: int = 0

    @event
    def load(self):
        with db.session() as s:
            try:
                user = self._staff(s, "dealer")
            except NotAllowed:
                self.rows, self.flagged = [], 0
                return
            self.rows = desk_questions(s, user, _now())
        self.flagged = sum(1 for row in self.rows if row.flagged)
