"""HTTP routes for sharing: /build/<code> with card tags, /share/<token>, and the card images (immutable, ETag)."""

import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from app import db, settings
from app.content.journey import Journey
from app.http import front_end_page
from app.render import CarPictures
from app.render.composite import compose
from app.render.route import IMMUTABLE
from app.sharing.card import draw_card
from app.sharing.html import meta_tags, milestone_page, with_tags
from app.sharing.links import CardSubject, build_subject, card_path, card_version, milestone_subject

PICTURE_WIDTH = 1600
_CACHE_ENTRIES = 64


class CardCache:
    """The last few cards drawn, by URL: a card URL never changes meaning, so a hit never goes stale."""

    def __init__(self, entries: int = _CACHE_ENTRIES) -> None:
        self._cards: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._entries = entries

    def get(self, path: str, draw: Callable[[], bytes]) -> bytes:
        with self._lock:
            if path in self._cards:
                self._cards.move_to_end(path)
                return self._cards[path]
        data = draw()
        with self._lock:
            self._cards[path] = data
            while len(self._cards) > self._entries:
                self._cards.popitem(last=False)
        return data


def card_bytes(pictures: CarPictures, subject: CardSubject) -> bytes:
    catalogue = pictures.catalogue
    view = catalogue.model(subject.build.model).views[0]  # the hero view, whatever the catalogue calls it
    car = compose(pictures.library, pictures.key(subject.build, view, PICTURE_WIDTH))
    return draw_card(car, subject.title, subject.line)


def sharing_routes(
    live: Callable[[], CarPictures], journey: Callable[[], Journey], app_page: Callable[[], str | None]
) -> list[Route]:
    """`live()` is the picture service in force, `journey()` the published journey, `app_page()` the front end's
    HTML for a dynamic page (None without a production build)."""
    cache = CardCache()

    def subject_of(kind: str, ident: str) -> tuple[CarPictures, CardSubject | None]:
        pictures = live()
        with db.session() as s:
            if kind == "build":
                return pictures, build_subject(s, pictures.catalogue, ident)
            if kind == "milestone":
                return pictures, milestone_subject(s, pictures.catalogue, journey(), ident)
        return pictures, None

    def tags_for(pictures: CarPictures, subject: CardSubject, page_path: str) -> str:
        base = settings.public_url().rstrip("/")
        return meta_tags(subject, base + page_path, base + card_path(pictures.catalogue, subject))

    async def build_page(request: Request) -> Response:
        code = request.path_params["code"]
        pictures, subject = await run_in_threadpool(subject_of, "build", code)
        page = await run_in_threadpool(app_page)
        if subject is None:  # not a saved build: the app says so itself, as it always did
            return HTMLResponse(with_tags(page, "", "Your build · Motorjoy"))
        tags = tags_for(pictures, subject, f"/build/{subject.ident}")
        return HTMLResponse(with_tags(page, tags, subject.title), headers={"Cache-Control": "no-cache"})

    async def milestone(request: Request) -> Response:
        pictures, subject = await run_in_threadpool(subject_of, "milestone", request.path_params["token"])
        if subject is None:
            return PlainTextResponse("This share link doesn't exist (any more).", status_code=404)
        tags = tags_for(pictures, subject, f"/share/{subject.ident}")
        body = milestone_page(subject, tags, card_path(pictures.catalogue, subject))
        return HTMLResponse(body, headers={"Cache-Control": "no-cache", "Referrer-Policy": "no-referrer"})

    async def card(request: Request) -> Response:
        version, kind, name = (request.path_params[k] for k in ("version", "kind", "name"))
        if not name.endswith(".jpg"):
            return PlainTextResponse("Share cards are JPEGs.", status_code=404)
        pictures, subject = await run_in_threadpool(subject_of, kind, name.removesuffix(".jpg"))
        if subject is None:
            return PlainTextResponse("No such card.", status_code=404)
        current = card_version(pictures.catalogue, subject)
        if version != current:  # an old design or catalogue: the same car as it is drawn today
            return RedirectResponse(card_path(pictures.catalogue, subject), 302, headers={"Cache-Control": "no-cache"})
        etag = f'"card-{current}"'
        headers = {"Cache-Control": IMMUTABLE, "ETag": etag}
        if etag in [tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        path = card_path(pictures.catalogue, subject)
        data = await run_in_threadpool(cache.get, path, lambda: card_bytes(pictures, subject))
        return Response(data, media_type="image/jpeg", headers=headers)

    return [
        Route("/build/{code}", build_page, methods=["GET", "HEAD"]),
        Route("/share/{token}", milestone, methods=["GET", "HEAD"]),
        Route("/share-card/{version}/{kind}/{name}", card, methods=["GET", "HEAD"]),
    ]


def built_page() -> str | None:
    """The production build's HTML for dynamic pages such as /build/<code> (re-read when a new build replaces it)."""
    from reflex import constants

    return front_end_page(constants.ReactRouter.SPA_FALLBACK)
