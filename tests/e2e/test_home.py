"""The home page: it loads cleanly and every section is reachable by mouse and by keyboard."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from app import db
from app.orders.fleet import cars_on_their_way

SECTIONS = [
    ("Build your own", "/build", "Build your own"),
    ("Where's My Baby?", "/track", "Where's My Baby?"),
]


def test_home_loads_without_console_errors(page: Page, app_url: str, console_errors: list[str]):
    page.goto(app_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Build it. Name it. Watch it come home.")
    # The live count comes from the database over the websocket (other tests may have placed orders).
    with db.session() as s:
        on_the_way = cars_on_their_way(s)
    assert on_the_way >= 7  # the demo has one car delivered among eight
    expect(page.locator("#fleet-line")).to_have_text(f"{on_the_way} cars are on their way home right now.")
    assert console_errors == []


@pytest.mark.parametrize(("label", "path", "heading"), SECTIONS)
def test_section_reachable_by_mouse(page: Page, app_url: str, label: str, path: str, heading: str):
    page.goto(app_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name=label, exact=True).first).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize(("label", "path", "heading"), SECTIONS)
def test_section_reachable_by_keyboard(page: Page, app_url: str, label: str, path: str, heading: str):
    page.goto(app_url + "/")
    expect(page.locator("#fleet-line")).to_be_visible()
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.textContent.trim()")
        if focused == label:
            break
    else:
        pytest.fail(f"Tab never reached the {label!r} link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_staff_doors_are_not_shown_to_the_public(page: Page, app_url: str):
    page.goto(app_url + "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_count(len(SECTIONS))
    # Neither in the navigation nor anywhere else on the page: staff find their doors once signed in.
    expect(page.locator("a[href^='/studio'], a[href^='/dealer']")).to_have_count(0)


@pytest.mark.parametrize("path", ["/", "/compare?codes=NOTACODE"])
def test_skip_link_moves_focus_to_the_content_and_keeps_the_address(page: Page, app_url: str, path: str):
    page.goto(app_url + path)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The address stays as it was (the router used to take "#main" as a new page and /compare lost its builds).
    assert "#" not in page.url and urlsplit(page.url).query == urlsplit(app_url + path).query
    page.keyboard.press("Tab")  # the next stop is inside the content, past the header
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
