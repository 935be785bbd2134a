"""/signin: the staff door."""

import reflex as rx

from app.signin.state import StaffState
from app.ui.forms import field_label, tied_to_error
from app.ui.layout import page_shell


def signin_page() -> rx.Component:
    return page_shell(
        rx.center(
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.heading("Staff sign-in", as_="h1", size="6"),
                        rx.text("Dealers, marketing and admins, this way.", color=rx.color("gray", 11), size="2"),
                        field_label("Email", "email"),
                        rx.input(
                            id="email",
                            name="email",
                            type="email",
                            auto_complete="username",
                            size="3",
                            width="100%",
                            required=True,
                            **tied_to_error(StaffState.signin_error, "signin-error"),
                        ),
                        field_label("Password", "password"),
                        rx.input(
                            id="password",
                            name="password",
                            type="password",
                            auto_complete="current-password",
                            size="3",
                            width="100%",
                            required=True,
                            **tied_to_error(StaffState.signin_error, "signin-error"),
                        ),
                        rx.text(
                            StaffState.signin_error,
                            color=rx.color("red", 11),
                            size="2",
                            role="alert",
                            id="signin-error",
                        ),
                        rx.button("Sign in", type="submit", size="3", width="100%"),
                        spacing="2",
                        width="100%",
                    ),
                    on_submit=StaffState.sign_in,
                    reset_on_submit=False,
                ),
                size="4",
                width="100%",
                max_width="24rem",
            ),
        ),
        current="/signin",
    )
