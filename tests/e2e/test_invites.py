"""An invite link through to both thank-you mails: tracker → friend's build → dealer's order → delivery."""

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlmodel import select

from app import db
from app.club.commands import queue_due
from app.club.outbox import OutboxMail
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from tests.e2e.test_dealer import sign_in

INVITER = "MJ3VKX9B"  # Bramble, Tom Hughes's convertible (a Glasgow demo order)


def thank_yous() -> list[str]:
    with db.session() as s:
        mails = s.exec(select(OutboxMail).where(OutboxMail.recipient == "tom@example.com")).all()
        return sorted(m.kind for m in mails if m.kind.startswith("referral_"))


def test_an_invite_link_through_to_both_thank_you_mails(page: Page, app_url: str, console_errors: list[str]):
    page.goto(app_url + tracking_link(INVITER))
    invite = page.locator("#invite-link").get_attribute("href")
    assert re.fullmatch(r"/build\?invite=[A-Za-z0-9_-]{22}", invite)

    # The friend opens it, sees Tom's note, and saves a build.
    page.goto(app_url + invite)
    expect(page.locator("#invite-note")).to_contain_text("Tom's car is called Bramble. Build yours.")
    expect(page.locator("#delivery-estimate")).to_contain_text("Order today, expect it ")
    page.get_by_role("button", name="Save this build").click()
    code = page.locator("#build-code").inner_text()

    # The dealer sees who invited, and places the order with the invite kept.
    sign_in(page, app_url, "dealer@motorjoy.example")
    expect(page).to_have_url(re.compile("/dealer$"))
    page.get_by_label("Build code").fill(code)
    page.get_by_role("button", name="Open build").click()
    expect(page.locator("#invited-by")).to_contain_text("Tom (Bramble's owner)")
    expect(page.locator("#order-delivery-estimate")).to_contain_text("Order today, expect it ")
    page.get_by_label("Customer's name").fill("Jo Baird")
    page.get_by_label("Customer's email").fill("jo@example.com")
    page.get_by_role("button", name="Place the order").click()
    expect(page).to_have_url(re.compile(r"/dealer/order/MJ[0-9A-Z]{6}$"))
    friend_number = page.url.rsplit("/", 1)[-1]
    assert thank_yous() == ["referral_ordered"]

    # The friend's car comes home: the mail round thanks Tom again, once.
    with db.session() as s:
        friend_id = s.exec(select(Order.id).where(Order.number == friend_number)).one()
    # A write-only transaction: on SQLite, a read then a write would fail if the running app wrote in between.
    with db.session() as s:
        s.add(StageEvent(order_id=friend_id, stage="delivered", source="test"))
    queue_due(None, datetime.now(UTC))
    queue_due(None, datetime.now(UTC))
    assert thank_yous() == ["referral_delivered", "referral_ordered"]

    page.goto(app_url + tracking_link(INVITER))
    expect(page.locator("#friends-driving")).to_have_text("1 friend is driving because of you")
    expect(page.locator("#invited-friends")).to_contain_text("Jo")
    expect(page.locator("#invited-friends")).not_to_contain_text("Baird")
    assert console_errors == []
