"""Thin states for invites: the friend's side on /build, and the inviter's side on their tracker."""

import reflex as rx

from app import db
from app.club.referrals import (
    Friend,
    driving_line,
    find_invite,
    friends_of,
    invite_for,
    invite_of,
    invite_path,
    remember_build,
    warm_note,
)
from app.tracking.lookup import order_from_link
from app.ui.handlers import event


class InviteState(rx.State):
    """A friend who arrived through an invite link: the note, and the invite kept for when they save."""

    # Kept in this browser only, so a build saved on a later visit still remembers who invited.
    token: str = rx.LocalStorage("", name="motorjoy.invite")
    note: str = ""

    @event
    def load(self):
        given = self.router.url.query_parameters.get("invite", "")
        if not (given or self.token):
            # Most visitors: no invite to look up, and nothing on the page to change. Assigning nothing
            # keeps this load out of the database and off the socket (one message less per arrival).
            return
        with db.session() as s:
            found = find_invite(s, given or self.token)
        if found is None:
            self.note = ""
            if given:  # a link that isn't one (any more): the page works as ever, without a note
                self.token = ""
            return
        self.token, self.note = found[0].token, warm_note(found[1])

    @event
    def remember(self, build_code: str):
        """Called when the build is saved: the friend's saved build remembers who invited them."""
        if not self.token:
            return
        with db.session(reads_then_writes=True) as s:  # finds the invite, then notes the build
            remember_build(s, self.token, str(build_code))

    @event
    def forget(self):
        self.token, self.note = "", ""


class InviterState(rx.State):
    """On the buyer's own tracker: their invite link, and the friends who came through it."""

    path: str = ""
    friends: rx.Field[list[Friend]] = rx.field([])
    driving: str = ""

    @event
    def load(self):
        parts = self.router.url.path.strip("/").split("/")
        with db.session() as s:
            order = order_from_link(s, parts[1], parts[2]) if len(parts) == 3 and parts[0] == "track" else None
            if order is None:
                self.path, self.friends, self.driving = "", [], ""
                return
            invite = invite_of(s, order)
            self.friends = friends_of(s, order)
        if invite is None:
            # The buyer's first visit makes the invite, in a session that takes SQLite's write lock first: a
            # write after the reads above would fail at once had another connection committed meanwhile (the
            # tracker's pictures are being counted). Later visits only read, so they don't queue for the lock.
            with db.session(reads_then_writes=True) as s:
                invite = invite_for(s, order)
        self.path = invite_path(invite)
        self.driving = driving_line(self.friends)

    @event
    def copy(self):
        return [
            rx.call_script(f"navigator.clipboard.writeText(window.location.origin + {self.path!r})"),
            rx.toast.success("Invite link copied. Send it to someone who'd love one."),
        ]
