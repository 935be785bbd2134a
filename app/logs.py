"""Where the app's log lines go: JSON lines on stderr in production (or MOTORJOY_LOG_FORMAT=json), text otherwise.

Every line carries a time, level, logger and message; request lines add method, path, status,
duration and client (see app.middleware), refused requests their reason, background jobs
(club mail rounds, releases) their summary. Secrets in paths (tracking and unsubscribe tokens) are
never logged.
"""

import logging
import os
import sys

from pythonjsonlogger.json import JsonFormatter

from app import settings

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured = False


def log_format() -> str:
    """`MOTORJOY_LOG_FORMAT` (json or text); production defaults to json, development to text."""
    chosen = os.environ.get("MOTORJOY_LOG_FORMAT", "").strip().lower()
    if chosen in ("json", "text"):
        return chosen
    return "json" if settings.is_production() else "text"


def configure_logging(stream=None) -> None:
    """Send the app's loggers (`app.*`) to stderr once per process, at INFO (`MOTORJOY_LOG_LEVEL` overrides)."""
    global _configured
    if _configured and stream is None:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format() == "json":
        handler.setFormatter(
            JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    app_log = logging.getLogger("app")
    app_log.handlers = [handler]
    app_log.setLevel(os.environ.get("MOTORJOY_LOG_LEVEL", "INFO").upper())
    _configured = True
