"""Ask about my car in a real browser: tracker → dealer desk → answer on the tracker and in the mail."""

import email
import email.policy
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import select

from app import db, settings
from app.club.commands import send_due
from app.club.delivery import MailSettings
from app.club.outbox import OutboxMail
from app.orders.numbers import tracking_link
from tests.e2e.test_dealer import sign_in

NUMBER = "MJ2RNC8V"  # Pickle, a Glasgow demo order


def test_a_question_from_the_tracker_is_answered_on_the_desk_and_seen_on_the_tracker_and_in_mail(
    page: Page, app_url: str, console_errors: list[str]
):
    page.goto(app_url + tracking_link(NUMBER))
    expect(page.locator("#car-name")).to_have_text("Pickle")
    box = page.get_by_label("Your question")
    box.fill("   ")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#question-error")).to_contain_text("empty")
    box.fill("Can Pickle come home on a Saturday?")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#question-sent")).to_contain_text("Sent!")
    expect(page.locator(".thread-message")).to_contain_text(["Can Pickle come home on a Saturday?"])
    expect(box).to_have_value("")

    buyer, page = page, page.context.new_page()  # the buyer's tracker stays open in its own tab
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    sign_in(page, app_url, "dealer@motorjoy.example")
    expect(page).to_have_url(re.compile("/dealer$"))
    row = page.locator("#desk-questions tr", has_text=NUMBER)
    expect(row).to_contain_text("waiting")
    expect(row).to_contain_text("Can Pickle come home on a Saturday?")
    row.get_by_role("link", name=NUMBER).click()
    expect(page.locator("#order-title")).to_contain_text("Pickle")
    expect(page.locator("#order-pace")).to_be_visible()  # the stage and pace beside the question
    page.get_by_label("Your answer").fill("Saturdays are perfect: we're open till four.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("#order-questions .thread-message")).to_have_count(2)
    expect(page.get_by_label("Your answer")).to_have_count(0)  # nothing is waiting now
    expect(page.get_by_text("Pickle: an answer from")).to_be_visible()  # the mail, in the order's story

    # Pushed to the open tracker, with no reload and no timer in the page.
    expect(buyer.locator("#ask-card")).to_contain_text("Saturdays are perfect: we're open till four.")
    page.goto(app_url + tracking_link(NUMBER))
    expect(page.locator("#ask-card")).to_contain_text("Saturdays are perfect: we're open till four.")
    expect(page.locator("#ask-card")).to_contain_text("at Motorjoy Glasgow")
    assert console_errors == []

    with db.session() as s:
        mail = s.exec(select(OutboxMail).where(OutboxMail.kind == "question_answer")).one()
        assert mail.recipient == "ana@example.com" and "open till four" in mail.body_text
    send_due(config=MailSettings(host="", daily_cap=4))  # no SMTP host: written as an .eml file
    assert any("open till four" in text for text in mails_to("ana@example.com"))


def mails_to(address: str) -> list[str]:
    """The plain-text bodies of the .eml files written for `address`."""
    bodies = []
    for path in Path(settings.data_dir(), "outbox-mail").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            bodies.append(message.get_body(("plain",)).get_content())
    return bodies
