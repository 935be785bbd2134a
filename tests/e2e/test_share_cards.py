"""Share cards fetched as a link-preview service would: plain HTTP, no browser session, no JavaScript."""

import io
import re
from urllib.parse import urlsplit

import httpx
from PIL import Image
from playwright.sync_api import Page, expect
from reflex.config import get_config

from app.orders.numbers import tracking_link, tracking_token

BOT = {"User-Agent": "Mozilla/5.0 (compatible; LinkPreviewBot/1.0)"}
PRIVATE = ("MJ4K7QX2", "Fiona", "MacLeod", "fiona@example.com", tracking_token("MJ4K7QX2"), "/track/")


def backend(path: str) -> str:
    return get_config().api_url.rstrip("/") + path


def card_tags(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"/>', html))


def fetch_card(image_url: str) -> httpx.Response:
    response = httpx.get(backend(urlsplit(image_url).path), headers=BOT)
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert "immutable" in response.headers["cache-control"]
    again = httpx.get(backend(urlsplit(image_url).path), headers={**BOT, "If-None-Match": response.headers["etag"]})
    assert again.status_code == 304
    return response


def test_a_saved_builds_link_unfurls_without_javascript(page: Page, app_url: str):
    page.goto(f"{app_url}/build?model=convertible&colour=sherbet-yellow")
    page.get_by_label("Nickname").fill("Custard")
    page.get_by_label("Nickname").blur()
    page.get_by_role("button", name="Save this build").click()
    code = page.locator("#build-code").inner_text()

    response = httpx.get(backend(f"/build/{code}"), headers=BOT)  # no cookies, no session, no scripts run
    assert response.status_code == 200
    tags = card_tags(response.text)
    assert tags["og:title"] == "Custard, a Motorjoy Convertible"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:url"].endswith(f"/build/{code}")
    fetch_card(tags["og:image"])


def test_a_milestone_share_link_shows_only_nickname_picture_and_stage(page: Page, app_url: str):
    page.goto(app_url + tracking_link("MJ4K7QX2"))
    expect(page.locator("#car-name")).to_have_text("McGregor")
    page.get_by_role("button", name="Share this milestone").click()
    share_path = page.locator("#share-link").get_attribute("href")
    assert re.fullmatch(r"/share/[A-Za-z0-9_-]{22}", share_path)

    response = httpx.get(backend(share_path), headers=BOT)
    assert response.status_code == 200
    tags = card_tags(response.text)
    assert tags["og:description"] == "McGregor is crossing the ocean"
    for private in PRIVATE:
        assert private not in response.text
    card = fetch_card(tags["og:image"])
    assert all(private.encode() not in card.content for private in PRIVATE)
