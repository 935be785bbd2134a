"""A first visit like a plain page: hashed scripts cached for good, and /build's car fetched with the HTML.

Both are response headers added around the whole site (`FirstLoadMiddleware`, in `rx.App`'s
`api_transformer`):
- The front end's build output under `/assets/` carries a content hash in every file name, so each
  name means one file forever: `Cache-Control: public, max-age=31536000, immutable`, and a returning
  visitor's browser asks for none of them again.
- `/build` (and `/build/<code>`) is one prerendered HTML file for every build, so on its own the car
  picture waits for the scripts, the websocket and the page's on_load. The answer now carries a
  `Link: rel=preload` for the picture of the build that URL names (the same srcset and sizes as the
  picture on the page), so the browser starts on the car while it is still reading the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import db
from app.catalog import BuildError
from app.configurator import builds
from app.render import CarPictures

IMMUTABLE = b"public, max-age=31536000, immutable"
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|css)$")
BUILD_PAGE = re.compile(r"^/build(?:/[^/]*)?/?$")


def picture_preload(pictures: CarPictures, path: str, query: str, sizes: str) -> str | None:
    """The `Link` header value preloading the car `path`+`query` shows on /build, or None."""
    catalogue = pictures.catalogue
    opened = None
    if code := path.rstrip("/").removeprefix("/build").strip("/"):
        with db.session() as s:
            opened = builds.open_saved(s, catalogue, code)
    if opened is not None:
        build = opened[0]
        view = catalogue.model(build.model).views[0]
    else:
        try:
            build, view, _notes = builds.build_from_query(catalogue, dict(parse_qsl(query)))
        except BuildError:
            return None
    paths, _alt = pictures.paths_and_alt(build, view)
    srcset = ", ".join(f"{p} {w}w" for p, w in zip(paths, catalogue.widths, strict=True))
    return f'<{paths[0]}>; rel=preload; as=image; imagesrcset="{srcset}"; imagesizes="{sizes}"; fetchpriority=high'


class FirstLoadMiddleware:
    """Adds the two headers; `preload(path, query)` gives /build's Link value (None: no header)."""

    def __init__(self, app: ASGIApp, preload: Callable[[str, str], str | None]) -> None:
        self.app = app
        self.preload = preload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        extra: list[tuple[bytes, bytes]] = []
        if HASHED_ASSET.match(path):
            extra = [(b"cache-control", IMMUTABLE)]
        elif BUILD_PAGE.match(path):
            try:  # a saved code is a database look-up: not on the event loop
                link = await run_in_threadpool(self.preload, path, scope.get("query_string", b"").decode("latin-1"))
            except Exception:  # the page matters more than its head start
                link = None
            if link:
                extra = [(b"link", link.encode("latin-1", errors="replace"))]
        if not extra:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _adding(send, extra))


def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    names = {name for name, _ in extra}

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and message["status"] == 200:
            kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
            message = {**message, "headers": kept + extra}
        await send(message)

    return sending
