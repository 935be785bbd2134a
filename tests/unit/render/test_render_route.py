"""GET /car/... through the real Starlette route: good pictures, caching headers, and a 4xx for every bad URL."""

import asyncio

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.render import CarPictures, picture_routes

OPTIONS = "chili-red+roof-white+mirrors-body+stripes-none+badgebar-none+badge-classic+wheels-spoke"
GOOD = "/car/test-1/hatch/side/160/C0392B/" + OPTIONS


def routes(pictures: CarPictures):
    """The routes with one catalogue version in service, like a server that has just started."""
    return picture_routes(lambda v: pictures if v == pictures.catalogue.asset_version else None, lambda: pictures)


@pytest.fixture
def client(pictures: CarPictures) -> TestClient:
    return TestClient(Starlette(routes=routes(pictures)), raise_server_exceptions=False)


def test_webp_picture(client: TestClient) -> None:
    response = client.get(GOOD + ".webp")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WEBP"
    assert client.get(GOOD + ".webp").content == response.content


def test_each_picture_says_where_it_came_from_and_how_long_it_took(client: TestClient, pictures: CarPictures) -> None:
    def timing(response) -> tuple[str, float]:
        assert response.status_code == 200 and response.headers["timing-allow-origin"] == "*"
        source, duration = response.headers["server-timing"].split(";dur=")
        return source, float(duration)

    drawn = timing(client.get(GOOD + ".webp"))
    assert drawn[0] == "drawn" and drawn[1] > 0
    assert timing(client.get(GOOD + ".webp"))[0] == "memory"
    pictures.cache._memory.clear()
    assert timing(client.get(GOOD + ".webp"))[0] == "disk"
    # A conditional request is answered from its ETag alone, so it has nothing to time.
    etag = client.get(GOOD + ".webp").headers["etag"]
    assert "server-timing" not in client.get(GOOD + ".webp", headers={"If-None-Match": etag}).headers


def test_jpeg_picture_has_its_own_etag(client: TestClient) -> None:
    jpg = client.get(GOOD + ".jpg")
    assert jpg.status_code == 200 and jpg.headers["content-type"] == "image/jpeg"
    assert jpg.content[:2] == b"\xff\xd8"
    assert jpg.headers["etag"] != client.get(GOOD + ".webp").headers["etag"]


def test_custom_colour_picture(client: TestClient) -> None:
    response = client.get("/car/test-1/hatch/front/40/1A2B3C/" + OPTIONS.replace("chili-red", "custom") + ".webp")
    assert response.status_code == 200


def test_head_answers_headers_only(client: TestClient) -> None:
    response = client.head(GOOD + ".webp")
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert response.content == b""


def test_matching_etag_answers_304(client: TestClient) -> None:
    etag = client.get(GOOD + ".webp").headers["etag"]
    for header in (etag, f'"nope", {etag}', "*"):
        response = client.get(GOOD + ".webp", headers={"If-None-Match": header})
        assert response.status_code == 304 and response.content == b"" and response.headers["etag"] == etag
    assert client.get(GOOD + ".webp", headers={"If-None-Match": '"other"'}).status_code == 200


BAD = [
    ("unknown model", GOOD.replace("/hatch/", "/van/") + ".webp", 404),
    ("unknown view", GOOD.replace("/side/", "/top/") + ".webp", 404),
    (
        "view the model lacks",
        GOOD.replace("/hatch/side/", "/estate/front/").replace("chili-red", "snow-white").replace("C0392B", "FFFFFF")
        + ".webp",
        404,
    ),
    ("unknown option", GOOD.replace("roof-white", "roof-purple") + ".webp", 404),
    ("option in the wrong slot", GOOD.replace("roof-white", "stripes-none") + ".webp", 404),
    (
        "option not on the model",
        GOOD.replace("/hatch/", "/estate/").replace("badgebar-none", "badgebar-rally") + ".webp",
        404,
    ),
    ("options out of order", GOOD.replace("roof-white+mirrors-body", "mirrors-body+roof-white") + ".webp", 404),
    ("lower-case hex", GOOD.replace("C0392B", "c0392b") + ".webp", 400),
    ("short hex", GOOD.replace("C0392B", "C03") + ".webp", 400),
    ("hex out of range", GOOD.replace("C0392B", "GG0000") + ".webp", 400),
    ("hex with #", GOOD.replace("C0392B", "#C0392B") + ".webp", 400),
    ("width not offered", GOOD.replace("/160/", "/120/") + ".webp", 404),
    ("width not a number", GOOD.replace("/160/", "/wide/") + ".webp", 400),
    ("width with leading zero", GOOD.replace("/160/", "/0160/") + ".webp", 400),
    ("huge width", GOOD.replace("/160/", "/99999999999/") + ".webp", 400),
    ("unknown format", GOOD + ".png", 400),
    ("no extension", GOOD, 400),
    ("extra segment", GOOD.replace("/hatch/", "/hatch/extra/") + ".webp", 400),
    ("missing segment", GOOD.replace("/side/", "/") + ".webp", 400),
    ("trailing slash", GOOD + ".webp/", 400),
    ("too few options", GOOD.replace("+wheels-spoke", "") + ".webp", 400),
    ("too many options", GOOD + "+wheels-spoke.webp", 400),
    ("empty option", GOOD.replace("+wheels-spoke", "+") + ".webp", 400),
    ("old version, car gone", GOOD.replace("test-1", "test-0").replace("stripes-none", "stripes-x") + ".webp", 404),
    ("encoded dots", "/car/%2e%2e/%2e%2e/etc/passwd/x/y.webp", 400),
    ("encoded slash", GOOD.replace("/hatch/", "/hatch%2F..%2F/") + ".webp", 400),
    ("dot segments", "/car/test-1/hatch/side/160/C0392B/..%2F..%2Fsecret.webp", 400),
    ("query string", GOOD + ".webp?w=1600", 400),
    ("absurdly long", GOOD + "+" + "x" * 600 + ".webp", 414),
    ("upper-case model", GOOD.replace("/hatch/", "/HATCH/") + ".webp", 400),
    ("nothing after /car/", "/car/", 400),
]


@pytest.mark.parametrize(("why", "path", "status"), BAD, ids=[b[0] for b in BAD])
def test_bad_urls_get_a_clear_4xx(client: TestClient, why: str, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 0 < len(response.text) < 200 and "Traceback" not in response.text


def test_an_old_version_is_sent_to_the_same_car_in_the_current_catalogue(client: TestClient) -> None:
    # A page built before a publish asks for the old version; it gets the car as drawn now.
    response = client.get(GOOD.replace("test-1", "test-0") + ".webp", follow_redirects=False)
    assert response.status_code == 302 and response.headers["location"] == GOOD + ".webp"
    assert response.headers["cache-control"] == "no-cache"


def test_mangled_urls_never_500(client: TestClient) -> None:
    good = GOOD + ".webp"
    for cut in range(len("/car/"), len(good), 7):
        for junk in ("", "/", "+", ".", "..", "%00", "~", "é"):
            response = client.get(good[:cut] + junk + good[cut:])
            assert 200 <= response.status_code < 500


def test_render_failure_is_503_not_a_traceback(pictures: CarPictures, monkeypatch) -> None:
    def broken(key):
        raise RuntimeError("layer exploded")

    monkeypatch.setattr(pictures.cache, "_render", broken)
    client = TestClient(Starlette(routes=routes(pictures)), raise_server_exceptions=False)
    response = client.get(GOOD + ".webp")
    assert response.status_code == 503 and "exploded" not in response.text


def test_mounted_like_reflex_other_paths_fall_through(pictures: CarPictures) -> None:
    # rx.App(api_transformer=starlette_app) mounts the Reflex backend at "" inside our app.
    outer = Starlette(routes=routes(pictures))
    outer.mount("", Starlette(routes=[Route("/ping", lambda request: PlainTextResponse("pong"))]))
    client = TestClient(outer)
    assert client.get("/ping").text == "pong"
    assert client.get(GOOD + ".webp").status_code == 200


class Gate:
    """A miss gate that refuses after `allowed` misses, counting what it was asked."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.asked = 0

    def __call__(self, _request) -> float:
        self.asked += 1
        return 0.0 if self.asked <= self.allowed else 42.5


def test_a_refused_miss_is_a_429_with_retry_after_and_hits_stay_free(pictures: CarPictures) -> None:
    gate = Gate(allowed=1)
    client = TestClient(Starlette(routes=picture_routes(lambda v: pictures, lambda: pictures, gate)))
    first = client.get(GOOD + ".webp")
    assert first.status_code == 200
    refused = client.get(GOOD.replace("C0392B", "123456").replace("chili-red", "custom") + ".webp")
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "43" and refused.headers["cache-control"] == "no-store"
    assert "try again in 43 s" in refused.text
    for _ in range(5):  # the picture already drawn: served however limited the client is
        assert client.get(GOOD + ".webp").content == first.content
    pictures.cache._memory.clear()  # from disk too
    assert client.get(GOOD + ".webp").content == first.content
    assert gate.asked == 2


def test_never_seen_pictures_are_drawn_one_at_a_time_so_clicks_keep_a_core(pictures: CarPictures, monkeypatch) -> None:
    import threading
    import time

    import httpx

    drawing, most = [0], [0]
    lock = threading.Lock()
    draw = pictures.draw

    def counted(key):
        with lock:
            drawing[0] += 1
            most[0] = max(most[0], drawing[0])
        time.sleep(0.05)  # long enough for the other requests to arrive meanwhile
        try:
            return draw(key)
        finally:
            with lock:
                drawing[0] -= 1

    monkeypatch.setattr(pictures, "draw", counted)
    app = Starlette(routes=picture_routes(lambda v: pictures, lambda: pictures, drawing_at_once=1))

    async def four_new_pictures() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            urls = [
                GOOD.replace("C0392B", colour).replace("chili-red", "custom") + ".webp"
                for colour in ("111111", "222222", "333333", "444444")
            ]
            return [r.status_code for r in await asyncio.gather(*(client.get(url) for url in urls))]

    assert asyncio.run(four_new_pictures()) == [200] * 4
    assert most[0] == 1


def test_a_version_in_hand_is_served_without_asking_in_a_thread(pictures: CarPictures) -> None:
    asked = []

    def pictures_for(version):
        asked.append(version)
        return pictures if version == pictures.catalogue.asset_version else None

    def in_hand(version):
        return pictures if version == pictures.catalogue.asset_version else None

    app = Starlette(routes=picture_routes(pictures_for, lambda: pictures, in_hand=in_hand))
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get(GOOD + ".webp").status_code == 200
    assert asked == []
    # A version not in hand (an old page, a studio preview not drawn here yet) is still looked up:
    # unknown there too, it is sent to the same car in the current catalogue.
    old_page = client.get(GOOD.replace("test-1", "test-0") + ".webp", follow_redirects=False)
    assert old_page.status_code == 302 and old_page.headers["location"] == GOOD + ".webp"
    assert asked == ["test-0"]


def test_a_picture_takes_no_trip_to_a_thread_unless_the_gate_must_ask_the_database(
    catalogue, tmp_path, monkeypatch
) -> None:
    """A trip to a thread costs the event loop a turn and the thread a sleep and a wake. The disk store is
    glanced at on the event loop, the gate answers there when it knows, and the drawing is awaited from the
    drawing process, which stores the picture: only a gate that must ask the database takes a trip."""
    import app.render.route as route
    from app.render.cache import PictureCache
    from app.render.drawing import DrawingProcess

    drawer = DrawingProcess()
    pictures = CarPictures(catalogue, tmp_path / "store", drawer=drawer)
    trips, drawings = [], []
    to_thread, draw_and_store = route.run_in_threadpool, drawer.draw_and_store

    async def counted_trip(function, *args):
        trips.append(getattr(function, "__name__", type(function).__name__))
        return await to_thread(function, *args)

    async def counted_drawing(*args):
        drawings.append(args[1])
        return await draw_and_store(*args)

    monkeypatch.setattr(route, "run_in_threadpool", counted_trip)
    monkeypatch.setattr(drawer, "draw_and_store", counted_drawing)
    gate, known = Gate(allowed=10), [False]

    def from_memory(request) -> float | None:  # as MissLimiter: the database first, then its lease
        if not known[0]:
            return None
        gate.asked += 1
        return 0.0

    app = Starlette(
        routes=picture_routes(
            lambda v: pictures, lambda: pictures, gate, in_hand=lambda v: pictures, admit_miss_now=from_memory
        )
    )
    url = GOOD.replace("C0392B", "5A5A5A").replace("chili-red", "custom") + ".webp"

    async def at_once(count: int, address: str):
        import httpx

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await asyncio.gather(*(client.get(address) for _ in range(count)))

    try:
        answers = asyncio.run(at_once(3, url))  # three visitors after the same new picture: drawn once
        assert [a.status_code for a in answers] == [200] * 3 and len({a.content for a in answers}) == 1
        assert [a.headers["server-timing"].split(";")[0] for a in answers] == ["drawn"] * 3
        assert trips == ["Gate"] * 3 and len(drawings) == 1 and gate.asked == 3
        # Stored by the drawing process, where another worker's store finds it.
        assert PictureCache(lambda key: b"", tmp_path / "store").stored(drawings[0]) == answers[0].content
        trips.clear()
        client = TestClient(app)
        assert client.get(url).headers["server-timing"].startswith("memory;")
        pictures.cache._memory.clear()
        assert client.get(url).headers["server-timing"].startswith("disk;")
        assert trips == [] and gate.asked == 3  # a stored picture is never gated
        known[0] = True  # the gate has a lease in memory now: a new picture takes no trip either
        other = asyncio.run(at_once(1, url.replace("5A5A5A", "5B5B5B")))
        assert other[0].headers["server-timing"].startswith("drawn;") and trips == [] and gate.asked == 4
    finally:
        drawer.close()


def _custom(colour: str, format: str = "webp") -> str:
    return GOOD.replace("C0392B", colour).replace("chili-red", "custom") + "." + format


def _held_drawings(pictures: CarPictures, monkeypatch) -> list:
    """Make every drawing wait 50 ms (so the requests after it find it in hand); returns the keys drawn."""
    import time

    drawn, draw = [], pictures.draw

    def slow(key):
        drawn.append(key)
        time.sleep(0.05)
        return draw(key)

    monkeypatch.setattr(pictures, "draw", slow)
    return drawn


def _all_at_once(app, urls: list[str]) -> list:
    import httpx

    async def gather():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return await asyncio.gather(*(client.get(url) for url in urls))

    return asyncio.run(gather())


def test_in_a_crowd_a_never_seen_webp_is_answered_with_its_jpeg(pictures: CarPictures, monkeypatch) -> None:
    drawn = _held_drawings(pictures, monkeypatch)
    gate = Gate(allowed=10)  # answering on the event loop, as MissLimiter does once it has its lease
    app = Starlette(
        routes=picture_routes(
            lambda v: pictures,
            lambda: pictures,
            gate,
            drawing_at_once=1,
            admit_miss_now=gate,
            crowd_in_hand=2,
            # Known without a thread, so the requests reach the queue in the order they were sent.
            in_hand=lambda v: pictures,
        )
    )
    urls = [_custom(colour) for colour in ("111111", "222222", "333333", "444444")]
    answers = _all_at_once(app, urls)
    # Two in hand (one drawn, one waiting), then the queue is crowded: the rest come as JPEG.
    assert [a.status_code for a in answers] == [200] * 4
    assert [a.headers["content-type"] for a in answers] == ["image/webp"] * 2 + ["image/jpeg"] * 2
    assert [key.format for key in drawn] == ["webp", "webp", "jpg", "jpg"]
    for answer in answers[2:]:
        assert answer.content[:2] == b"\xff\xd8"
        # Never kept, and no ETag: the browser asks the WebP's URL again next time.
        assert answer.headers["cache-control"] == "no-store" and "etag" not in answer.headers
        assert answer.headers["server-timing"].startswith("drawn;") and answer.headers["server-timing"].endswith(
            ", crowd"
        )
    assert gate.asked == 4  # each a miss of its client's, whatever it is drawn as
    # The same JPEG as its own URL serves, from memory now; calm again, the WebP itself is drawn and kept.
    client = TestClient(app)
    jpeg = client.get(urls[2].removesuffix(".webp") + ".jpg")
    assert jpeg.content == answers[2].content and jpeg.headers["server-timing"].startswith("memory;")
    later = client.get(urls[2])
    assert later.headers["content-type"] == "image/webp" and later.headers["cache-control"].endswith("immutable")


def test_in_a_crowd_pictures_already_drawn_and_jpegs_are_answered_themselves(
    pictures: CarPictures, monkeypatch
) -> None:
    stored = TestClient(Starlette(routes=routes(pictures))).get(_custom("555555")).content  # drawn on a calm day
    pictures.cache._memory.clear()
    drawn = _held_drawings(pictures, monkeypatch)
    app = Starlette(
        routes=picture_routes(
            lambda v: pictures, lambda: pictures, drawing_at_once=1, crowd_in_hand=1, in_hand=lambda v: pictures
        )
    )
    urls = [_custom("666666"), _custom("555555"), _custom("777777", "jpg"), _custom("888888")]
    answers = _all_at_once(app, urls)
    assert [a.headers["content-type"] for a in answers] == ["image/webp"] * 2 + ["image/jpeg"] * 2
    assert answers[1].content == stored and answers[1].headers["server-timing"].startswith("disk;")
    assert answers[2].headers["cache-control"].endswith("immutable")  # a JPEG's own URL: kept as ever
    assert answers[3].headers["cache-control"] == "no-store"
    # A crowd's JPEG is stored: the next crowded ask for it draws nothing.
    pictures.cache._memory.clear()
    again = _all_at_once(app, [_custom("999999"), _custom("888888")])
    assert again[1].content == answers[3].content and again[1].headers["server-timing"].startswith("disk;")
    assert len(drawn) == 4


def test_a_picture_drawn_while_someone_waits_is_a_plain_jpeg_and_ahead_of_time_a_progressive_one(pictures) -> None:
    from app.render.encode import LIVE_METHOD, PRECOMPUTE_METHOD

    key = pictures.key(pictures.catalogue.build_from("hatch"), "side", 160, "jpg")

    def frame_kind(data: bytes) -> bytes:
        """The JPEG's start-of-frame marker: C0 baseline, C2 progressive."""
        at = min(i for marker in (b"\xff\xc0", b"\xff\xc2") if (i := data.find(marker)) > 0)
        return data[at + 1 : at + 2]

    assert frame_kind(pictures.render(key, LIVE_METHOD)) == b"\xc0"
    assert frame_kind(pictures.render(key, PRECOMPUTE_METHOD)) == b"\xc2"
