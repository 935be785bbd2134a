"""Club mail through the real app: the one-click unsubscribe link from a mail works, and asks before it acts."""

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from reflex.config import get_config

from app import db
from app.club.preferences import unsubscribe_url, wants


def backend(path: str) -> str:
    # The link is served by the app's server (one port in production; the harness runs two).
    return get_config().api_url.rstrip("/") + path


def test_the_unsubscribe_link_asks_then_unsubscribes_and_can_be_undone(page: Page, app_url: str):
    page.goto(backend(urlsplit(unsubscribe_url("fiona@example.com", "birthday")).path))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop this kind of mail?")
    with db.session() as s:
        assert wants(s, "birthday_card", "fiona@example.com")  # opening the link changed nothing
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You're off the list")
    with db.session() as s:
        assert not wants(s, "birthday_card", "fiona@example.com")
    page.get_by_role("button", name="Send them again after all").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back")


def test_a_forged_unsubscribe_link_is_refused(page: Page, app_url: str):
    response = page.goto(backend("/club/unsubscribe/not-a-real-token"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Link not recognised")
