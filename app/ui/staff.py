"""Pieces every staff page shares: who is signed in, and the polite refusal."""

import functools
import operator

import reflex as rx

# Each door with the roles it opens for (admin holds every role); the pages behind them check again.
STAFF_DOORS = (("/dealer", "Dealer desk", ("dealer", "admin")), ("/studio", "Studio", ("marketing", "admin")))


def _door(state, href: str, label: str, roles: tuple[str, ...]) -> rx.Component:
    opens = functools.reduce(operator.or_, [state.staff_role == role for role in roles])
    return rx.cond(opens, rx.link(label, href=href, size="2"))


def staff_bar(state) -> rx.Component:
    """Who is signed in, the staff doors (kept out of the public navigation), and the way out."""
    return rx.flex(
        rx.text("Signed in as ", rx.text.strong(state.staff_name), size="2"),
        rx.el.nav(
            rx.flex(*(_door(state, *door) for door in STAFF_DOORS), gap="1rem"),
            aria_label="Staff",
        ),
        rx.button("Sign out", on_click=state.sign_out, variant="ghost", size="2"),
        gap="1rem",
        align="center",
        wrap="wrap",
    )


def not_allowed(message, *extra: rx.Component) -> rx.Component:
    return rx.callout(rx.text(message, " ", *extra), icon="lock", color_scheme="amber", id="not-allowed")
