"""The dealer desk in a real browser: sign in, order from the customer's build, and nobody else gets in."""

import re

from playwright.sync_api import Page, expect

from app.staff.demo import DEMO_PASSWORD


def sign_in(page: Page, app_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{app_url}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_signed_out_visitor_is_not_let_in(page: Page, app_url: str):
    page.goto(f"{app_url}/dealer")
    expect(page.locator("#not-allowed")).to_contain_text("not allowed")
    expect(page.get_by_role("table")).to_have_count(0)
    page.goto(f"{app_url}/dealer/order/MJ4K7QX2")
    expect(page.locator("#not-allowed")).to_contain_text("not allowed")
    expect(page.get_by_text("Fiona MacLeod")).to_have_count(0)


def test_wrong_password_gets_the_generic_answer(page: Page, app_url: str):
    sign_in(page, app_url, "dealer@motorjoy.example", "not-the-password")
    expect(page.locator("#signin-error")).to_have_text("That email and password don't match.")
    sign_in(page, app_url, "nobody@motorjoy.example", "not-the-password")
    expect(page.locator("#signin-error")).to_have_text("That email and password don't match.")


def test_marketing_cannot_use_the_dealer_desk(page: Page, app_url: str):
    sign_in(page, app_url, "marketing@motorjoy.example")
    expect(page).to_have_url(re.compile("/studio$"))
    staff_doors = page.get_by_role("navigation", name="Staff")
    expect(staff_doors.get_by_role("link", name="Studio")).to_be_visible()
    expect(staff_doors.get_by_role("link", name="Dealer desk")).to_have_count(0)  # not a door marketing has
    page.goto(f"{app_url}/dealer")
    expect(page.locator("#not-allowed")).to_contain_text("not allowed")


def test_dealer_orders_from_the_customers_build(page: Page, app_url: str):
    # The customer saves their build...
    page.goto(f"{app_url}/build?model=hatch&colour=racing-green")
    expect(page.locator("#total")).to_be_visible()
    page.get_by_label("Nickname").fill("Haggis")
    page.get_by_label("Nickname").blur()
    page.get_by_role("button", name="Save this build").click()
    code = page.locator("#build-code").inner_text()
    total = page.locator("#total").inner_text()

    # ...and the dealer orders exactly that.
    sign_in(page, app_url, "dealer@motorjoy.example")
    expect(page).to_have_url(re.compile("/dealer$"))
    expect(page.get_by_role("link", name="MJ4K7QX2")).to_be_visible()  # a Glasgow demo order
    staff_doors = page.get_by_role("navigation", name="Staff")
    expect(staff_doors.get_by_role("link", name="Dealer desk")).to_be_visible()
    expect(staff_doors.get_by_role("link", name="Studio")).to_have_count(0)  # not a door a dealer has
    expect(page.get_by_role("link", name="MJ9TWP3H")).to_have_count(0)  # Bristol's, not this dealer's
    page.get_by_label("Build code").fill(code.lower())
    page.get_by_role("button", name="Open build").click()
    expect(page.get_by_role("img", name=re.compile("^Hatch in Racing Green"))).to_be_visible()
    page.get_by_label("Customer's name").fill("Ewan Ross")
    page.get_by_label("Customer's email").fill("ewan@example")  # the browser lets this through; the server does not
    page.get_by_role("button", name="Place the order").click()
    expect(page.locator("#order-error")).to_contain_text("email")
    page.get_by_label("Customer's email").fill("ewan@example.com")
    page.get_by_role("button", name="Place the order").click()

    expect(page).to_have_url(re.compile(r"/dealer/order/MJ[0-9A-Z]{6}$"))
    expect(page.locator("#order-title")).to_contain_text("Haggis")
    expect(page.get_by_text(total).first).to_be_visible()
    expect(page.get_by_text(re.compile("is on the way"))).to_be_visible()  # the confirmation, queued
    # The dealer reads what the buyer's tracker says, and the frozen spec's version and fingerprint.
    facts = page.locator("#buyer-facts")
    for label in ("Status", "Delivery window", "Price list", "Fingerprint"):
        expect(facts.get_by_text(label, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Open the buyer's tracker")).to_have_attribute(
        "href", re.compile(r"/track/MJ[0-9A-Z]{6}/.+")
    )
    page.get_by_label("New note").fill("Customer would love a call when it lands.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Customer would love a call when it lands.")).to_be_visible()
    number = page.url.rsplit("/", 1)[-1]
    page.get_by_role("link", name="← Dealer desk").click()
    expect(page.get_by_role("link", name=number)).to_be_visible()
