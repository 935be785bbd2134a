"""The page for any address we don't have: say so kindly and offer the three ways back in."""

import reflex as rx

from app.ui.layout import page_shell


def not_found_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.badge("404", size="2", variant="soft", radius="full"),
            rx.heading("Wrong turn. Happens to the best drivers.", as_="h1", size="8", letter_spacing="-0.02em"),
            rx.text(
                "There's nothing at this address. If someone sent you a link, it may have been cut short "
                "when it was copied. Here's the way back:",
                size="4",
                color=rx.color("gray", 11),
                max_width="38rem",
            ),
            rx.hstack(
                rx.link(rx.button("Build your own", size="3"), href="/build"),
                rx.link(rx.button("Where's My Baby?", size="3", variant="soft"), href="/track"),
                rx.link(rx.button("Home", size="3", variant="outline"), href="/"),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            padding_y="3rem",
        ),
    )
