"""Traces and metrics through Reflex's own `reflex-otel`, switched on by the standard OTEL_* variables.

Set `OTEL_TRACES_EXPORTER` and/or `OTEL_METRICS_EXPORTER` (with `OTEL_SERVICE_NAME`,
`OTEL_EXPORTER_OTLP_ENDPOINT`, ...) and install the `otel` extra: every event handler run, state
lock and HTTP request becomes a span, with event duration and websocket metrics. Unset, nothing is
imported and nothing costs anything.
"""

import logging
import os

EXPORTER_VARIABLES = ("OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER")
log = logging.getLogger(__name__)


def start_telemetry() -> bool:
    """Instrument Reflex when an OTEL exporter is configured; returns whether it did."""
    if not any(os.environ.get(name, "").strip() not in ("", "none") for name in EXPORTER_VARIABLES):
        return False
    try:
        from reflex_otel import ReflexInstrumentor
    except ImportError:
        log.warning("OTEL_* is set but reflex-otel isn't installed: pip install 'motorjoy[otel]'. No traces.")
        return False
    ReflexInstrumentor().instrument()  # a second call is a no-op, so re-imports of the app are fine
    log.info("OpenTelemetry on: %s", ", ".join(f"{n}={os.environ.get(n, '')}" for n in EXPORTER_VARIABLES))
    return True
