"""Where's My Baby? in a real browser: the private link, the look-up, and nothing about anyone else."""

import re
from datetime import UTC, datetime

import httpx
from playwright.sync_api import Page, expect

from app.catalog import load_catalogue
from app.orders.numbers import tracking_link

NOT_FOUND = "We couldn't find a car with those details."


def test_tracking_link_shows_the_car_its_stage_and_window(page: Page, app_url: str, console_errors: list[str]):
    page.goto(app_url + tracking_link("MJ4K7QX2"))  # McGregor, a demo order at sea
    expect(page.locator("#car-name")).to_have_text("McGregor")
    expect(page.locator("#current-stage")).to_have_text("At sea")
    car = page.get_by_role("img", name=re.compile("^Hatch in Racing Green"))
    expect(car).to_be_visible()
    expect(page.locator("#narrative")).to_contain_text("McGregor")
    expect(page.locator("#window")).to_contain_text("Expected")
    expect(page.get_by_role("img", name="Where your car is now: At sea")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("At sea")
    # The ordered car turns too: a demo order placed before the 3D pictures still has every angle.
    catalogue = load_catalogue()
    next_angle = catalogue.view(catalogue.model("hatch").views[1]).label
    page.get_by_role("button", name="Turn right").click()
    expect(car).to_have_attribute("alt", re.compile(f"seen from the {re.escape(next_angle)}$"))
    expect(page.locator("[data-spin-label]")).to_have_attribute("data-spin-label", next_angle)  # shown by CSS
    page.wait_for_function("document.querySelector('#tracked-car').complete")
    assert page.evaluate("document.querySelector('#tracked-car').naturalWidth") > 0
    assert console_errors == []


def test_a_forged_link_shows_nothing(page: Page, app_url: str):
    page.goto(f"{app_url}/track/MJ4K7QX2/not-the-real-token")
    expect(page.get_by_text("This tracking link doesn't work.")).to_be_visible()
    expect(page.get_by_text("McGregor")).to_have_count(0)


def test_look_up_by_number_and_last_name(page: Page, app_url: str):
    page.goto(f"{app_url}/track")
    page.get_by_label("Order number").fill("mj9twp3h")
    page.get_by_label("Last name or email").fill("okafor")
    page.get_by_role("button", name="Find my car").click()
    expect(page.locator("#car-name")).to_have_text("Biscuit")
    expect(page).to_have_url(re.compile(r"/track/MJ9TWP3H/"))


def test_wrong_pair_gets_the_same_answer_as_an_unknown_order(page: Page, app_url: str):
    page.goto(f"{app_url}/track")
    page.get_by_label("Order number").fill("MJ9TWP3H")
    page.get_by_label("Last name or email").fill("MacLeod")  # a real customer, but not this order's
    page.get_by_role("button", name="Find my car").click()
    expect(page.locator("#lookup-error")).to_contain_text(NOT_FOUND)
    wrong_pair = page.locator("#lookup-error").inner_text()
    page.get_by_label("Order number").fill("MJ2222AA")
    page.get_by_role("button", name="Find my car").click()
    expect(page.locator("#lookup-error")).to_have_text(wrong_pair)


def test_a_feed_event_moves_the_open_tracker_without_a_reload(page: Page, app_url: str):
    from reflex.config import get_config

    from app import db
    from app.tracking.feed import create_feed_source

    with db.session(reads_then_writes=True) as s:  # looks the name up, then adds it, beside the running app
        token = create_feed_source(s, "e2e shipping line")
    page.goto(app_url + tracking_link("MJ8CJP2W"))  # Rocket, awaiting transport
    expect(page.locator("#current-stage")).to_have_text("Awaiting transport")
    event = {
        "event_id": "e2e-rocket-at-sea",
        "order_number": "MJ8CJP2W",
        "stage": "at_sea",
        "occurred_at": datetime.now(UTC).isoformat(),
        "vessel": "MV Northern Lark",
        "vessel_position": "Bay of Biscay",
    }
    response = httpx.post(
        get_config().api_url.rstrip("/") + "/feed/events",
        json={"events": [event]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    # No reload and no timer in the page: the server pushes the news to the open tab.
    expect(page.locator("#current-stage")).to_have_text("At sea", timeout=15_000)
    expect(page.locator("#vessel-name")).to_contain_text("MV Northern Lark")
