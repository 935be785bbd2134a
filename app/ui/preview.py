"""The banner on the studio's previews: the real page, with drafts customers don't see yet."""

import reflex as rx


def preview_banner(what: str) -> rx.Component:
    return rx.callout(
        rx.text(
            f"Studio preview: {what} Customers don't see these drafts yet. ",
            rx.link("Back to the studio", href="/studio"),
        ),
        icon="eye",
        color_scheme="iris",
        id="preview-banner",
        margin_bottom="1rem",
    )
