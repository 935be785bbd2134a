"""What was promised stays promised: marketing retires a colour, and nothing a customer has changes behind their back.

The tracker, the dealer's order page and the birthday card still show the car in its colour; a build saved
in that colour explains, line by line, what it is now and why.
"""

import io
import json
import re
from datetime import UTC, datetime, time

from PIL import Image, ImageChops
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from app import db
from app.club.birthdays import anniversary, local_date, queue_birthday_cards, stage_dates
from app.club.car_picture import mail_picture
from app.club.outbox import OutboxMail
from app.orders.models import Order
from app.orders.numbers import tracking_link
from app.render import car_pictures
from tests.e2e.test_dealer import sign_in
from tests.e2e.test_studio import open_item

SLOW = 30_000  # ms: a first page on a busy machine waits for its scripts, socket and state
PICKLE = "MJ2RNC8V"  # a Glasgow demo order in Seafoam, already home


def shows_the_car(page: Page, alt: str) -> None:
    """The car picture named `alt` is on screen and really drawn (the picture route answered with an image)."""
    car = page.get_by_role("img", name=re.compile(alt)).first
    expect(car).to_be_visible(timeout=SLOW)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=car.element_handle(), timeout=SLOW)


def save_the_build(page: Page, app_url: str, query: str) -> str:
    page.goto(f"{app_url}/build?{query}")
    expect(page.locator("#car-picture")).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Save this build").click()
    expect(page.locator("#build-code")).to_have_text(re.compile(r"^[A-Z0-9]{8}$"), timeout=SLOW)
    return page.locator("#build-code").inner_text()


def the_range_has_moved_on(page: Page, app_url: str) -> None:
    """Servers re-read what is published every couple of seconds: wait until /build no longer offers Seafoam."""
    for _ in range(10):
        page.goto(f"{app_url}/build?model=hatch&colour=seafoam")
        expect(page.locator("#car-picture")).to_be_visible(timeout=SLOW)
        if page.locator("#build-changes").count():
            break
        page.wait_for_timeout(1000)
    expect(page.locator("#build-changes")).to_contain_text("Since this link was made")
    expect(page.locator("#build-changes")).to_contain_text("Seafoam has left the range, so your car is now Chili Red.")
    expect(page.get_by_role("radio", name=re.compile("^Seafoam"))).to_have_count(0)


def birthday_card_picture(number: str) -> tuple[bytes | None, bytes | None]:
    """The card the order's first birthday would bring (queued, looked at, never committed), and the car as ordered."""
    # Reads, then queues: on SQLite that needs the write lock first, as the running app writes meanwhile.
    with db.session(reads_then_writes=True) as s:
        order = s.exec(select(Order).where(Order.number == number)).one()
        delivered = local_date(stage_dates(s, order)["delivered"].reached_at, order.time_zone)
        birthday = datetime.combine(anniversary(delivered, delivered.year + 1), time(12), UTC)
        assert number in queue_birthday_cards(s, birthday)
        card = s.exec(select(OutboxMail).where(col(OutboxMail.dedupe_key).startswith(f"birthday:{number}:"))).one()
        spec, picture = json.loads(order.spec), card.picture
        s.rollback()
    return picture, mail_picture(car_pictures(), spec)  # the shipped catalogue still offers Seafoam


def retire(page: Page, retired: bool) -> None:
    """Marketing ticks (or unticks) Seafoam's "Retired" box in the studio and publishes it."""
    open_item(page, "Colour: Seafoam")
    page.get_by_label("Retired (no longer offered)").set_checked(retired)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#notice")).to_have_text("Draft saved.", timeout=SLOW)
    page.get_by_role("button", name="Publish now").click()  # the whole catalogue is checked first: slow
    expect(page.locator("#notice")).to_contain_text("Published", timeout=SLOW)


def test_retiring_a_colour_keeps_every_order_picture_and_explains_the_saved_build(page: Page, app_url: str, browser):
    code = save_the_build(page, app_url, "model=hatch&colour=seafoam&wheels=wheels-minilite")

    sign_in(page, app_url, "marketing@motorjoy.example")
    expect(page.get_by_label("Find an item")).to_be_visible(timeout=SLOW)
    retire(page, True)
    try:
        the_range_has_moved_on(page, app_url)

        # The buyer's tracker still shows Pickle in Seafoam.
        buyer = browser.new_page()
        buyer.goto(app_url + tracking_link(PICKLE))
        expect(buyer.locator("#car-name")).to_have_text("Pickle", timeout=SLOW)
        shows_the_car(buyer, "^Hatch in Seafoam")

        # So does the dealer's order page, with the spec as ordered.
        dealer = browser.new_page()
        sign_in(dealer, app_url, "dealer@motorjoy.example")
        expect(dealer).to_have_url(re.compile("/dealer$"), timeout=SLOW)
        dealer.goto(f"{app_url}/dealer/order/{PICKLE}")
        expect(dealer.locator("#order-title")).to_contain_text("Pickle", timeout=SLOW)
        shows_the_car(dealer, "^Hatch in Seafoam")
        expect(dealer.get_by_text("No picture")).to_have_count(0)

        # The birthday card is drawn in Seafoam, pixel for pixel as before the colour left.
        card, as_ordered = birthday_card_picture(PICKLE)
        assert card is not None and as_ordered is not None
        assert ImageChops.difference(Image.open(io.BytesIO(card)), Image.open(io.BytesIO(as_ordered))).getbbox() is None

        # The build saved in Seafoam says what it is now, and why, with both prices.
        page.goto(f"{app_url}/build/{code}")
        changes = page.locator("#build-changes")
        expect(changes).to_contain_text("Since you saved this build", timeout=SLOW)
        line = changes.locator("li").first
        expect(line).to_contain_text("Seafoam has left the range, so your car is now Chili Red.")
        expect(line).to_contain_text("£350 → £0")
        expect(changes).to_contain_text("Your total")
        expect(page.get_by_role("radio", name=re.compile("^Chili Red"))).to_be_checked()
    finally:  # later tests choose Seafoam
        page.goto(f"{app_url}/studio")
        retire(page, False)
        page.wait_for_timeout(3000)  # servers re-read the catalogue within this: later tests find Seafoam offered
