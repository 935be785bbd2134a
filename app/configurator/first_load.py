"""A first visit like a plain page: hashed scripts cached for good, and /build's car in the page's own HTML.

- The front end's build output under `/assets/` carries a content hash in every file name, so each
  name means one file forever: `Cache-Control: public, max-age=31536000, immutable`, and a returning
  visitor's browser asks for none of them again (`FirstLoadMiddleware`, around the whole site).
- `/build` is one prerendered HTML file for every build, so on its own the car picture would wait for
  the scripts, the websocket and the page's on_load. `/build` and `/build?<choices>` are answered with
  that file with the requested build's picture already in its `<img>` (`build_page_routes`): the
  browser fetches and shows the car while the scripts are still loading, as a plain page would. React
  adopts the element as it is (hydration keeps the server's attributes) and sets the same URL once the
  state arrives, so the picture never blinks. `/build/<code>` is not prerendered (a dynamic route:
  the app draws it in the browser), so there the answer carries a `Link: rel=preload` for the saved
  build's picture (same srcset and sizes as the page's), and the car downloads while the page starts.
- `/build`'s page starts its scripts once it has loaded and painted (`scripts_after_first_paint`): their
  download and compiling otherwise share the machine with the first paint and held the car back.
- Only a saved code asks the database, so only `/build/<code>` is worked out in a thread. The rest comes
  from the URL and the live catalogue (whose database recheck goes aside on an event loop): two thread
  hops a page were most of the page's own cost (157 µs of CPU each here, against 120-160 µs to work the
  car out). That car is asked for twice per page (its Link header, its HTML), and a crowd opens the same
  few builds, so it is made once per catalogue service and URL (`_car_of_url`).
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import logging
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import db
from app.catalog import BuildError
from app.configurator import builds
from app.render import CarPictures

log = logging.getLogger(__name__)
IMMUTABLE = b"public, max-age=31536000, immutable"
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.(?:js|css)$")
BUILD_PAGE = re.compile(r"^/build(?:/[^/]*)?/?$")
CARS_OF_URLS_KEPT = 64


def saved_code(path: str) -> str:
    """The saved build's code in `/build/<code>` ('' for `/build` itself): the one part that asks the database."""
    return path.rstrip("/").removeprefix("/build").strip("/")


def requested_picture(pictures: CarPictures, path: str, query: str) -> tuple[list[str], str] | None:
    """The picture paths (one per catalogue width) and alt text of the car /build shows at `path`+`query`,
    or None when the URL names no build the catalogue can draw (the page then says so itself). Shared
    between callers: not to be changed."""
    catalogue = pictures.catalogue
    if code := saved_code(path):
        with db.session() as s:
            opened = builds.open_saved(s, catalogue, code)
        if opened is not None:
            build = opened[0]
            return pictures.paths_and_alt(build, catalogue.model(build.model).views[0])
    return _car_of_url(pictures, query)


_cars_of_urls: OrderedDict[tuple[int, str], tuple[weakref.ref[CarPictures], tuple[list[str], str] | None]] = (
    OrderedDict()
)
_cars_lock = threading.Lock()


def _car_of_url(pictures: CarPictures, query: str) -> tuple[list[str], str] | None:
    # Kept for the last CARS_OF_URLS_KEPT (service, query) pairs; a weak reference, so an old catalogue's
    # service isn't kept alive by its pages, and matched by identity, so a new one is never confused with it.
    key = (id(pictures), query)
    with _cars_lock:
        if (kept := _cars_of_urls.get(key)) is not None and kept[0]() is pictures:
            _cars_of_urls.move_to_end(key)
            return kept[1]
    catalogue = pictures.catalogue
    try:
        build, view, _notes = builds.build_from_query(catalogue, dict(parse_qsl(query)))
        car = pictures.paths_and_alt(build, view)
    except BuildError:
        car = None
    with _cars_lock:
        _cars_of_urls[key] = (weakref.ref(pictures), car)
        _cars_of_urls.move_to_end(key)
        while len(_cars_of_urls) > CARS_OF_URLS_KEPT:
            _cars_of_urls.popitem(last=False)
    return car


def picture_preload(pictures: CarPictures, path: str, query: str, sizes: str) -> str | None:
    """The `Link` header value preloading the car `path`+`query` shows on /build, or None."""
    if (picture := requested_picture(pictures, path, query)) is None:
        return None
    paths = picture[0]
    srcset = _srcset(paths, pictures.catalogue.widths)
    return f'<{paths[0]}>; rel=preload; as=image; imagesrcset="{srcset}"; imagesizes="{sizes}"; fetchpriority=high'


def _srcset(paths: list[str], widths: tuple[int, ...] | list[int]) -> str:
    return ", ".join(f"{p} {w}w" for p, w in zip(paths, widths, strict=True))


# The car's <img> as React prerenders it (app.ui.spin: id="car-picture"), and the attributes the server fills.
_CAR_IMG = re.compile(r'<img\b[^>]*\bid="car-picture"[^>]*>', re.IGNORECASE)
_FILLED = re.compile(r'\s(?:src|srcset|alt|fetchpriority)="[^"]*"', re.IGNORECASE)
# With no choices in its URL, /build opens the build the nudge kept in local storage (BuildState.load),
# which the server can't see: before the picture is drawn, that browser takes the server's car out again
# and waits for the state's, as it always did, rather than show one car and then another.
KEPT_BUILD_GUARD = (
    "<script>(() => { try { if (!localStorage.getItem('motorjoy.lastBuild')) return; } catch (e) { return; }"
    " const seen = new MutationObserver(() => { const pic = document.getElementById('car-picture'); if (!pic) return;"
    " seen.disconnect(); pic.removeAttribute('srcset'); pic.removeAttribute('src'); });"
    " seen.observe(document, { childList: true, subtree: true }); })()</script>"
)


def with_car(page: str, paths: list[str], widths: tuple[int, ...] | list[int], alt: str, *, kept_guard: bool) -> str:
    """The prerendered /build `page` with its car picture showing `paths` (unchanged if it has no car picture)."""
    filled = (
        f' src="{html.escape(paths[0])}" srcset="{html.escape(_srcset(paths, widths))}"'
        f' alt="{html.escape(alt)}" fetchpriority="high"'
    )
    page, found = _CAR_IMG.subn(lambda img: "<img" + filled + _FILLED.sub("", img.group(0))[len("<img") :], page, 1)
    if found and kept_guard:
        page = page.replace("</head>", KEPT_BUILD_GUARD + "</head>", 1)
    return page


# React Router's prerendered page fetches its ~28 modules at once (modulepreload links in the head) and an
# inline module script hydrates the page. Run on the same two cores as the page's first paint, their download,
# compiling and running held the car back: without them it was on screen in 183 ms instead of 474 ms (median
# of 7, same HTML). So /build starts them once the page has loaded (the car with it) and painted, with every
# modulepreload at that moment: the car shows like a plain page's, and the page comes alive right after.
_MODULE_PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]+)"/?>')
_MODULE_SCRIPT = re.compile(r'<script type="module"[^>]*>(.*?)</script>', re.DOTALL)
# The longest a slow picture may hold the scripts back (ms): past it they start anyway.
SCRIPTS_WAIT_AT_MOST_MS = 3000


@functools.lru_cache(maxsize=4)
def scripts_after_first_paint(page: str) -> str:
    """The prerendered `page` with its module scripts started after its load event and the next frame.

    The same for every request until a new front-end build replaces the page, so worked out once per page."""
    modules = _MODULE_SCRIPT.findall(page)
    if len(modules) != 1:  # not the page React Router builds: left as it is
        return page
    preloads = _MODULE_PRELOAD.findall(page)
    starter = (
        "<script>(() => { let started = false; const start = () => { if (started) return; started = true;"
        f" for (const href of {json.dumps(preloads)}) {{ const link = document.createElement('link');"
        " link.rel = 'modulepreload'; link.href = href; document.head.append(link); }"
        " const script = document.createElement('script'); script.type = 'module';"
        f" script.textContent = {_script_literal(modules[0])}; document.body.append(script); }};"
        " const soon = () => requestAnimationFrame(() => setTimeout(start, 0));"
        " if (document.readyState === 'complete') soon(); else addEventListener('load', soon, { once: true });"
        f" setTimeout(start, {SCRIPTS_WAIT_AT_MOST_MS}); }})()</script>"
    )
    page = _MODULE_PRELOAD.sub("", page)
    return _MODULE_SCRIPT.sub(lambda _match: starter, page, count=1)


def _script_literal(code: str) -> str:
    # A JSON string is a JavaScript string; "</" is escaped so the inline script can't end early.
    return json.dumps(code).replace("</", "<\\/")


def build_page_routes(page: Callable[[], str | None], live: Callable[[], CarPictures]) -> list[Route]:
    """/build and /build/ answered with the prerendered page (`page()`; None without a production build)
    showing the car of the build in the URL, drawn by the picture service in force (`live()`)."""

    def drawn(path: str, query: str) -> tuple[CarPictures, tuple[list[str], str] | None]:
        pictures = live()
        return pictures, requested_picture(pictures, path, query)

    async def build(request: Request) -> Response:
        query, path = request.url.query, request.url.path
        try:  # a saved code is a database look-up: not on the event loop
            pictures, picture = await run_in_threadpool(drawn, path, query) if saved_code(path) else drawn(path, query)
        except Exception:  # the page matters more than its head start
            log.exception("drawing /build's car into its HTML failed")
            picture = None
        prerendered = page()
        if prerendered is None:  # dev mode: the front end's own server has the page
            return PlainTextResponse("/build is served by the front end in development.", status_code=404)
        car = None
        if picture is not None:
            car = (tuple(picture[0]), tuple(pictures.catalogue.widths), picture[1], not query)
        gzipped = "gzip" in request.headers.get("accept-encoding", "")  # as the static pages: a third the bytes
        body = page_bytes(scripts_after_first_paint(prerendered), car, gzipped)
        # Revalidated each time: the HTML names this release's scripts, and the car depends on the query.
        headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        return Response(body, media_type="text/html; charset=utf-8", headers=headers)

    return [Route("/build", build, methods=["GET", "HEAD"]), Route("/build/", build, methods=["GET", "HEAD"])]


@functools.lru_cache(maxsize=64)
def page_bytes(page: str, car: tuple[tuple[str, ...], tuple[int, ...], str, bool] | None, gzipped: bool) -> bytes:
    """The bytes of /build showing `car` (paths, widths, alt, kept_guard): the same for every visitor to
    the same build, so made once. Compressing it on the event loop took a third of a millisecond
    per visitor; a crowd arriving at once all open the same default build. The picture's paths carry
    the catalogue's version, so a publish makes new entries; 64 pages of about 25 KB bound it."""
    if car is not None:
        paths, widths, alt, kept_guard = car
        page = with_car(page, list(paths), widths, alt, kept_guard=kept_guard)
    return gzip.compress(page.encode(), 6) if gzipped else page.encode()


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
            query = scope.get("query_string", b"").decode("latin-1")
            try:  # a saved code is a database look-up: not on the event loop
                link = (
                    await run_in_threadpool(self.preload, path, query)
                    if saved_code(path)
                    else self.preload(path, query)
                )
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
