"""OTEL_* switches on Reflex's own instrumentation: a request through the app becomes a span."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from reflex_base import otel
from app.telemetry import start_telemetry

assert start_telemetry()
app = otel.asgi_middleware(Starlette(routes=[Route("/build", lambda r: PlainTextResponse("ok"))]))
assert TestClient(app).get("/build").status_code == 200
"""


def run(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_otel_variables_turn_requests_into_spans():
    env = {**os.environ, "OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "motorjoy-test"}
    done = run(env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert ('"service.name": "motorjoy-test"' in done.stdout and '"http.route"' in done.stdout) or "GET" in done.stdout


def test_without_otel_variables_nothing_is_switched_on():
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    done = run(env)
    assert done.returncode != 0 and "AssertionError" in done.stderr
