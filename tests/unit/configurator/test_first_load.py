"""A first visit like a plain page: hashed scripts cached for good, /build's car preloaded with the HTML."""

import asyncio
import json

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app import db
from app.catalog import load_catalogue
from app.configurator import builds, first_load
from app.configurator.first_load import (
    KEPT_BUILD_GUARD,
    SCRIPTS_WAIT_AT_MOST_MS,
    FirstLoadMiddleware,
    build_page_routes,
    page_bytes,
    picture_preload,
    requested_picture,
    scripts_after_first_paint,
    with_car,
)
from app.render import CarPictures

SIZES = "(min-width: 64em) 40rem, 100vw"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> CarPictures:
    return CarPictures(load_catalogue(), tmp_path_factory.mktemp("render-cache"))


def site(preload) -> TestClient:
    async def page(_request):
        return HTMLResponse("<html>the page</html>")

    async def script(_request):
        return PlainTextResponse("console.log(1)", headers={"cache-control": "no-cache"})

    routes = [
        Route("/build", page),
        Route("/build/{code}", page),
        Route("/assets/{name}", script),
        Route("/track", page),
        Route("/nudge.js", script),
    ]
    return TestClient(FirstLoadMiddleware(Starlette(routes=routes), preload))


def test_hashed_scripts_are_cached_for_good_and_nothing_else_is():
    client = site(lambda path, query: None)
    assert client.get("/assets/_build_._index-CsMtp1oP.js").headers["cache-control"] == (
        "public, max-age=31536000, immutable"
    )
    assert client.get("/assets/global-NccINl-w.css").headers["cache-control"].endswith("immutable")
    for unhashed in ("/assets/plain.js", "/nudge.js"):  # a name that may change meaning: ask again
        assert client.get(unhashed).headers["cache-control"] == "no-cache"
    assert "link" not in client.get("/track").headers


def test_the_build_page_preloads_the_picture_of_the_build_in_its_url(pictures):
    client = site(lambda path, query: picture_preload(pictures, path, query, SIZES))
    catalogue = pictures.catalogue
    link = client.get("/build?model=hatch&colour=racing-green&roof=roof-black").headers["link"]
    build, view, _ = builds.build_from_query(
        catalogue, {"model": "hatch", "colour": "racing-green", "roof": "roof-black"}
    )
    paths, _ = pictures.paths_and_alt(build, view)
    assert link.startswith(f"<{paths[0]}>; rel=preload; as=image;")
    assert all(f"{path} {width}w" in link for path, width in zip(paths, catalogue.widths, strict=True))
    assert f'imagesizes="{SIZES}"' in link
    default = client.get("/build").headers["link"]
    assert pictures.paths_and_alt(catalogue.build_from(catalogue.models[0].id), view)[0][0] in default


def test_a_saved_code_preloads_its_build_and_an_unknown_one_the_fresh_build(pictures, empty_db_url, monkeypatch):
    db.migrate(empty_db_url)
    monkeypatch.setenv("REFLEX_DB_URL", empty_db_url)
    catalogue = pictures.catalogue
    build = catalogue.build_from("convertible", {"colour": "racing-green"})
    with db.session() as s:
        code = builds.save_build(s, catalogue, build, "")
    client = site(lambda path, query: picture_preload(pictures, path, query, SIZES))
    view = catalogue.model("convertible").views[0]
    assert pictures.paths_and_alt(build, view)[0][0] in client.get(f"/build/{code}").headers["link"]
    assert client.get("/build/NOSUCHCODE").status_code == 200


def test_a_failing_preload_costs_the_page_nothing():
    def broken(path, query):
        raise RuntimeError("database down")

    response = site(broken).get("/build")
    assert response.status_code == 200 and "link" not in response.headers


def test_websockets_and_posts_pass_untouched():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    middleware = FirstLoadMiddleware(app, lambda path, query: "never")
    asyncio.run(middleware({"type": "websocket", "path": "/_event"}, None, None))
    asyncio.run(middleware({"type": "http", "method": "POST", "path": "/build"}, None, None))
    assert seen == ["websocket", "http"]


# What React prerenders for /build's picture before any state (app.ui.spin, app.ui.car_picture): no URL yet.
PRERENDERED = (
    '<html><head><title>Build your own</title></head><body><div data-spin="">'
    '<img srcSet="" sizes="(min-width: 64em) 40rem, 100vw" alt="" width="100%" id="car-picture" draggable="false"/>'
    "</div></body></html>"
)


def test_the_car_of_the_url_is_drawn_into_the_prerendered_page():
    page = with_car(
        PRERENDERED, ["/car/a/1600.webp", "/car/a/800.webp"], (1600, 800), 'A "green" hatch', kept_guard=False
    )
    img = page[page.index("<img") : page.index(">", page.index("<img")) + 1]
    assert 'src="/car/a/1600.webp"' in img
    assert 'srcset="/car/a/1600.webp 1600w, /car/a/800.webp 800w"' in img
    assert 'alt="A &quot;green&quot; hatch"' in img and 'fetchpriority="high"' in img
    assert img.lower().count("srcset=") == 1 and img.count("alt=") == 1  # the empty ones are gone
    assert 'sizes="(min-width: 64em) 40rem, 100vw"' in img and 'id="car-picture"' in img
    assert KEPT_BUILD_GUARD not in page


def test_a_bare_build_url_lets_a_kept_build_take_the_servers_car_out_again():
    page = with_car(PRERENDERED, ["/p1", "/p2"], (1600, 800), "alt", kept_guard=True)
    assert page.index(KEPT_BUILD_GUARD) < page.index("</head>") < page.index("<img")


def test_a_page_without_the_car_picture_is_left_as_it_is():
    assert with_car("<html><head></head><body></body></html>", ["/p"], (800,), "a", kept_guard=True) == (
        "<html><head></head><body></body></html>"
    )


def test_build_is_answered_with_the_prerendered_page_showing_the_car_of_its_query(pictures):
    client = TestClient(Starlette(routes=build_page_routes(lambda: PRERENDERED, lambda: pictures)))
    catalogue = pictures.catalogue
    build, view, _ = builds.build_from_query(catalogue, {"model": "convertible", "colour": "racing-green"})
    paths, _alt = pictures.paths_and_alt(build, view)
    response = client.get("/build?model=convertible&colour=racing-green")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-cache"
    assert f'src="{paths[0]}"' in response.text and KEPT_BUILD_GUARD not in response.text
    default = client.get("/build/", follow_redirects=False)
    first, first_view, _ = builds.build_from_query(catalogue, {})
    assert default.status_code == 200 and pictures.paths_and_alt(first, first_view)[0][0] in default.text
    assert KEPT_BUILD_GUARD in default.text
    zipped = client.get("/build", headers={"Accept-Encoding": "gzip"})  # httpx unzips it again
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text == default.text


def test_visitors_to_the_same_build_share_one_made_page(pictures):
    client = TestClient(Starlette(routes=build_page_routes(lambda: PRERENDERED, lambda: pictures)))
    gzipped = {"Accept-Encoding": "gzip"}
    first = client.get("/build?model=hatch&colour=seafoam", headers=gzipped)
    made = page_bytes.cache_info()
    again = client.get("/build?model=hatch&colour=seafoam", headers=gzipped)
    assert page_bytes.cache_info().hits == made.hits + 1 and page_bytes.cache_info().misses == made.misses
    assert again.content == first.content and again.headers["content-encoding"] == "gzip"
    other = client.get("/build?model=hatch&colour=racing-green", headers=gzipped)
    assert page_bytes.cache_info().misses == made.misses + 1 and other.content != first.content


def test_a_car_that_cant_be_worked_out_leaves_the_page_as_built(pictures):
    def broken():
        raise RuntimeError("catalogue unreadable")

    client = TestClient(Starlette(routes=build_page_routes(lambda: PRERENDERED, broken)))
    assert client.get("/build?model=hatch").text == PRERENDERED
    assert (
        TestClient(Starlette(routes=build_page_routes(lambda: None, lambda: pictures))).get("/build").status_code == 404
    )


# The head and tail of a page as React Router prerenders it: modules preloaded at once, an inline module script.
WITH_SCRIPTS = (
    '<html><head><link rel="modulepreload" href="/assets/manifest-1.js"/>'
    '<link rel="modulepreload" href="/assets/root-2.js"/></head><body><img id="car-picture"/>'
    '<script type="module" async="">import "/assets/manifest-1.js";\nimport("/assets/entry-3.js");</script>'
    "</body></html>"
)


def test_build_starts_its_scripts_once_the_page_and_its_car_are_painted():
    page = scripts_after_first_paint(WITH_SCRIPTS)
    assert "modulepreload" not in page[: page.index("<body>")] and 'type="module"' not in page
    starter = page[page.index("<script>") : page.index("</script>") + len("</script>")]
    assert '["/assets/manifest-1.js", "/assets/root-2.js"]' in starter  # preloaded all at once when started
    assert json.dumps('import "/assets/manifest-1.js";\nimport("/assets/entry-3.js");') in starter
    assert "addEventListener('load'" in starter and "requestAnimationFrame" in starter
    assert f"setTimeout(start, {SCRIPTS_WAIT_AT_MOST_MS})" in starter  # a slow picture can't hold them for long


def test_a_closing_tag_in_the_module_script_is_escaped_in_the_starter():
    page = scripts_after_first_paint(WITH_SCRIPTS.replace("import(", "'</div>';import("))
    assert "'</div>';" not in page and "'<\\/div>';" in page  # "</" could otherwise end the inline script


def test_a_page_without_one_module_script_is_left_as_it_is():
    assert scripts_after_first_paint(PRERENDERED) == PRERENDERED


def test_build_is_answered_with_its_scripts_started_after_the_first_paint(pictures):
    client = TestClient(Starlette(routes=build_page_routes(lambda: WITH_SCRIPTS, lambda: pictures)))
    text = client.get("/build?model=hatch").text
    assert 'type="module"' not in text and "addEventListener('load'" in text and 'src="/car/' in text


def test_only_a_saved_code_sends_the_page_to_a_thread(pictures, empty_db_url, monkeypatch):
    db.migrate(empty_db_url)
    monkeypatch.setenv("REFLEX_DB_URL", empty_db_url)
    hops = []
    real = first_load.run_in_threadpool

    async def counted(fn, *args):
        hops.append(args[0])
        return await real(fn, *args)

    monkeypatch.setattr(first_load, "run_in_threadpool", counted)
    saved_page = Route("/build/{code}", lambda _request: HTMLResponse("drawn by the app in the browser"))
    routes = [*build_page_routes(lambda: PRERENDERED, lambda: pictures), saved_page]
    preload = FirstLoadMiddleware(Starlette(routes=routes), lambda p, q: picture_preload(pictures, p, q, SIZES))
    client = TestClient(preload)
    page = client.get("/build?model=convertible&colour=racing-green")
    assert page.status_code == 200 and "rel=preload" in page.headers["link"] and 'src="/car/' in page.text
    assert hops == []  # worked out from the URL on the event loop
    with db.session() as s:
        code = builds.save_build(s, pictures.catalogue, pictures.catalogue.build_from("hatch"), "")
    assert "rel=preload" in client.get(f"/build/{code}").headers["link"]
    assert hops == [f"/build/{code}"]  # the preload's database look-up, in a thread


def test_the_car_of_a_url_is_worked_out_once_per_service_and_url(pictures, tmp_path):
    query = "model=hatch&colour=seafoam"
    first = requested_picture(pictures, "/build", query)
    assert first is not None and requested_picture(pictures, "/build/", query) is first
    # Another service (a publish) works it out again, even for the same URL.
    other = CarPictures(pictures.catalogue, tmp_path)
    again = requested_picture(other, "/build", query)
    assert again is not first and again == first
    # Only the last few URLs are kept.
    for n in range(first_load.CARS_OF_URLS_KEPT + 1):
        requested_picture(pictures, "/build", f"model=hatch&n={n}")
    assert len(first_load._cars_of_urls) == first_load.CARS_OF_URLS_KEPT
    assert requested_picture(pictures, "/build", query) is not first
