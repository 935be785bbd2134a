"""Reflex configuration: embedded defaults (SQLite, disk state), every value overridable by REFLEX_* env."""

import os

import reflex as rx
from reflex_base.environment import environment
from reflex_base.utils.exceptions import EnvironmentVarValueError

from app import settings
from app.ui.radix_css import LeanRadixThemesPlugin
from app.ui.theme import BREAKPOINTS, COLOUR_SCALES, THEME

# The project decides when to upgrade, not a start-up banner; and nothing phones home.
os.environ.setdefault("REFLEX_CHECK_LATEST_VERSION", "false")
# Several workers (Redis): a worker keeps a visitor's state between their events, instead of locking,
# reading and writing it in Redis for every event: for Reflex's hold of half the lock's expiry (5 s), and
# for as long as the visitor keeps using it, written behind once a hold (app/visitor_states.py). Another
# worker wanting it (the visitor moved, a feed's news for an open tracker) gets it handed over at once. At
# 400 visitors this cut the picks' median by about a quarter (README, "Speed"). The price: a worker killed
# outright loses its visitors' changes of the last few seconds (saved builds and orders are in the database).
os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")
try:  # read as Reflex reads it, so a typo stops the start with the setting named, not a traceback
    environment.REFLEX_OPLOCK_ENABLED.get()
except EnvironmentVarValueError as error:
    raise SystemExit(f"REFLEX_OPLOCK_ENABLED must be true or false ({error}).") from None

config = rx.Config(
    app_name="app",
    telemetry_enabled=False,
    db_url=settings.db_url(),
    redis_url=settings.redis_url(),
    show_built_with_reflex=False,
    # Radix Themes with only the colours, components and breakpoints the pages use: the first paint waits for its CSS.
    plugins=[
        LeanRadixThemesPlugin(theme=THEME, scales=frozenset(COLOUR_SCALES), breakpoints=frozenset(BREAKPOINTS)),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # Reflex answers cross-origin requests with credentials allowed; in production only our own address
    # may make them. Development keeps "*": its front end and the test harness run on other ports.
    cors_allowed_origins=[settings.public_url()] if settings.is_production() else ["*"],
)
