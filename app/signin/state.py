"""Who the staff member in this browser is. The cookie holds only a random token; the server decides."""

import logging

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from app import db, settings
from app.staff.accounts import (
    NO_MATCH,
    NotAllowed,
    SignInError,
    current_user,
    device_token,
    require_role,
    sign_in,
    sign_out,
)
from app.staff.models import StaffUser
from app.ui.handlers import event

log = logging.getLogger(__name__)
CANT_SIGN_IN = (
    "We can't sign you in right now (our database isn't answering, not your password). Try again in a minute."
)
SESSION_SECONDS = 12 * 3600
HOME_OF_ROLE = {"dealer": "/dealer", "admin": "/dealer", "marketing": "/studio"}


class StaffState(rx.State):
    # Reflex's page scripts read this cookie to send it with the websocket's events, so it can't be
    # HttpOnly; it holds only a random token the server checks (hashed) on every handler, SameSite=Strict
    # keeps it off other sites' requests, and in production it travels over HTTPS only.
    token: str = rx.Cookie(
        "", name="motorjoy_staff", max_age=SESSION_SECONDS, same_site="strict", secure=settings.is_production()
    )
    # Kept a year after a successful sign-in: lets the owner past an attack on their account (see sign_in).
    device: str = rx.Cookie(
        "", name="motorjoy_device", max_age=365 * 24 * 3600, same_site="strict", secure=settings.is_production()
    )
    staff_name: str = ""
    staff_role: str = ""  # which staff doors the bar shows; every handler still checks the role itself
    signin_error: str = ""

    def _greet(self, user: StaffUser) -> None:
        """Show who is signed in, and the doors their role opens."""
        self.staff_name, self.staff_role = user.name, user.role

    def _staff(self, s, *roles: str) -> StaffUser:
        """The signed-in user if they hold one of `roles` (admin always does); raises NotAllowed otherwise."""
        return require_role(current_user(s, self.token), *roles)

    @event
    def sign_in(self, form: dict):
        client = self.router.session.client_ip or self.router.session.client_token
        try:
            # It reads the limits and the account, checks the password (a tenth of a second or more), then
            # writes: on SQLite any commit meanwhile would refuse that write, so the lock is taken first.
            with db.session(reads_then_writes=True) as s:
                email = str(form.get("email", ""))
                self.token = sign_in(s, email, str(form.get("password", "")), client, device=self.device)
                user = current_user(s, self.token)
                if user is not None:
                    self.device = device_token(user.email)
        except SignInError as error:
            logging.getLogger("app.refused").info("refused sign-in: %s", error)
            self.signin_error = str(error)
            return
        except SQLAlchemyError:  # a full disk, a read-only or unreachable database
            log.exception("sign-in failed on the database")
            self.token, self.signin_error = "", CANT_SIGN_IN
            return
        if user is None:  # signed in, then deactivated in the same instant: treat as refused
            self.signin_error, self.token = NO_MATCH, ""
            return
        self.signin_error = ""
        self._greet(user)
        return rx.redirect(HOME_OF_ROLE.get(user.role, "/"))

    @event
    def sign_out(self):
        with db.session() as s:
            sign_out(s, self.token)
        self.token, self.staff_name, self.staff_role = "", "", ""
        return rx.redirect("/signin")


__all__ = ["NotAllowed", "StaffState"]
