"""Thin state for the tracker's "Share this milestone" button: a public link to where the car is now."""

import reflex as rx
from sqlmodel import select

from app import db
from app.orders.models import StageEvent
from app.sharing.links import milestone_link
from app.tracking.lookup import order_from_link
from app.tracking.progress import progress
from app.ui.handlers import event


class ShareState(rx.State):
    path: str = ""  # /share/<token>: public, and reveals only the nickname, the picture and the stage

    @event
    def share_milestone(self):
        parts = self.router.url.path.strip("/").split("/")
        with db.session(reads_then_writes=True) as s:  # reads the order and its stage, then makes the link
            order = order_from_link(s, parts[1], parts[2]) if len(parts) == 3 and parts[0] == "track" else None
            if order is None:
                return rx.toast.error("Only the car's own tracker can share it.")
            events = s.exec(select(StageEvent.stage, StageEvent.reached_at).where(StageEvent.order_id == order.id))
            stage = progress(events.all(), order.nickname, order.number).current
            self.path = f"/share/{milestone_link(s, order, stage).token}"
        return [
            rx.call_script(f"navigator.clipboard.writeText(window.location.origin + {self.path!r})"),
            rx.toast.success("Link copied. It shows the nickname, the picture and the stage: nothing private."),
        ]
