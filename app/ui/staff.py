"""Pieces every staff page shares: who is signed in, and the polite refusal."""

import reflex as rx


def staff_bar(state) -> rx.Component:
    return rx.flex(
        rx.text("Signed in as ", rx.text.strong(state.staff_name), size="2"),
        rx.button("Sign out", on_click=state.sign_out, variant="ghost", size="2"),
        gap="1rem",
        align="center",
    )


def not_allowed(message, *extra: rx.Component) -> rx.Component:
    return rx.callout(rx.text(message, " ", *extra), icon="lock", color_scheme="amber", id="not-allowed")
