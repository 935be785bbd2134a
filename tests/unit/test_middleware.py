"""The site-wide middleware: hostile paths get the site's 404 page, uploads to the wrong handler a 400."""

from pathlib import Path

import pytest
from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from app.middleware import HSTS, ShortcutFirst, SiteMiddleware, security_headers, upload_refusal

OUR_404 = b"<!doctype html><title>Lost the road?</title>"
BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def site(folder: Path) -> TestClient:
    """Static files served the way Reflex serves the compiled front end, with a plain-text route beside them."""
    (folder / "index.html").write_text("home")
    (folder / "404.html").write_bytes(OUR_404)
    frontend = PrecompressedStaticFiles(directory=folder, html=True)
    routes = [Route("/car/{rest:path}", lambda _: PlainTextResponse("No such car picture.", 404)), Mount("/", frontend)]
    return TestClient(SiteMiddleware(Starlette(routes=routes), not_found_page=lambda: OUR_404, headers=HEADERS))


HEADERS = security_headers(production=False)


@pytest.mark.parametrize("path", ["/build/%00%00", "/build/" + "%00" * 300, "/%00", "/build/abc%00def/x"])
def test_a_hostile_path_gets_the_sites_own_404_page(tmp_path, path):
    answer = site(tmp_path).get(path, headers=BROWSER)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html") and answer.content == OUR_404


def test_head_gets_the_404_without_a_body(tmp_path):
    answer = site(tmp_path).head("/build/%00%00", headers=BROWSER)
    assert answer.status_code == 404 and answer.content == b""


def test_a_picture_request_keeps_its_own_plain_404(tmp_path):
    answer = site(tmp_path).get("/car/nope.webp", headers={"accept": "image/avif,image/webp,*/*"})
    assert answer.status_code == 404 and answer.text == "No such car picture."


def test_an_upload_to_a_handler_without_files_is_a_400_not_reflexs_500():
    from reflex_base.registry import RegistrationContext
    from reflex_components_core.core._upload import upload

    import app.app as site_app

    reflex_route = Starlette(routes=[Route("/_upload", upload(site_app.app), methods=["POST"])])
    handlers = RegistrationContext.get().event_handlers
    no_upload = next(name for name in handlers if name.endswith(".setvar"))
    request = {
        "headers": {"reflex-event-handler": no_upload, "reflex-client-token": "t"},
        "files": {"files": ("a.png", b"x")},
    }
    assert TestClient(reflex_route, raise_server_exceptions=False).post("/_upload", **request).status_code == 500
    answer = TestClient(SiteMiddleware(reflex_route)).post("/_upload", **request)
    assert answer.status_code == 400 and "doesn't take uploads" in answer.json()["detail"]
    takes_files = next(name for name in handlers if name.endswith(".upload_layer"))
    assert upload_refusal(takes_files) is None


@pytest.mark.parametrize("path", ["/", "/build/%00%00", "/car/nope.webp"])
def test_every_answer_carries_the_browser_safety_headers(tmp_path, path):
    answer = site(tmp_path).get(path, headers=BROWSER)
    policy = answer.headers["content-security-policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'"):
        assert directive in policy
    assert answer.headers["referrer-policy"] == "same-origin" and answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in answer.headers  # development serves plain HTTP


def test_production_adds_hsts_and_the_backends_own_address():
    headers = dict(security_headers(production=True, api_origins=("https://api.example", "wss://api.example")))
    assert headers[b"strict-transport-security"] == HSTS.encode()
    assert b"connect-src 'self' https://api.example wss://api.example" in headers[b"content-security-policy"]


def test_the_middleware_reads_production_mode_from_the_settings(monkeypatch):
    monkeypatch.setenv("MOTORJOY_ENV", "production")
    answer = TestClient(SiteMiddleware(Starlette(routes=[Route("/", lambda _: PlainTextResponse("hi"))]))).get("/")
    assert answer.headers["strict-transport-security"] == HSTS


def test_requests_under_the_prefix_take_the_shortcut_and_nothing_else_does():
    seen = []

    def answering(name):
        async def asgi(scope, receive, send):
            seen.append((name, scope["type"], scope.get("path")))
            if scope["type"] == "http":
                await PlainTextResponse(name)(scope, receive, send)
            elif scope["type"] == "lifespan":
                for step in ("startup", "shutdown"):
                    await receive()
                    await send({"type": f"lifespan.{step}.complete"})

        return asgi

    client = TestClient(ShortcutFirst(answering("app"), "/car/", answering("shortcut")))
    assert client.get("/car/v1/hatch/x.webp").text == "shortcut"
    assert client.get("/carpet").text == "app"  # the prefix, not any path that starts alike
    assert client.get("/build").text == "app"
    with client:  # the lifespan messages go to the app, which runs the lifespan tasks
        pass
    assert [s for s in seen if s[0] == "shortcut"] == [("shortcut", "http", "/car/v1/hatch/x.webp")]
    assert ("app", "lifespan", None) in seen


def test_the_app_answers_pictures_beneath_reflexs_layers_unless_tracing(monkeypatch):
    import reflex as rx

    import app.app as site_app

    reflex_app = Starlette(routes=[Route("/ping", lambda _: PlainTextResponse("pong"))])
    monkeypatch.setattr(rx.App, "__call__", lambda self: reflex_app)
    asgi = site_app.app()
    assert isinstance(asgi, ShortcutFirst) and asgi.app is reflex_app
    client = TestClient(asgi)
    assert client.get("/ping").text == "pong"
    # Refused by the picture route itself (before it looks anything up), with the site's headers.
    picture = client.get("/car/v1/hatch/side/160/C0392B/x.webp?size=big")
    assert picture.status_code == 400 and "no query string" in picture.text
    assert picture.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in picture.headers
    monkeypatch.setattr(site_app, "tracing", True)
    assert site_app.app() is reflex_app
