"""Share cards as a link-preview bot sees them: tags in plain HTML, an immutable card image, nothing private."""

import io
import json

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import db
from app.catalog import load_catalogue
from app.configurator.builds import save_build
from app.content.journey import journey
from app.orders.models import Order
from app.orders.numbers import tracking_token
from app.orders.placement import frozen, spec_of
from app.render import open_pictures
from app.sharing.links import milestone_link
from app.sharing.routes import sharing_routes

APP_PAGE = (
    '<!DOCTYPE html><html><head><meta charSet="utf-8"/><title>App</title></head>'
    '<body><div id="root"></div></body></html>'
)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    return open_pictures(cache_dir=tmp_path_factory.mktemp("render-cache"))


@pytest.fixture
def world(db_url, tmp_path, monkeypatch, pictures):
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOTORJOY_PUBLIC_URL", "https://motorjoy.example")
    catalogue = pictures.catalogue
    with db.session(db_url) as s:
        code = save_build(s, catalogue, catalogue.build_from(catalogue.models[0].id), "Rock & Roll")
        spec, digest = frozen(spec_of(catalogue, catalogue.build_from(catalogue.models[0].id)))
        order = Order(
            number="MJSECRET",
            nickname="McGregor",
            customer_name="Fiona MacLeod",
            customer_email="fiona@example.com",
            model_id=catalogue.models[0].id,
            spec=spec,
            spec_hash=digest,
        )
        s.add(order)
        s.flush()
        token = milestone_link(s, order, "at_sea").token
        assert milestone_link(s, order, "at_sea").token == token  # the same milestone, the same link
        assert milestone_link(s, order, "built").token != token
    app = Starlette(routes=sharing_routes(lambda: pictures, journey, lambda: APP_PAGE))
    return TestClient(app), code, token


def tags(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"/>', html))


def test_a_saved_build_page_carries_its_card_tags_in_the_app_html(world):
    client, code, _token = world
    response = client.get(f"/build/{code}")
    assert response.status_code == 200 and '<div id="root">' in response.text  # still the app for browsers
    found = tags(response.text)
    catalogue = load_catalogue()
    assert found["og:title"] == f"Rock &amp; Roll, a Motorjoy {catalogue.models[0].name}"  # escaped
    assert found["og:url"] == f"https://motorjoy.example/build/{code}"
    assert found["twitter:card"] == "summary_large_image"
    assert found["og:image"].startswith("https://motorjoy.example/share-card/") and found["og:image:width"] == "1200"
    assert found["og:image"] == found["twitter:image"]


def test_an_unknown_code_gets_the_app_without_card_tags(world):
    client, _code, _token = world
    for code in ("ZZZZZZZZ", "not-a-code", "%3Cscript%3E"):
        response = client.get(f"/build/{code}")
        assert response.status_code == 200 and "og:image" not in response.text and "<script>" not in response.text


def test_the_card_image_is_1200_by_630_immutable_with_an_etag(world):
    client, code, _token = world
    path = tags(client.get(f"/build/{code}").text)["og:image"].removeprefix("https://motorjoy.example")
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert "immutable" in response.headers["cache-control"]
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    again = client.get(path, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    stale = client.get(
        path.replace("/share-card/", "/share-card/0").replace("/build/", "/build/", 1), follow_redirects=False
    )
    assert stale.status_code == 302 and stale.headers["location"] == path
    assert client.get(path.removesuffix(".jpg") + ".png").status_code == 404
    assert client.get(path.replace(code, "ZZZZZZZZ")).status_code == 404


def test_a_milestone_link_reveals_only_nickname_picture_and_stage(world):
    client, _code, token = world
    response = client.get(f"/share/{token}")
    assert response.status_code == 200
    found = tags(response.text)
    assert found["og:description"] == "McGregor is crossing the ocean"
    assert "McGregor" in found["og:title"]
    card = client.get(found["og:image"].removeprefix("https://motorjoy.example"))
    assert card.status_code == 200 and Image.open(io.BytesIO(card.content)).size == (1200, 630)
    for private in ("MJSECRET", "Fiona", "MacLeod", "fiona@example.com", tracking_token("MJSECRET"), "/track/"):
        assert private not in response.text and private not in json.dumps(dict(response.headers))


def test_a_made_up_share_link_is_a_plain_404(world):
    client, _code, token = world
    assert client.get("/share/" + "A" * 22).status_code == 404
    assert client.get("/share/short").status_code == 404
    assert client.get(f"/share-card/abc/milestone/{'A' * 22}.jpg").status_code == 404
    assert client.get(f"/share-card/abc/elsewhere/{token}.jpg").status_code == 404
