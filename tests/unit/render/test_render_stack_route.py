"""GET /car/.../stack/...: a build's stack pictures through the real route, and a 4xx for every bad URL."""

import asyncio
import io
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app.catalog import Catalogue
from app.render import CarPictures, picture_routes
from app.render.composite import compose
from app.render.drawing import DrawingProcess
from app.render.encode import LIVE_METHOD
from app.render.key import PictureKey, StackKey, parse_picture_path, stack_keys
from app.render.stack import painted_base, piece

STACK = "/car/test-1/hatch/side/160/stack/"


def _client(pictures: CarPictures, **options) -> TestClient:
    routes = picture_routes(
        lambda v: pictures if v == pictures.catalogue.asset_version else None, lambda: pictures, **options
    )
    return TestClient(Starlette(routes=routes), raise_server_exceptions=False, follow_redirects=False)


@pytest.fixture
def client(pictures: CarPictures) -> TestClient:
    return _client(pictures)


def _decoded(response) -> Image.Image:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def _gap(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, dtype=np.int16) - np.asarray(b, dtype=np.int16)).mean())


def test_the_base_is_the_body_painted_over_the_backdrop(client: TestClient, pictures: CarPictures) -> None:
    base = _decoded(client.get(STACK + "body/C0392B.webp"))
    assert base.mode == "RGB" and base.size == (160, 90)
    assert _gap(base, painted_base(pictures.library, "hatch", "side", 160, "#C0392B")) < 3
    etag = client.get(STACK + "body/C0392B.webp").headers["etag"]
    assert client.get(STACK + "body/2A9D8F.webp").headers["etag"] != etag  # any paint has a base of its own


def test_a_piece_is_its_option_alone_with_its_transparency(client: TestClient, pictures: CarPictures) -> None:
    for path, slot, option in (("wheels/wheels-spoke", "wheels", "wheels-spoke"), ("glass/glass", "glass", None)):
        drawn = _decoded(client.get(STACK + path + ".webp"))
        expected = piece(pictures.library, "hatch", "side", 160, slot, option)
        assert drawn.mode == "RGBA" and drawn.size == expected.size == (160, 90)
        assert np.array_equal(np.asarray(drawn)[..., 3] > 0, np.asarray(expected)[..., 3] > 0)


def test_a_builds_stack_from_the_route_lays_into_its_composed_picture(
    client: TestClient, pictures: CarPictures, catalogue: Catalogue
) -> None:
    build = catalogue.build_from(
        "hatch", {"colour": "midnight-black", "stripes": "stripes-black", "roof": "roof-white"}
    )
    for view in catalogue.model("hatch").views:
        keys = stack_keys(catalogue, build, view, 160)
        assert [k.slot for k in keys] == ["body", "wheels", "roof", "stripes", "badge", "glass"]  # what draws
        picture = _decoded(client.get(keys[0].url())).convert("RGBA")
        for key in keys[1:]:
            picture = Image.alpha_composite(picture, _decoded(client.get(key.url())).convert("RGBA"))
        composed = compose(pictures.library, pictures.key(build, view, 160))
        assert _gap(picture.convert("RGB"), composed) < 3, view


def test_an_option_that_draws_nothing_has_a_clear_piece(client: TestClient) -> None:
    clear = _decoded(client.get(STACK + "stripes/stripes-none.webp"))
    assert clear.mode == "RGBA" and clear.size == (160, 90) and not np.asarray(clear)[..., 3].any()


def test_a_crowded_worker_still_answers_a_stack_picture_as_webp(pictures: CarPictures) -> None:
    crowded = _client(pictures, crowd_in_hand=0)
    response = crowded.get(STACK + "roof/roof-black.webp")
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert "crowd" not in response.headers["server-timing"]


def test_a_new_builds_whole_stack_is_handed_to_the_drawing_process_together(pictures: CarPictures, monkeypatch) -> None:
    """The drawing process draws one at a time, a visitor's first. Handed over one by one, each picture of a
    new build's stack waited behind what the warm-up sent meanwhile: 2.6 s a picture at start-up."""
    build = pictures.catalogue.build_from("hatch", {"colour": "custom", "roof": "roof-black"}, hex="#2A9D8F")
    urls = [key.url() for key in stack_keys(pictures.catalogue, build, "side", 160)]
    handed: list[PictureKey] = []
    together = asyncio.Event()

    async def draw_aside(key: PictureKey) -> bytes:
        handed.append(key)
        if len(handed) == len(urls):
            together.set()
        await asyncio.wait_for(together.wait(), 10)  # handed over one by one, the first never gets here
        return pictures.draw(key)

    monkeypatch.setattr(pictures, "draw_aside", draw_aside)
    app = Starlette(routes=picture_routes(lambda v: pictures, lambda: pictures, in_hand=lambda v: pictures))

    async def all_at_once() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            return [answer.status_code for answer in await asyncio.gather(*(client.get(url) for url in urls))]

    assert len(urls) >= 5
    assert asyncio.run(all_at_once()) == [200] * len(urls)


def test_the_catalogues_own_stack_pictures_are_not_counted_as_a_clients_misses(pictures: CarPictures) -> None:
    """They are a bounded set, each drawn once for everyone; only a customer's own paint makes a new base."""
    asked = []

    def refuse_every_miss(_request) -> float:
        asked.append(1)
        return 30.0

    limited = _client(pictures, admit_miss=refuse_every_miss)
    for path in ("wheels/wheels-turbine", "glass/glass", "body/C0392B", "roof/roof-black"):
        assert limited.get(STACK + path + ".webp").status_code == 200, path
    assert asked == []
    refused = limited.get(STACK + "body/2A9D8F.webp")  # a paint of the customer's own
    assert refused.status_code == 429 and asked == [1]


def test_a_picture_of_an_older_catalogue_is_sent_to_the_current_one(client: TestClient) -> None:
    response = client.get("/car/test-0/hatch/side/160/stack/wheels/wheels-spoke.webp")
    assert response.status_code == 302
    assert response.headers["location"] == STACK + "wheels/wheels-spoke.webp"


@pytest.mark.parametrize(
    "path, status, says",
    [
        (STACK + "body/c0392b.webp", 400, "Malformed paint or option"),
        (STACK + "body/chili-red.webp", 400, "Malformed paint or option"),
        (STACK + "body/C0392B.jpg", 400, "must end in .webp"),
        (STACK + "Wheels/wheels-spoke.webp", 400, "Malformed slot"),
        (STACK + "wheels/Wheels-Spoke.webp", 400, "Malformed paint or option"),
        (STACK + "engine/v8.webp", 404, "no 'engine' piece"),
        (STACK + "backdrop/backdrop.webp", 404, "no 'backdrop' piece"),
        (STACK + "wheels/roof-white.webp", 404, "No wheels piece called 'roof-white'"),
        (STACK + "wheels/wheels-nope.webp", 404, "no option called"),
        (STACK + "glass/clear.webp", 404, "ask for glass.webp"),
        ("/car/test-1/estate/side/160/stack/badge_bar/badgebar-rally.webp", 404, "No badge_bar piece"),
        ("/car/test-1/hatch/side/123/stack/body/C0392B.webp", 404, "widths"),
        ("/car/test-1/estate/front/160/stack/body/C0392B.webp", 404, "no 'front' view"),
        ("/car/test-1/hatch/side/160/stack/wheels/wheels-spoke.webp/", 400, "six parts"),
    ],
)
def test_a_bad_stack_url_gets_a_clear_refusal(client: TestClient, path: str, status: int, says: str) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert says in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_stack_keys_name_a_build_by_its_paint_and_options(catalogue: Catalogue) -> None:
    build = catalogue.build_from("hatch", {"colour": "custom", "wheels": "wheels-turbine"}, hex="#1a2b3c")
    keys = stack_keys(catalogue, build, "side", 80)
    assert keys[0] == StackKey("test-1", "hatch", "side", 80, "body", "1A2B3C")
    assert [k.slot for k in keys[1:]] == ["wheels", "roof", "badge", "glass"]  # nothing for the rest
    assert {k.slot: k.option for k in keys[1:]}["wheels"] == "wheels-turbine"
    assert keys[-1].url() == "/car/test-1/hatch/side/80/stack/glass/glass.webp" and keys[-1].option is None
    for key in keys:
        assert parse_picture_path(key.url(), catalogue) == key


def test_the_drawing_process_draws_a_stack_picture_as_this_process_would(catalogue: Catalogue, tmp_path: Path) -> None:
    here = CarPictures(catalogue, tmp_path / "here")
    drawer = DrawingProcess()
    try:
        there = CarPictures(catalogue, tmp_path / "there", drawer=drawer)
        for key in (
            StackKey("test-1", "hatch", "front", 80, "body", "E0B020"),
            StackKey("test-1", "hatch", "front", 80, "wheels", "wheels-spoke"),
        ):
            assert there.render(key, LIVE_METHOD) == here.render(key, LIVE_METHOD)
    finally:
        drawer.close()
