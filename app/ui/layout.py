"""The page shell every page shares: skip link, header with navigation, main landmark, footer."""

import json

import reflex as rx
from reflex.config import get_config

from app.nudges.settings import NudgeSettings, browser_config, env_overrides
from app.ui.theme import CONTENT_WIDTH

# The public doors only: staff find theirs in the staff bar once signed in (app/ui/staff.py).
SECTIONS = (
    ("/build", "Build your own"),
    ("/track", "Where's My Baby?"),
)


def brand_mark() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("car-front", size=26, color=rx.color("accent", 9), aria_hidden="true"),
            rx.text("Motorjoy", weight="bold", size="5", letter_spacing="-0.02em"),
            spacing="2",
            align="center",
        ),
        href="/",
        underline="none",
        color=rx.color("gray", 12),
        aria_label="Motorjoy home",
    )


def nav_link(href: str, label: str, current: str) -> rx.Component:
    is_current = href == current
    return rx.link(
        label,
        href=href,
        underline="none",
        weight="medium",
        size=rx.breakpoints(initial="2", sm="3"),
        padding_y="0.4rem",
        padding_x=rx.breakpoints(initial="0.5rem", sm="0.75rem"),  # both links fit one row at 320 px
        border_radius="999px",
        color=rx.color("accent", 11) if is_current else rx.color("gray", 12),
        background=rx.color("accent", 3) if is_current else "transparent",
        _hover={"background": rx.color("accent", 4)},
        aria_current="page" if is_current else None,
    )


def header(current: str) -> rx.Component:
    return rx.el.header(
        rx.flex(
            brand_mark(),
            rx.el.nav(
                rx.flex(*(nav_link(href, label, current) for href, label in SECTIONS), gap="0.25rem", wrap="wrap"),
                aria_label="Main",
                # On a phone the links take a row of their own under the brand and the colour switch.
                order=rx.breakpoints(initial="3", sm="0"),
                width=rx.breakpoints(initial="100%", sm="auto"),
            ),
            rx.color_mode.button(aria_label="Switch between light and dark", variant="ghost", order="2"),
            justify="between",
            align="center",
            wrap="wrap",
            gap="0.75rem",
            max_width=CONTENT_WIDTH,
            margin_x="auto",
            padding_x="1.25rem",
            padding_y="0.75rem",
        ),
        position="sticky",
        top="0",
        z_index="10",
        background=rx.color("gray", 1, alpha=True),
        backdrop_filter="blur(12px)",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.flex(
            rx.text("Motorjoy · a small car club with a big heart", size="2", color=rx.color("gray", 11)),
            rx.flex(
                rx.text("Save your retinas for the road.", size="2", color=rx.color("gray", 11)),
                rx.link("Staff sign-in", href="/signin", size="2"),
                gap="1rem",
            ),
            justify="between",
            wrap="wrap",
            gap="0.5rem",
            max_width=CONTENT_WIDTH,
            margin_x="auto",
            padding="1.5rem 1.25rem",
        ),
        border_top=f"1px solid {rx.color('gray', 4)}",
        margin_top="4rem",
    )


def skip_link() -> rx.Component:
    # Hidden until focused, so keyboard users can jump past the header. It moves focus itself: the
    # router would otherwise treat "#main" as a new address (and /compare would drop its builds).
    return rx.link(
        "Skip to content",
        href="#main",
        on_click=rx.call_script("document.getElementById('main').focus()").prevent_default,
        position="absolute",
        left="-999px",
        _focus={"left": "1rem", "top": "1rem", "z_index": "20", "background": rx.color("gray", 1), "padding": "0.5rem"},
    )


def nudges() -> rx.Component:
    """The over-long-visit nudge: its settings for the browser's counter, and the counter itself."""
    config = browser_config(env_overrides(NudgeSettings()), get_config().api_url)
    return rx.fragment(
        rx.el.div(id="nudge-config", hidden=True, custom_attrs={"data-config": json.dumps(config)}),
        rx.script(src="/nudge.js"),
    )


def page_shell(*children: rx.Component, current: str = "/") -> rx.Component:
    """Wrap a page's content in the shared header and footer."""
    return rx.box(
        skip_link(),
        nudges(),
        header(current),
        rx.el.main(
            *children,
            id="main",
            tab_index=-1,
            max_width=CONTENT_WIDTH,
            margin_x="auto",
            padding_x="1.25rem",
            padding_top=["2rem", "3rem"],
            width="100%",
        ),
        footer(),
        min_height="100vh",
        background=rx.color("gray", 2),
    )


def section_card(icon: str, title: str, body: str, href: str, cta: str) -> rx.Component:
    """A card that introduces one part of the product and links to it."""
    return rx.card(
        rx.vstack(
            rx.center(
                rx.icon(icon, size=24, color=rx.color("accent", 11), aria_hidden="true"),
                width="3rem",
                height="3rem",
                border_radius="999px",
                background=rx.color("accent", 3),
            ),
            rx.heading(title, as_="h2", size="5"),
            rx.text(body, color=rx.color("gray", 11), size="3"),
            rx.link(rx.hstack(rx.text(cta), rx.icon("arrow-right", size=16), align="center"), href=href),
            spacing="3",
            align="start",
        ),
        size="3",
        height="100%",
    )
