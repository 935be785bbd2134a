"""/studio: marketing's workshop."""

import reflex as rx

from app.ui.shell_page import coming_page


def studio_page() -> rx.Component:
    return coming_page(
        "/studio",
        "The studio",
        "Tune the words and the pictures.",
        "Our marketing crew keeps the stories, colours, prices and pictures fresh here: drafted, "
        "previewed exactly as a customer sees them, published, and rolled back if needed.",
        [
            "Stage stories, nudge lines and club mail, with a safe preview.",
            "New colours, option prices and rules, checked before they go live.",
            "New layer artwork, lined up and previewed on sample cars.",
            "Publish now or schedule a release; roll back in one click.",
        ],
    )
