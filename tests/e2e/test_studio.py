"""The studio in a real browser: edit a stage story, preview it, publish it to a buyer's tracker, roll it back."""

import re

from playwright.sync_api import Page, expect

from app.orders.numbers import tracking_link
from tests.e2e.test_dealer import sign_in

CLEMENTINE = "MJ6WDN3K"  # a demo order waiting at the dealer


def open_item(page: Page, title: str) -> None:
    page.get_by_label("Find an item").fill(title)
    # The list re-renders as it filters: click only once it shows just the one item.
    expect(page.locator("#studio-items li")).to_have_count(1)
    page.get_by_role("button", name=re.compile(title)).click()
    expect(page.locator("#item-title")).to_have_text(title)


def write_story(page: Page, text: str) -> None:
    page.get_by_label("Stories (one per line)").fill(text)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#notice")).to_have_text("Draft saved.")


def publish(page: Page) -> None:
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator("#notice")).to_contain_text("Published")


def buyer_sees(page: Page, app_url: str, words: str) -> None:
    """The buyer's own tracker shows `words` (servers re-read published copy within a couple of seconds)."""
    for _ in range(10):
        page.goto(app_url + tracking_link(CLEMENTINE))
        expect(page.locator("#narrative")).to_be_visible()
        if words in page.locator("#narrative").inner_text():
            return
        page.wait_for_timeout(1000)
    expect(page.locator("#narrative")).to_contain_text(words)


def test_a_story_goes_from_draft_to_preview_to_the_buyer_and_back(page: Page, app_url: str, browser):
    sign_in(page, app_url, "marketing@motorjoy.example")
    expect(page).to_have_url(re.compile("/studio$"))
    open_item(page, "Stage story: At your dealer")
    write_story(page, "{name} is **polished** and waiting by the showroom door.")

    # The preview shows the draft; the buyer doesn't see it yet.
    preview = page.context.new_page()
    preview.goto(f"{app_url}/studio/preview/track/at_dealer")
    expect(preview.locator("#preview-banner")).to_be_visible()
    expect(preview.locator("#narrative")).to_contain_text("Clementine is polished and waiting by the showroom door.")
    expect(preview.locator("#narrative strong")).to_have_text("polished")
    buyer = browser.new_page()
    buyer.goto(app_url + tracking_link(CLEMENTINE))
    expect(buyer.locator("#narrative")).not_to_contain_text("showroom door")

    publish(page)
    buyer_sees(buyer, app_url, "waiting by the showroom door")

    write_story(page, "{name} has had a valet and smells of new car.")
    publish(page)
    buyer_sees(buyer, app_url, "smells of new car")
    expect(page.locator("#history")).to_contain_text("Version 2")

    page.get_by_role("button", name="Roll back to version 1").click()
    expect(page.locator("#notice")).to_contain_text("Rolled back to version 1")
    expect(page.locator("#history")).to_contain_text("rolled back to version 1")
    buyer_sees(buyer, app_url, "waiting by the showroom door")


def test_a_broken_placeholder_is_refused_and_nothing_changes(page: Page, app_url: str):
    sign_in(page, app_url, "marketing@motorjoy.example")
    expect(page).to_have_url(re.compile("/studio$"))
    open_item(page, "Stage story: Built at the plant")
    page.get_by_label("Stories (one per line)").fill("{nmae} is built!")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#studio-error")).to_contain_text("{nmae} is not something we can fill in")
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)


def test_signed_out_visitors_and_dealers_cannot_open_the_studio_or_its_previews(page: Page, app_url: str):
    for path in ("/studio", "/studio/preview/build"):
        page.goto(app_url + path)
        expect(page.get_by_text("Sign in with a marketing account")).to_be_visible()
    page.goto(f"{app_url}/studio/preview/track/at_sea")
    expect(page.get_by_text("Previews are for the studio's staff")).to_be_visible()
    sign_in(page, app_url, "dealer@motorjoy.example")
    expect(page).to_have_url(re.compile("/dealer$"))
    page.goto(f"{app_url}/studio")
    expect(page.locator("#not-allowed")).to_contain_text("marketing account")
    expect(page.get_by_label("Find an item")).to_have_count(0)


def test_a_note_to_every_member_asks_first_and_says_after(page: Page, app_url: str):
    sign_in(page, app_url, "marketing@motorjoy.example")
    page.get_by_role("tab", name="Club mail").click()
    page.get_by_label("Subject").fill("The convertible's new roof")
    page.get_by_label("Note (Markdown)").fill("Tan, **soft**, and ready for sunshine.")
    page.get_by_role("button", name="Send to club members").click()
    ask = page.get_by_role("alertdialog", name=re.compile(r"^Send to \d+ owners\?$"))
    expect(ask).to_be_visible()
    members = re.search(r"\d+", ask.get_by_role("heading").inner_text()).group()
    ask.get_by_role("button", name="Not yet").click()  # changing one's mind sends nothing
    expect(ask).to_have_count(0)
    expect(page.get_by_text(re.compile("^Queued for"))).to_have_count(0)
    page.get_by_role("button", name="Send to club members").click()
    page.get_by_role("button", name=f"Send to {members} owners").click()
    expect(page.get_by_text(re.compile(rf"^Queued for {members} club members"))).to_be_visible()
