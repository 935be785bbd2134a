"""Where's My Baby? in a real browser: the private link, the look-up, and nothing about anyone else."""

import re

from playwright.sync_api import Page, expect

from app.orders.numbers import tracking_link

NOT_FOUND = "We couldn't find a car with those details."


def test_tracking_link_shows_the_car_its_stage_and_window(page: Page, app_url: str, console_errors: list[str]):
    page.goto(app_url + tracking_link("MJ4K7QX2"))  # McGregor, a demo order at sea
    expect(page.locator("#car-name")).to_have_text("McGregor")
    expect(page.locator("#current-stage")).to_have_text("At sea")
    expect(page.get_by_role("img", name=re.compile("^Hatch in Racing Green"))).to_be_visible()
    expect(page.locator("#narrative")).to_contain_text("McGregor")
    expect(page.locator("#window")).to_contain_text("Expected")
    expect(page.get_by_role("img", name="Where your car is now: At sea")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_contain_text("At sea")
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
