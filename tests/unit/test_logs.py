"""Structured logs: one JSON line per request (secrets cut from the path), refusals with their reason."""

import io
import json
import logging

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.logs import configure_logging
from app.middleware import SiteMiddleware, security_headers


@pytest.fixture
def json_lines(monkeypatch):
    monkeypatch.setenv("MOTORJOY_LOG_FORMAT", "json")
    out = io.StringIO()
    configure_logging(stream=out)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logging.getLogger("app").handlers = []


def site() -> TestClient:
    routes = [Route("/{path:path}", lambda request: PlainTextResponse("ok"), methods=["GET", "POST"])]
    app = SiteMiddleware(Starlette(routes=routes), not_found_page=lambda: None, headers=security_headers(False))
    return TestClient(app)


def test_each_request_is_one_json_line_without_the_tracking_token(json_lines):
    site().get("/track/MJ4K7QX2/SeCrEtToKeN")
    site().get("/club/unsubscribe/abc.def")
    first, second = json_lines()
    assert first["name"] == "app.request" and first["level"] == "INFO"
    assert first["message"].startswith("GET /track/MJ4K7QX2/… 200 ")
    assert first["path"] == "/track/MJ4K7QX2/…" and first["status"] == 200 and first["method"] == "GET"
    assert "SeCrEtToKeN" not in json.dumps(first) and second["path"] == "/club/unsubscribe/…"
    assert isinstance(first["ms"], float) and first["client"] == "testclient"


def test_a_refused_upload_is_logged_with_its_reason(json_lines):
    client = TestClient(SiteMiddleware(Starlette(), refuse_upload=lambda _: "no files here", headers=[]))
    client.post("/_upload", headers={"reflex-event-handler": "state.setvar", "reflex-client-token": "t"})
    refused = [line for line in json_lines() if line["name"] == "app.refused"]
    assert refused[0]["message"] == "refused upload: no files here" and refused[0]["handler"] == "state.setvar"


def test_text_lines_in_development(monkeypatch):
    monkeypatch.delenv("MOTORJOY_LOG_FORMAT", raising=False)
    monkeypatch.delenv("MOTORJOY_ENV", raising=False)
    out = io.StringIO()
    configure_logging(stream=out)
    logging.getLogger("app.club.schedule").info("club mail: 2 sent")
    logging.getLogger("app").handlers = []
    assert out.getvalue().rstrip().endswith("INFO app.club.schedule: club mail: 2 sent")
