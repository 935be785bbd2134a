"""A styled page for a section that is still being built: what it is, and what is coming."""

import reflex as rx

from app.ui.layout import page_shell


def coming_page(route: str, eyebrow: str, title: str, lead: str, promises: list[str]) -> rx.Component:
    """The section's own page, honest that the full thing is on its way."""
    return page_shell(
        rx.vstack(
            rx.badge(eyebrow, size="2", variant="soft", radius="full"),
            rx.heading(title, as_="h1", size=rx.breakpoints(initial="8", md="9"), letter_spacing="-0.03em"),
            rx.text(lead, size="5", color=rx.color("gray", 11), max_width="40rem"),
            rx.card(
                rx.vstack(
                    rx.heading("Coming to this page", as_="h2", size="4"),
                    rx.el.ul(
                        *(
                            rx.el.li(
                                rx.hstack(
                                    rx.icon(
                                        "circle-check",
                                        size=18,
                                        color=rx.color("accent", 10),
                                        aria_hidden="true",
                                        flex_shrink="0",
                                        margin_top="0.2rem",
                                    ),
                                    rx.text(promise, size="3"),
                                    align="start",
                                    spacing="2",
                                ),
                                list_style="none",
                            )
                            for promise in promises
                        ),
                        padding="0",
                        margin="0",
                        display="grid",
                        gap="0.6rem",
                    ),
                    spacing="3",
                ),
                size="3",
                max_width="40rem",
                width="100%",
            ),
            rx.link("← Back to the clubhouse", href="/", size="3"),
            spacing="5",
            align="start",
        ),
        current=route,
    )
