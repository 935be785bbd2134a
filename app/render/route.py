"""The HTTP route that serves car pictures: GET /car/... (see app.render.key for the URL design)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import time
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from app.render.cache import StoreBusy
from app.render.key import (
    FORMATS,
    MAX_URL_LENGTH,
    PREFIX,
    BadPictureRequest,
    PictureKey,
    RenderKey,
    in_the_catalogue,
    parse_picture_path,
)
from app.render.pictures import CarPictures

log = logging.getLogger(__name__)
IMMUTABLE = "public, max-age=31536000, immutable"
# Where each picture came from and how long it took, for the browser's devtools and Resource Timing: an
# operator sees at a glance whether a slow picture was drawn, and the click benchmark checks that its
# "never seen" pictures really were drawn. Any page may read it (a picture's cache state is not personal).
TIMING_FOR_ALL = {"Timing-Allow-Origin": "*"}
# Seconds a client must wait before its next never-seen picture (0: go ahead, and that one is counted).
MissGate = Callable[[Request], float]
# The same answer when the gate has it in memory (see MissLimiter.from_memory), else None: for the event loop.
MissGateNow = Callable[[Request], float | None]


def no_miss_limit(_request: Request) -> float:
    return 0.0


def ask_the_gate(_request: Request) -> float | None:
    return None


def none_in_hand(_version: str) -> CarPictures | None:
    return None


# Never-seen pictures a worker has in hand (drawn or waiting their turn) before it answers the next
# never-seen WebP with its JPEG: a visitor turning the car (8 angles) stays under it.
CROWD_IN_HAND = 8
# Never-seen pictures handed to the drawing process at once. It draws one at a time anyway (a visitor's
# first, see app.render.drawing); what matters is that a pick's whole stack (a base and up to seven
# pieces) goes over together. Handed over one by one, each waited behind the warm-up's next view decode,
# which slipped in between: at start-up a new build's stack took 14 s (2.6 s a picture), over 20 s under
# load. Without a drawing process (tests, scripts) it is also how many threads draw at once.
HANDED_OVER_AT_ONCE = CROWD_IN_HAND


class DrawingQueue:
    """The never-seen pictures a worker has in hand: `at_once` with the drawing process, the rest waiting.

    Past `crowd` in hand the queue is *crowded*: a crowd is picking builds nobody has seen, faster than
    WebP can be drawn. With 400 visitors on two cores the drawings fell seconds behind (a new picture
    took 2.8-3.8 s at p95 in a first run). JPEG draws for about a third of the CPU (its encoding is a
    sixth of WebP's), so a crowded worker answers a never-seen WebP with the same picture as JPEG (a
    quarter more bytes, the same pixels), marked not to be kept, and the WebP is drawn when someone
    asks for it on a calmer day.
    """

    def __init__(self, at_once: int, crowd: int = CROWD_IN_HAND) -> None:
        self._turns = asyncio.Semaphore(at_once)
        self.crowd = crowd
        self.in_hand = 0

    @property
    def crowded(self) -> bool:
        return self.in_hand >= self.crowd

    async def draw(self, pictures: CarPictures, key: PictureKey) -> bytes:
        self.in_hand += 1
        try:
            async with self._turns:
                return await pictures.draw_aside(key)
        finally:
            self.in_hand -= 1


def picture_routes(
    pictures_for: Callable[[str], CarPictures | None],
    live: Callable[[], CarPictures],
    admit_miss: MissGate = no_miss_limit,
    drawing_at_once: int = HANDED_OVER_AT_ONCE,
    in_hand: Callable[[str], CarPictures | None] = none_in_hand,
    admit_miss_now: MissGateNow | None = None,
    crowd_in_hand: int = CROWD_IN_HAND,
) -> list[Route]:
    """The routes to add to the app's Starlette instance.

    `pictures_for(version)` is the service drawing that asset version (None when it is unknown);
    `live()` the current one. A page built before a catalogue change may still ask for an old
    version: it is sent to the same car in the current catalogue, when that car still exists.
    Pictures already drawn (memory or disk) are always served; one that must be drawn first costs
    CPU and disk, so `admit_miss(request)` (run in a thread: it may ask the database) may refuse it
    with a 429 and a Retry-After; `admit_miss_now(request)` gives the same answer on the event loop when
    it can (None: it can't; left out, only the default no-limit gate answers there). At most
    `drawing_at_once` are handed to the drawing process at a time; past `crowd_in_hand` in hand, a
    never-seen WebP is answered with its JPEG (see `DrawingQueue`).
    `in_hand(version)` answers without I/O for the versions already known, so nearly every request is
    spared a trip to a thread for `pictures_for` (about a third of a served picture's CPU).
    """
    drawing = DrawingQueue(drawing_at_once, crowd_in_hand)
    if admit_miss_now is None:
        admit_miss_now = no_miss_limit if admit_miss is no_miss_limit else ask_the_gate

    async def car_picture(request: Request) -> Response:
        try:
            path = _checked_path(request)
            version = path[len(PREFIX) :].split("/", 1)[0] if path.startswith(PREFIX) else ""
            pictures = in_hand(version) or await run_in_threadpool(pictures_for, version)
            if pictures is None:
                return await _to_current(path, version, await run_in_threadpool(live))
            key = parse_picture_path(path, pictures.catalogue)
        except BadPictureRequest as exc:
            return _refusal(str(exc), exc.status)
        headers = {"Cache-Control": IMMUTABLE, "ETag": key.etag, **TIMING_FOR_ALL}
        if _matches(request.headers.get("if-none-match"), key.etag):
            return Response(status_code=304, headers=headers)
        started = time.perf_counter()
        try:
            # Memory hits and a glance at the disk store answer inline, and the gate when it knows; a
            # drawing is awaited from the drawing process (which stores the picture itself). Only a gate
            # that must ask the database, or a store too busy to glance at, takes a trip to a thread
            # (which costs the event loop a turn and the thread a sleep and a wake), both in one.
            source, data = "memory", pictures.cache.in_memory(key)
            if data is None:
                # The catalogue's own stack pictures are a bounded set, each drawn once for everyone (and
                # ahead of time), which no client can make the server draw more of: not counted as misses.
                bounded = in_the_catalogue(pictures.catalogue, key)
                gates = (no_miss_limit, no_miss_limit) if bounded else (admit_miss, admit_miss_now)
                data, wait = await _stored_or_admitted_now(pictures, key, *gates, request)
                source = "disk"
                if wait > 0:
                    return _slow_down(wait)
            # A crowd's JPEG is for a build's composite; a stack's pictures are few and drawn ahead.
            if data is None and isinstance(key, RenderKey) and key.format == "webp" and drawing.crowded:
                source, data = await _as_jpeg(pictures, key, drawing)
                return _crowd_answer(data, source, time.perf_counter() - started)
            if data is None:
                source, data = "drawn", await drawing.draw(pictures, key)
        except Exception:
            log.exception("rendering %s failed", key.url())
            return _refusal("The picture could not be drawn.", 503)
        headers["Server-Timing"] = server_timing(source, time.perf_counter() - started)
        return Response(data, media_type=key.content_type, headers=headers)

    return [Route("/car/{rest:path}", car_picture, methods=["GET", "HEAD"])]


async def _stored_or_admitted_now(
    pictures: CarPictures, key: PictureKey, admit_miss: MissGate, admit_miss_now: MissGateNow, request: Request
) -> tuple[bytes | None, float]:
    """`_stored_or_admitted`, on the event loop as far as it can go."""
    try:
        data = pictures.cache.glance(key)
    except StoreBusy:
        return await run_in_threadpool(_stored_or_admitted, pictures, key, admit_miss, request)
    if data is not None:
        return data, 0.0
    wait = admit_miss_now(request)
    return None, (wait if wait is not None else await run_in_threadpool(admit_miss, request))


def _stored_or_admitted(
    pictures: CarPictures, key: PictureKey, admit_miss: MissGate, request: Request
) -> tuple[bytes | None, float]:
    """The picture from the disk store; else whether the client may have it drawn (the gate's wait)."""
    data = pictures.cache.stored(key)
    return (data, 0.0) if data is not None else (None, admit_miss(request))


def server_timing(source: str, seconds: float) -> str:
    """The Server-Timing value for a picture served from `source` (memory, disk or drawn) in `seconds`."""
    return f"{source};dur={seconds * 1000:.1f}"


async def _to_current(path: str, version: str, live: CarPictures) -> Response:
    current = path.replace(f"{PREFIX}{version}/", f"{PREFIX}{live.catalogue.asset_version}/", 1)
    key = parse_picture_path(current, live.catalogue)  # BadPictureRequest (404) when that car no longer exists
    return RedirectResponse(key.url(), status_code=302, headers={"Cache-Control": "no-cache"})


async def _as_jpeg(pictures: CarPictures, key: RenderKey, drawing: DrawingQueue) -> tuple[str, bytes]:
    """The WebP `key`'s picture as JPEG, from memory or the store if a crowd had it drawn before, else
    drawn (and stored) now."""
    jpeg = dataclasses.replace(key, format="jpg")
    data = pictures.cache.in_memory(jpeg)
    if data is not None:
        return "memory", data
    with contextlib.suppress(StoreBusy):  # the store is busy: drawing it is the quicker way
        if (data := pictures.cache.glance(jpeg)) is not None:
            return "disk", data
    return "drawn", await drawing.draw(pictures, jpeg)


def _crowd_answer(data: bytes, source: str, seconds: float) -> Response:
    """A WebP's URL answered with its JPEG: said so in the Content-Type and Server-Timing, and never kept
    (no ETag either), so the browser asks the WebP's URL again next time."""
    headers = {
        "Cache-Control": "no-store",
        "Server-Timing": f"{server_timing(source, seconds)}, crowd",
        **TIMING_FOR_ALL,
    }
    return Response(data, media_type=FORMATS["jpg"], headers=headers)


def _slow_down(wait: float) -> Response:
    seconds = max(1, math.ceil(wait))
    response = _refusal(f"Too many new pictures at once: try again in {seconds} s.", 429)
    response.headers.update({"Retry-After": str(seconds), "Cache-Control": "no-store"})
    return response


def _refusal(message: str, status: int) -> Response:
    # The message may quote the URL back; nosniff keeps browsers reading it as the plain text it is.
    return PlainTextResponse(message, status_code=status, headers={"X-Content-Type-Options": "nosniff"})


def _checked_path(request: Request) -> str:
    # The decoded path could hide "%2e%2e" or "%2F"; a canonical picture URL never needs escapes.
    raw = request.scope.get("raw_path") or request.url.path.encode()
    if len(raw) + len(request.url.query) > MAX_URL_LENGTH:
        raise BadPictureRequest(414, "URL too long.")
    if request.url.query:
        raise BadPictureRequest(400, "Car picture URLs take no query string.")
    if b"%" in raw or b"\\" in raw:
        raise BadPictureRequest(400, "Car picture URLs contain no escaped characters.")
    return raw.decode("ascii", errors="replace")


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags
