"""Reflex configuration: embedded defaults (SQLite, disk state), every value overridable by REFLEX_* env."""

import os

import reflex as rx

from app import settings
from app.ui.theme import THEME

# The project decides when to upgrade, not a start-up banner; and nothing phones home.
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
# With Redis (several workers): the worker serving a visitor's websocket keeps their state in memory while
# nobody else asks for it, instead of a Redis lock, read and write on every event; another worker asking
# (a reconnect landing elsewhere) makes it write the state back first. Held at most half Reflex's lock
# expiry (5 s) between writes; a worker killed in that time loses at most those seconds of that
# visitor's clicks, and the page's reload rebuilds the build from its URL.
os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    db_url=settings.db_url(),
    redis_url=settings.redis_url(),
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=THEME)],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # Reflex answers cross-origin requests with credentials allowed; in production only our own address
    # may make them. Development keeps "*": its front end and the test harness run on other ports.
    cors_allowed_origins=[settings.public_url()] if settings.is_production() else ["*"],
)
