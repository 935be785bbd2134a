"""The tracker's share button and the link it made (the public page itself is plain HTML: see html.py)."""

import reflex as rx

from app.sharing.state import ShareState


def share_milestone_button() -> rx.Component:
    return rx.flex(
        rx.button(
            rx.icon("share-2", size=16),
            "Share this milestone",
            on_click=ShareState.share_milestone,
            variant="soft",
            size="2",
        ),
        rx.cond(
            ShareState.path != "",
            rx.link("Open the share page", href=ShareState.path, is_external=True, size="2", id="share-link"),
        ),
        gap="0.75rem",
        align="center",
        wrap="wrap",
    )
