"""Everyone can use it: axe-core scans every page and state, on a desktop and on a phone.

A state is a function that takes a fresh page to the thing to scan; the scan then allows no critical and
no serious violation (WCAG 2.2 A and AA rules, plus axe's best practices for the things the issue names).
"""

import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from reflex.config import get_config

from app.club.preferences import unsubscribe_url
from app.orders.numbers import tracking_link
from tests.e2e.test_dealer import sign_in as sign_in_form

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}
AXE = Axe()


def sign_in(page: Page, app_url: str, email: str) -> None:
    sign_in_form(page, app_url, email)
    expect(page).not_to_have_url(re.compile(r"/signin/?$"))  # signed in: taken on to the desk or studio


def open_build(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#car-picture")).to_be_visible()
    expect(page.locator("#total")).to_be_visible()  # the car comes with the HTML; the rest with the state


def save_build(page: Page, app_url: str, query: str) -> str:
    open_build(page, f"{app_url}/build{query}")
    page.get_by_role("button", name="Save this build").click()
    return page.locator("#build-code").inner_text()


def home(page: Page, app_url: str) -> None:
    page.goto(app_url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def build(page: Page, app_url: str) -> None:
    open_build(page, f"{app_url}/build?model=hatch&wheels=wheels-turbine")


def build_blocked(page: Page, app_url: str) -> None:
    open_build(page, f"{app_url}/build?model=hatch&colour=chili-red")
    expect(page.get_by_role("radio", name=re.compile("^Red offset stripe"))).to_be_disabled()


def build_saved(page: Page, app_url: str) -> None:
    code = save_build(page, app_url, "?model=convertible&colour=seafoam")
    open_build(page, f"{app_url}/build/{code}")


def compare(page: Page, app_url: str) -> None:
    codes = [save_build(page, app_url, q) for q in ("?model=hatch", "?model=convertible&colour=midnight-blue")]
    page.goto(f"{app_url}/compare?codes={','.join(codes)}")
    expect(page.get_by_role("link", name="Open this build")).to_have_count(2)


def track_lookup(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/track")
    page.get_by_label("Order number").fill("MJ0000000")
    page.get_by_label("Last name or email").fill("Nobody")
    page.get_by_role("button", name="Find my car").click()
    expect(page.get_by_role("alert")).not_to_be_empty()


def track_at_sea(page: Page, app_url: str) -> None:
    page.goto(app_url + tracking_link("MJ4K7QX2"))
    expect(page.locator("#narrative")).to_be_visible()


def track_awaiting_transport(page: Page, app_url: str) -> None:
    page.goto(app_url + tracking_link("MJ8CJP2W"))
    expect(page.locator("#narrative")).to_be_visible()


def signin(page: Page, app_url: str) -> None:
    # No failed attempt here: sign-in failures per client are limited, and other tests sign in too.
    page.goto(f"{app_url}/signin")
    expect(page.get_by_label("Password")).to_be_visible()


def dealer(page: Page, app_url: str) -> None:
    code = save_build(page, app_url, "?model=hatch&colour=racing-green")
    sign_in(page, app_url, "dealer@motorjoy.example")
    page.goto(f"{app_url}/dealer")
    page.get_by_label("Build code").fill(code)
    page.get_by_role("button", name="Open build").click()
    expect(page.get_by_role("button", name="Place the order")).to_be_visible()


def dealer_order(page: Page, app_url: str) -> None:
    sign_in(page, app_url, "dealer@motorjoy.example")
    page.goto(f"{app_url}/dealer/order/MJ4K7QX2")
    expect(page.locator("#order-title")).to_be_visible()


def studio_tab(tab: str) -> Callable[[Page, str], None]:
    def open_tab(page: Page, app_url: str) -> None:
        sign_in(page, app_url, "marketing@motorjoy.example")
        expect(page).to_have_url(re.compile("/studio$"))
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        page.wait_for_timeout(500)  # the tab's content settles (the mail tab loads on open)

    return open_tab


def studio_nudge_bad_range(page: Page, app_url: str) -> None:
    studio_tab("Nudge report")(page, app_url)
    page.get_by_label("Period").select_option("range")
    page.get_by_label("From", exact=True).fill("2026-11-20")
    page.get_by_label("To", exact=True).fill("2026-11-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("swap them")


def nudge(page: Page, app_url: str) -> None:
    seed = json.dumps({"activeMs": 0, "nextAtMs": 1000, "ended": False})
    page.add_init_script(f"sessionStorage.setItem('motorjoy.nudge.visit', '{seed}')")
    page.goto(app_url + "/")
    for _ in range(8):
        page.keyboard.press("Shift")
        page.wait_for_timeout(400)
    expect(page.get_by_role("dialog")).to_be_visible()


def unsubscribe(page: Page, app_url: str) -> None:
    path = urlsplit(unsubscribe_url("fiona@example.com", "birthday")).path
    page.goto(get_config().api_url.rstrip("/") + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def not_found(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


STATES: dict[str, Callable[[Page, str], None]] = {
    "home": home,
    "build": build,
    "build-blocked": build_blocked,
    "build-saved": build_saved,
    "compare": compare,
    "track-lookup": track_lookup,
    "track-at-sea": track_at_sea,
    "track-awaiting-transport": track_awaiting_transport,
    "signin": signin,
    "dealer": dealer,
    "dealer-order": dealer_order,
    **{
        f"studio-{tab.split()[0].lower()}": studio_tab(tab)
        for tab in ("Copy & catalogue", "Imagery", "Releases", "Club mail", "Nudge report", "Audit log")
    },
    "studio-nudge-bad-range": studio_nudge_bad_range,
    "nudge": nudge,
    "unsubscribe": unsubscribe,
    "404": not_found,
}


def failures(page: Page) -> list[str]:
    """Every critical or serious violation on the page, one readable line per failing element."""
    results = AXE.run(page, options=RULES).response
    return [
        f"{v['impact']} {v['id']}: {node['target']} {node.get('failureSummary', '').splitlines()[-1:]}"
        for v in results["violations"]
        if v["impact"] in ("critical", "serious")
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("state", STATES)
def test_no_serious_accessibility_failures(browser: Browser, app_url: str, state: str, viewport: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        STATES[state](page, app_url)
        page.wait_for_load_state("networkidle")
        assert failures(page) == []
    finally:
        context.close()
