"""ASGI middleware around the whole site: answers Reflex's own routes would get wrong for hostile requests.

- A browser asking for a page no file or route matches gets the site's own 404 page, never Starlette's
  bare "Not Found" text (a NUL in the path, a name too long for the disk). Pictures and JSON keep
  their own 404 messages: only a request that accepts HTML gets the page.
- `POST /_upload` naming an event handler that takes no upload is a 400, not a 500.
- Every HTTP request is logged once it is answered (method, path with secrets cut, status, time, client).
- Every answer carries the browser's safety headers (`security_headers`): a Content-Security-Policy,
  no framing by other sites, no referrer beyond our origin (tracking links carry a secret), and in
  production HSTS.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import settings

UPLOAD_PATH = "/_upload"
request_log = logging.getLogger("app.request")
refusal_log = logging.getLogger("app.refused")
# Paths whose last part is a secret (a tracking or unsubscribe token): logged without it.
_SECRET_TAIL = re.compile(r"^(/track/[^/]+/|/club/unsubscribe/)[^/]+")
HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(api_origins: tuple[str, ...] = ()) -> str:
    """What pages may load: only our own origin (plus the backend's, when it has another address).

    Scripts need 'unsafe-inline' and 'unsafe-eval': the prerendered pages bootstrap React Router with
    inline scripts whose contents change with each build and page, and Reflex's `rx.call_script` (used
    for copying links, printing, replacing the address) evaluates the script it is sent. What the
    policy still buys: no script, style, picture or connection from any other host (so nothing can be
    sent elsewhere, and the studio's mail viewer loads no remote images), no plugins, no <base>
    rewriting, forms post only to us, and no framing by other sites.
    """
    extra = " ".join(api_origins)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src 'self' {extra}".strip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def security_headers(production: bool, api_origins: tuple[str, ...] = ()) -> list[tuple[bytes, bytes]]:
    headers = {
        "content-security-policy": content_security_policy(api_origins),
        "x-frame-options": "SAMEORIGIN",  # frame-ancestors for browsers that predate it
        "referrer-policy": "same-origin",  # /track/<number>/<token> must never leave in a Referer
        "x-content-type-options": "nosniff",
        "permissions-policy": "camera=(), microphone=(), geolocation=()",
    }
    if production:  # only behind HTTPS: HSTS on a plain-HTTP development server would strand the browser
        headers["strict-transport-security"] = HSTS
    return [(name.encode(), value.encode()) for name, value in headers.items()]


def backend_origins() -> tuple[str, ...]:
    """The backend's origin for connect-src when the pages reach it at another address (REFLEX_API_URL)."""
    from reflex.config import get_config

    url = urlsplit(get_config().api_url or "")
    if not url.scheme or not url.netloc:
        return ()
    socket = "wss" if url.scheme == "https" else "ws"
    return (f"{url.scheme}://{url.netloc}", f"{socket}://{url.netloc}")


def site_404_page() -> bytes | None:
    """The compiled front end's 404 page (production builds), or None when there is none (dev mode)."""
    from reflex import constants
    from reflex.config import get_config
    from reflex.utils import prerequisites

    folder = prerequisites.get_web_dir() / constants.Dirs.STATIC / get_config().frontend_path.strip("/")
    return _read(folder / "404.html")


@cache
def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def upload_refusal(handler_name: str) -> str | None:
    """Why `/_upload` can't pass files to this handler, or None when it can (or Reflex answers itself)."""
    from reflex_base.event import resolve_upload_chunk_handler_param, resolve_upload_handler_param
    from reflex_base.registry import RegistrationContext
    from reflex_base.utils.exceptions import UploadValueError

    registered = RegistrationContext.get().event_handlers.get(handler_name)
    if registered is None:
        return None  # Reflex answers an unknown handler with its own 400
    resolve = resolve_upload_chunk_handler_param if registered.handler.is_background else resolve_upload_handler_param
    try:
        resolve(registered.handler)
    except UploadValueError:
        return "This event handler doesn't take uploads."
    return None


class SiteMiddleware:
    """Wraps the app Reflex builds (pages, `/_event`, our routes); pass it in `rx.App(api_transformer=...)`."""

    def __init__(
        self,
        app: ASGIApp,
        not_found_page: Callable[[], bytes | None] = site_404_page,
        refuse_upload: Callable[[str], str | None] = upload_refusal,
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.app = app
        self.not_found_page = not_found_page
        self.refuse_upload = refuse_upload
        if headers is None:
            headers = security_headers(settings.load_settings().production, backend_origins())
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, answered = time.perf_counter(), dict[str, int]()
        send = self._with_headers(send, answered)
        try:
            await self._route(scope, receive, send)
        finally:
            line = {
                "method": scope["method"],
                "path": loggable_path(scope["path"]),
                "status": answered.get("status", 500),
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "client": client_of(scope),
            }
            request_log.info("%(method)s %(path)s %(status)s %(ms)sms %(client)s", line, extra=line)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "POST" and scope["path"].rstrip("/").endswith(UPLOAD_PATH):
            handler = _header(scope, b"reflex-event-handler")
            if handler and (reason := self.refuse_upload(handler)):
                refusal_log.info("refused upload: %s", reason, extra={"handler": handler[-80:]})
                await _answer(send, 400, "application/json", json.dumps({"detail": reason}).encode())
                return
        if scope["method"] in ("GET", "HEAD") and "text/html" in _header(scope, b"accept"):
            send = self._with_site_404(scope, send)
        await self.app(scope, receive, send)

    def _with_headers(self, send: Send, answered: dict) -> Send:
        names = {name for name, _ in self.headers}

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered.setdefault("status", message["status"])
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        return sending

    def _with_site_404(self, scope: Scope, send: Send) -> Send:
        """`send`, except that a bare-text 404 becomes the site's 404 page."""
        replacing = False

        async def sending(message: Message) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and message["status"] == 404:
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                page = None if content_type.startswith(b"text/html") else self.not_found_page()
                if page is not None:
                    replacing = True
                    body = b"" if scope["method"] == "HEAD" else page
                    await _answer(send, 404, "text/html; charset=utf-8", body, length=len(page))
                    return
            if replacing:  # the bare text's body is dropped
                return
            await send(message)

        return sending


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


async def _answer(send: Send, status: int, content_type: str, body: bytes, length: int | None = None) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body) if length is None else length).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def loggable_path(path: str) -> str:
    """The path for the log: tokens cut off, and at most 200 characters of whatever a client sent."""
    return _SECRET_TAIL.sub(r"\1…", path)[:200]


def client_of(scope: Scope) -> str:
    """The client's address as app.http.client_address works it out (trusted proxies only)."""
    from starlette.requests import Request

    from app.http import client_address

    return client_address(Request(scope))


class ShortcutFirst:
    """ASGI: HTTP requests under `prefix` go straight to `shortcut`; everything else (and every
    websocket and lifespan message) to `app`.

    For the car pictures. Under Reflex a picture passed through about fifteen ASGI layers: Reflex's own
    Starlette app (its error, CORS, context and exception middleware and router), our first-load and
    site middleware, then our routes' Starlette app with the same again. At 400 visitors those layers
    took about a fifth of a scaled worker's event loop, more than finding and sending the pictures.
    A picture needs none of them but the site's headers and the request log, so the shortcut is the
    picture routes inside `SiteMiddleware` (see `app.app`)."""

    def __init__(self, app: ASGIApp, prefix: str, shortcut: ASGIApp) -> None:
        self.app = app
        self.prefix = prefix
        self.shortcut = shortcut

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            await self.shortcut(scope, receive, send)
        else:
            await self.app(scope, receive, send)
