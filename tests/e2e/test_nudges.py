"""Save your retinas for the road: nudges count real active time and never interrupt a choice half made."""

import json
import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from app.nudges.settings import LINES
from tests.e2e.test_dealer import sign_in

THRESHOLD_MS = 3000
TITLE = "Save your retinas for the road"


@pytest.fixture
def visit(browser: Browser):
    """A fresh browser whose visit is due a nudge after 3 s of active time (the visit's own threshold)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    seed = json.dumps({"activeMs": 0, "nextAtMs": THRESHOLD_MS, "ended": False})
    context.add_init_script(
        f"if (!sessionStorage.getItem('motorjoy.nudge.visit')) sessionStorage.setItem('motorjoy.nudge.visit', '{seed}')"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def be_active(page: Page, seconds: float) -> None:
    """Someone at the keyboard: a key press every half second."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page.keyboard.press("Shift")
        page.wait_for_timeout(500)


def nudge(page: Page):
    return page.get_by_role("dialog", name=TITLE)


def test_active_visitor_gets_one_nudge_and_back_to_the_road_ends_them(visit: Page, app_url: str):
    visit.goto(app_url + "/")
    be_active(visit, 5)
    expect(nudge(visit)).to_be_visible()
    assert nudge(visit).locator("p").inner_text() in LINES
    expect(nudge(visit).get_by_role("button", name="Back to the road")).to_be_focused()
    nudge(visit).get_by_role("button", name="Back to the road").click()
    expect(nudge(visit)).to_have_count(0)
    be_active(visit, 5)
    expect(nudge(visit)).to_have_count(0)


def test_snooze_brings_it_back_only_after_the_snooze(visit: Page, app_url: str):
    visit.goto(app_url + "/")
    be_active(visit, 5)
    # The e2e snooze is 3 seconds, which the button rounds to a minute.
    nudge(visit).get_by_role("button", name="One more minute").click()
    expect(nudge(visit)).to_have_count(0)
    be_active(visit, 1.5)
    expect(nudge(visit)).to_have_count(0)
    be_active(visit, 4)
    expect(nudge(visit)).to_be_visible()
    visit.keyboard.press("Escape")  # Escape closes it, and that's the end for this visit
    expect(nudge(visit)).to_have_count(0)


def test_an_idle_page_or_a_hidden_tab_gets_no_nudge(visit: Page, app_url: str):
    visit.goto(app_url + "/")
    visit.wait_for_timeout(5000)  # open but untouched
    expect(nudge(visit)).to_have_count(0)
    visit.evaluate("Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true})")
    be_active(visit, 5)  # keys reach a tab nobody can see: still not counted
    expect(nudge(visit)).to_have_count(0)


def test_an_open_colour_picker_holds_the_nudge(visit: Page, app_url: str):
    visit.goto(app_url + "/build?model=hatch")
    picker = visit.get_by_label("Pick any colour")
    picker.focus()
    end = time.monotonic() + 5
    while time.monotonic() < end:  # busy choosing: the pointer keeps moving
        visit.mouse.move(10, 10)
        visit.mouse.move(20, 20)
        visit.dispatch_event("body", "pointerdown")
        visit.wait_for_timeout(400)
    expect(nudge(visit)).to_have_count(0)
    visit.get_by_role("heading", name="Build your own").click()  # done choosing
    be_active(visit, 2)
    expect(nudge(visit)).to_be_visible()


def test_the_build_is_kept_for_the_next_visit(visit: Page, app_url: str):
    visit.goto(app_url + "/build?model=convertible&colour=seafoam")
    expect(visit.locator("#car-picture")).to_have_attribute("alt", re.compile("^Convertible in Seafoam"))
    visit.locator("h1").click()
    be_active(visit, 5)
    nudge(visit).get_by_role("button", name="Back to the road").click()
    # The tab is closed; later, in the same browser, they come back to Build your own.
    later = visit.context.new_page()
    later.goto(app_url + "/build")
    expect(later.locator("#car-picture")).to_have_attribute("alt", re.compile("^Convertible in Seafoam"))
    expect(later.get_by_text("Welcome back! Here's the build you were working on.")).to_be_visible()


def report_row(page: Page, line: str) -> list[str]:
    """The numbers of `line` in the studio's nudge report table: shown, back to the road, … no answer, share."""
    row = page.locator("#nudge-numbers tbody tr").filter(has_text=line)
    expect(row).to_have_count(1)
    return row.locator("td").all_inner_texts()


def open_nudge_report(page: Page, app_url: str) -> None:
    sign_in(page, app_url, "marketing@motorjoy.example")
    expect(page).to_have_url(re.compile("/studio$"))
    page.get_by_role("tab", name="Nudge report").click()
    page.get_by_label("Period").select_option("7")
    expect(page.locator("#nudge-numbers")).to_be_visible()


def test_an_answered_nudge_shows_in_the_studio_report(visit: Page, app_url: str, browser: Browser):
    visit.goto(app_url + "/")
    be_active(visit, 5)
    line = nudge(visit).locator("p").inner_text()
    studio = browser.new_page(viewport={"width": 1280, "height": 800})
    open_nudge_report(studio, app_url)
    before = report_row(studio, line)
    nudge(visit).get_by_role("button", name="Don't nudge me on this device").click()
    expect(nudge(visit)).to_have_count(0)
    # Shown (when it opened, before the report was read) is counted already; the answer arrives now.
    for _ in range(10):
        studio.get_by_label("Period").select_option("30")
        studio.get_by_label("Period").select_option("7")
        studio.wait_for_timeout(300)
        if report_row(studio, line)[3] != before[3]:
            break
    after = report_row(studio, line)
    assert int(after[3]) == int(before[3]) + 1  # "Don't nudge me on this device"
    assert after[0] == before[0] and int(after[4]) == int(before[4]) - 1  # shown as before, one fewer unanswered
    studio.close()
