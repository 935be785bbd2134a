"""What a visitor sees when an event handler fails anyway: a kind message, never the exception."""

import logging

import reflex as rx
from reflex.event import EventSpec

log = logging.getLogger("app.errors")


def handler_failed(exception: Exception) -> EventSpec:
    """Reflex's backend exception handler: log the failure in full, tell the visitor what to do.

    A failed handler changes nothing in the page's state, so whatever they typed is still there.
    """
    log.error("event handler failed: %s: %s", type(exception).__name__, exception, exc_info=exception)
    return rx.toast.error(
        "Sorry, that didn't work on our side.",
        description="Everything you typed is still here. Try again in a moment; if it keeps happening, tell us.",
        id="handler-failed",
        position="top-center",
    )
