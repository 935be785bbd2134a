"""Build your own in a real browser: pick, paint, fix, save, share, and do it all by keyboard."""

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.config import get_config

from app.catalog import load_catalogue
from app.catalog.rules import choose
from app.render import render_key


def open_build(page: Page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/build{query}")
    expect(page.locator("#car-picture")).to_be_visible()
    expect(page.locator("#total")).to_be_visible()  # the car comes with the HTML; the rest with the state


def picture(page: Page):
    return page.locator("#car-picture")


def spin(page: Page):
    """The spin: its data-shown is the srcset of the build and angle on screen as one picture (assets/spin.js)."""
    return page.locator("[data-spin]")


def test_choosing_a_colour_changes_the_picture_and_the_total(page: Page, app_url: str, console_errors: list[str]):
    open_build(page, app_url, "?model=hatch")
    total_before = page.locator("#total").inner_text()
    expect(picture(page)).to_have_attribute("alt", re.compile("^Hatch in Chili Red"))
    page.get_by_role("radio", name="Racing Green").click()
    expect(picture(page)).to_have_attribute("alt", re.compile("^Hatch in Racing Green"))
    expect(page.locator("#total")).not_to_have_text(total_before)
    expect(page.get_by_text("Racing Green", exact=True).last).to_be_visible()
    # The picture really arrived and decoded.
    page.wait_for_function("document.querySelector('#car-picture').complete")
    assert page.evaluate("document.querySelector('#car-picture').naturalWidth") > 0
    assert console_errors == []


def test_any_colour_you_like_by_hex(page: Page, app_url: str):
    open_build(page, app_url, "?model=hatch")
    page.get_by_label("Colour code (hex)").fill("#2a9d8f")
    page.get_by_role("button", name="Paint it").click()
    expect(picture(page)).to_have_attribute("alt", re.compile("^Hatch in a custom teal"))
    expect(page.get_by_text(re.compile(r"\(#2A9D8F\)"))).to_be_visible()
    expect(page).to_have_url(re.compile("hex=2A9D8F"))  # the address follows a moment after the picture


def served_on_one_port(page: Page, app_url: str) -> None:
    """/build's page and the pictures from the backend, as in production (one port for both); the harness
    serves the front end's files from another port, where /build is the prerendered file as it was built."""
    backend = get_config().api_url.rstrip("/")

    def forward(route):
        route.fulfill(response=route.fetch(url=backend + route.request.url.removeprefix(app_url)))

    page.route(re.compile(rf"^{re.escape(app_url)}/(build/?(\?.*)?|car/.*)$"), forward)


def test_the_car_of_the_url_is_on_screen_before_any_script_runs(browser: Browser, app_url: str):
    """/build's HTML already shows the requested car: a browser without JavaScript sees it too."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    served_on_one_port(page, app_url)
    page.goto(f"{app_url}/build?model=convertible&colour=seafoam")
    expect(picture(page)).to_have_attribute("alt", re.compile("^Convertible in Seafoam"))
    page.wait_for_function("document.querySelector('#car-picture').complete")
    assert page.evaluate("document.querySelector('#car-picture').naturalWidth") > 0
    context.close()


def test_a_bad_hex_says_why_and_changes_nothing(page: Page, app_url: str):
    open_build(page, app_url, "?model=hatch")
    alt_before = picture(page).get_attribute("alt")
    page.get_by_label("Colour code (hex)").fill("#12345G")
    page.get_by_role("button", name="Paint it").click()
    expect(page.locator("#hex-error")).to_contain_text("not a colour code")
    expect(picture(page)).to_have_attribute("alt", alt_before)


def test_a_blocked_option_offers_the_smallest_fix(page: Page, app_url: str):
    open_build(page, app_url, "?model=hatch&colour=chili-red")
    stripe = page.get_by_role("radio", name="Red offset stripe")
    expect(stripe).to_be_disabled()
    # A screen reader hears the price with the name, and why the option is blocked.
    expect(stripe).to_have_accessible_name(re.compile(r"^Red offset stripe, \+£[\d,]+$"))
    expect(stripe).to_have_accessible_description("Red offset stripe: Not with Chili Red.")
    # The page puts the fix together from the parts the server sends (panel.CardStates).
    fix = page.get_by_role("button", name=re.compile("^Make Red offset stripe possible"))
    expect(fix).to_have_text(re.compile(r"^Switch Chili Red to Pepper White \(total \+£[\d,]+\)$"))
    fix.click()
    expect(page.get_by_role("radio", name="Red offset stripe")).to_be_checked()
    expect(page.get_by_role("radio", name="Chili Red")).not_to_be_checked()
    expect(picture(page)).to_have_attribute("alt", re.compile("red offset stripe", re.IGNORECASE))


def test_saved_build_reopens_exactly_in_a_new_browser(page: Page, app_url: str, browser: Browser):
    open_build(page, app_url, "?model=convertible")
    page.get_by_role("radio", name="Seafoam").click()
    page.get_by_role("radio", name="Tan soft top").click()
    page.get_by_label("Nickname").fill("McGregor")
    page.get_by_label("Nickname").blur()
    expect(picture(page)).to_have_attribute("alt", re.compile("Seafoam"))
    page.get_by_role("button", name="Save this build").click()
    code = page.locator("#build-code").inner_text()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", code)
    expect(page).to_have_url(re.compile(f"/build/{code}$"))
    shown, total = spin(page).get_attribute("data-shown"), page.locator("#total").inner_text()
    assert shown and "/seafoam+" in shown

    other = browser.new_context().new_page()
    other.goto(f"{app_url}/build/{code}")
    expect(other.locator("[data-spin]")).to_have_attribute("data-shown", shown)
    expect(other.locator("#total")).to_have_text(total)
    expect(other.get_by_label("Nickname")).to_have_value("McGregor")
    other.context.close()


def test_tampered_url_opens_the_nearest_valid_build(page: Page, app_url: str, console_errors: list[str]):
    open_build(page, app_url, "?model=hatch&roof=roof-gold&colour=chili-red&stripes=stripes-single-red&view=top")
    expect(page.get_by_role("radio", name="White roof")).to_be_checked()
    expect(page.get_by_text(re.compile("roof-gold"))).to_be_visible()
    expect(page.get_by_text(re.compile("We don't have a 'top' view"))).to_be_visible()
    expect(picture(page)).to_have_attribute("alt", re.compile("^Hatch in"))
    assert console_errors == []


def test_unknown_build_code_starts_fresh_with_a_note(page: Page, app_url: str):
    page.goto(f"{app_url}/build/NOPE0000")
    expect(page.get_by_text(re.compile("couldn't find a build with the code"))).to_be_visible()
    expect(picture(page)).to_be_visible()


def test_keyboard_only_build(page: Page, app_url: str):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_build(page, app_url, "?model=hatch")
    # The page is settled once the spin has every angle of the build (it keeps the network busy until
    # then, so "network idle" can take a while on a loaded machine).
    expect(page.locator("[data-spin][data-preloaded=true]")).to_be_attached(timeout=90_000)
    chili = page.get_by_role("radio", name="Chili Red")
    chili.focus()
    expect(chili).to_be_focused()
    # Arrow keys move between the colours, as in any radio group; Space takes the one in focus.
    # (Radix also checks on arrow-focus while the key is held; a synthetic press is too quick for that.)
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Pepper White")).to_be_focused()
    page.keyboard.press("Space")
    expect(picture(page)).to_have_attribute("alt", re.compile("^Hatch in Pepper White"))
    tab_to(page, "White roof")  # Tab enters the next group at its chosen option
    page.keyboard.press("ArrowRight")
    # Space before focus has moved would take the roof already chosen (a busy machine is that slow).
    expect(page.get_by_role("radio", name="Black roof")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Black roof")).to_be_checked()
    # The price panel comes before the options (beside them on a wide screen): back up to it.
    tab_to(page, "Save this build", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator("#build-code")).to_be_visible()
    code = page.locator("#build-code").inner_text()
    tab_to(page, "Copy link")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{app_url}/build/{code}"
    tab_to(page, "Print summary")  # once entirely off-screen when focused at 1280×800


def tab_to(page: Page, name: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the control called `name` has focus, as a keyboard user would."""
    for _ in range(80):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate("(e => e.getAttribute('aria-label') || e.textContent.trim())(document.activeElement)")
        if focused == name or focused.startswith(name + ","):  # an option's name is followed by its price
            # Focus never lands under the sticky header or below the screen.
            box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
            header = page.evaluate("document.querySelector('header').getBoundingClientRect().bottom")
            top, bottom = json.loads(box)["top"], json.loads(box)["bottom"]
            assert header <= top and bottom <= page.viewport_size["height"], f"{name} at {top}-{bottom}"
            return
    pytest.fail(f"Tab never reached {name!r}")


def test_compare_two_saved_builds(page: Page, app_url: str):
    codes = []
    for query in ("?model=hatch&colour=sherbet-yellow", "?model=convertible&colour=midnight-blue"):
        open_build(page, app_url, query)
        page.get_by_role("button", name="Save this build").click()
        codes.append(page.locator("#build-code").inner_text())
    page.get_by_role("link", name="Compare it with another build").click()
    expect(page.get_by_label("Build codes")).to_have_value(codes[1])
    page.get_by_label("Build codes").fill(f"{codes[0]}, {codes[1]}")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("img", name="Hatch in Sherbet Yellow", exact=False)).to_be_visible()
    expect(page.get_by_role("img", name="Convertible in Midnight Blue", exact=False)).to_be_visible()
    page.get_by_label("Build codes").fill("NOTACODE ZZZZZZZZ")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#compare-error")).to_contain_text("couldn't find")
    expect(page.get_by_role("img", name="Hatch in Sherbet Yellow", exact=False)).to_be_visible()


def test_the_spin_turns_with_keys_and_buttons(page: Page, app_url: str, console_errors: list[str]):
    views = load_catalogue().model("hatch").views
    labels = [load_catalogue().view(v).label for v in views]
    open_build(page, app_url, "?model=hatch")
    spin = page.get_by_role("slider", name="Turn the car")
    expect(spin).to_have_attribute("aria-valuetext", labels[0])
    expect(picture(page)).to_have_attribute("alt", re.compile(f"seen from the {re.escape(labels[0])}$"))
    first_src = picture(page).get_attribute("src")
    spin.focus()
    page.keyboard.press("ArrowRight")
    expect(spin).to_have_attribute("aria-valuetext", labels[1])
    expect(picture(page)).to_have_attribute("alt", re.compile(f"seen from the {re.escape(labels[1])}$"))
    assert picture(page).get_attribute("src") != first_src
    expect(page).to_have_url(re.compile(f"view={views[1]}"))  # the share link follows once turning stops
    page.get_by_role("button", name="Turn left").click()
    page.get_by_role("button", name="Turn left").click()
    expect(spin).to_have_attribute("aria-valuetext", labels[-1])
    expect(picture(page)).to_have_attribute("alt", re.compile(f"seen from the {re.escape(labels[-1])}$"))
    # A new choice keeps the angle the visitor turned to.
    page.get_by_role("radio", name="Racing Green").click()
    expect(picture(page)).to_have_attribute("alt", re.compile(f"^Hatch in Racing Green.*{re.escape(labels[-1])}$"))
    page.wait_for_function("document.querySelector('#car-picture').complete")
    assert page.evaluate("document.querySelector('#car-picture').naturalWidth") > 0
    assert console_errors == []


def test_an_old_side_view_link_still_opens_with_a_picture(page: Page, app_url: str):
    open_build(page, app_url, "?model=convertible&colour=seafoam&view=side")
    label = load_catalogue().view("side").label
    expect(page.get_by_role("slider", name="Turn the car")).to_have_attribute("aria-valuetext", label)
    expect(picture(page)).to_have_attribute("alt", re.compile(f"^Convertible in Seafoam.*seen from the {label}$"))
    page.wait_for_function("document.querySelector('#car-picture').complete")
    assert page.evaluate("document.querySelector('#car-picture').naturalWidth") > 0


class HeldAnswers:
    """Sits on the page's websocket and, while holding, keeps the server's messages back: what the page
    does before the server has answered, made visible. Everything held is delivered in order on release."""

    def __init__(self, page: Page) -> None:
        self.holding = False
        self.held: list = []
        self.page_side = None
        page.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        ws.on_message(server.send)
        server.on_message(self._from_server)
        self.page_side = ws

    def _from_server(self, message) -> None:
        if self.holding:
            self.held.append(message)
        else:
            self.page_side.send(message)

    def hold(self) -> None:
        self.holding = True

    def wait_for_one(self, page: Page, seconds: float = 10) -> None:
        """Until the server has sent something that is being held."""
        for _ in range(int(seconds * 20)):
            if self.held:
                return
            page.wait_for_timeout(50)
        raise AssertionError(f"the server sent nothing within {seconds} s")

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.page_side.send(message)
        self.held = []


# Counts the picture's swaps (the build or angle on screen changing) from now on, for "no double swap" checks.
COUNT_SWAPS = """() => { window.__swaps = [];
  new MutationObserver(ms => ms.forEach(m => window.__swaps.push(m.target.getAttribute('data-shown'))))
    .observe(document.querySelector('[data-spin]'), {attributeFilter: ['data-shown']}); }"""


def pieces(page: Page) -> list[str]:
    """The srcsets of the stack's pieces laid over the picture, in paint order."""
    return page.eval_on_selector_all("[data-spin-pieces] img", "imgs => imgs.map(i => i.getAttribute('srcset'))")


def open_predicting(page: Page, app_url: str, query: str) -> HeldAnswers:
    answers = HeldAnswers(page)
    open_build(page, app_url, query)
    expect(page.locator("[data-spin][data-predict-bound][data-preloaded=true]")).to_be_attached(timeout=90_000)
    page.evaluate(COUNT_SWAPS)
    return answers


def test_the_picture_changes_before_the_server_answers_and_once(page: Page, app_url: str, console_errors: list[str]):
    answers = open_predicting(page, app_url, "?model=hatch&colour=chili-red&roof=roof-white")
    total = page.locator("#total").inner_text()
    answers.hold()
    page.get_by_role("radio", name=re.compile("^Black roof")).click()
    # The new picture is on screen while the server's answer is still held back: the card isn't checked
    # yet and the total hasn't moved, but the picture already shows the black roof.
    expect(spin(page)).to_have_attribute("data-shown", re.compile(r"/chili-red\+roof-black\+"))
    # Shown as its stack: the base painted Chili Red, the black roof's piece over it.
    expect(picture(page)).to_have_attribute("srcset", re.compile(r"/stack/body/C0392B\.webp"))
    assert any("/stack/roof/roof-black.webp" in srcset for srcset in pieces(page)), pieces(page)
    answers.wait_for_one(page)  # the pick went once its picture was in (assets/predict.js), and was answered
    expect(page.get_by_role("radio", name=re.compile("^Black roof"))).not_to_be_checked()
    assert page.locator("#total").inner_text() == total
    answers.release()
    expect(page.get_by_role("radio", name=re.compile("^Black roof"))).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="Total")).to_have_count(1)
    page.wait_for_timeout(500)  # time for a second swap, if the answer caused one
    swaps = page.evaluate("window.__swaps")
    assert len(swaps) == 1 and "roof-black" in swaps[0], swaps  # the server agreed: nothing more changed
    assert picture(page).get_attribute("alt").startswith("Hatch in Chili Red with a black roof")
    assert console_errors == []


def test_when_the_server_disagrees_its_answer_wins(page: Page, app_url: str):
    answers = open_predicting(page, app_url, "?model=hatch&colour=chili-red")
    # The page's copy of the rules goes stale, as if the studio had published a change after it opened:
    # it no longer knows that the red stripe can't go on red paint, so it predicts the wrong car.
    page.evaluate("""() => { const spin = document.querySelector('[data-spin]');
      const data = JSON.parse(spin.dataset.catalogue);
      for (const o of data.options) { delete o.excludes; }
      spin.dataset.catalogue = JSON.stringify(data); }""")
    catalogue = load_catalogue()
    build = catalogue.build_from("hatch", {"colour": "chili-red"})
    server_build, _notes = choose(catalogue, build, "stripes-single-red")
    assert server_build.choice("colour") != "chili-red"
    answers.hold()
    page.get_by_role("button", name=re.compile("^Make Red offset stripe possible")).click()
    expect(spin(page)).to_have_attribute("data-shown", re.compile(r"/chili-red\+.*stripes-single-red"))
    answers.release()
    # The server's fix wins: its paint and its options, exactly the URL the server itself would give.
    server_path = render_key(catalogue, server_build, catalogue.model("hatch").views[0], 800).url()
    expect(spin(page)).to_have_attribute("data-shown", re.compile(re.escape(server_path)))
    expect(page.get_by_role("radio", name="Red offset stripe")).to_be_checked()
    swaps = page.evaluate("window.__swaps")
    assert len(swaps) == 2 and "chili-red" in swaps[0] and server_path in swaps[1], swaps


def test_a_pick_waits_a_moment_at_most_for_its_picture_and_picks_keep_their_order(page: Page, app_url: str):
    """assets/predict.js sends a pick once its picture is decoded, but never more than 100 ms after the click."""
    open_predicting(page, app_url, "?model=hatch&colour=chili-red&roof=roof-white")
    stuck = []  # the black roof's pictures never come
    page.route(re.compile(r"/car/.*roof-black"), lambda route: stuck.append(route))
    # The body-coloured roof's pictures are in the browser already (its stack is this build's without the
    # white roof's piece, and hovering preloads it), so its pick has nothing to wait for; the black roof's
    # piece never comes, so its pick waits the whole 100 ms.
    page.get_by_role("radio", name=re.compile("^Body-coloured roof")).hover()
    page.wait_for_timeout(300)  # decoded
    # Two picks in one go: the second comes while the first is still held, so it waits its turn.
    page.evaluate("""() => ['roof-black', 'roof-body'].forEach(id =>
      document.querySelector(`[role=radio][data-predict-option="${id}"]`).click())""")
    expect(page.get_by_role("radio", name=re.compile("^Body-coloured roof"))).to_be_checked()
    page.wait_for_timeout(500)  # an overtaken pick would have arrived by now and checked the black roof
    expect(page.get_by_role("radio", name=re.compile("^Body-coloured roof"))).to_be_checked()
    expect(spin(page)).to_have_attribute("data-shown", re.compile(r"/chili-red\+roof-body\+"))
    assert not any("/stack/roof/" in srcset for srcset in pieces(page))  # a body-coloured roof draws nothing
    assert stuck, "the black roof's picture was asked for"
    for route in stuck:
        route.abort()


def test_a_picture_that_failed_to_come_is_asked_for_again_while_still_wanted(page: Page, app_url: str):
    open_predicting(page, app_url, "?model=hatch&colour=chili-red&roof=roof-white")
    busy = [True]
    refused: list[str] = []

    def busy_for_a_while(route) -> None:  # as a server too busy to draw answers (app/render/route.py)
        if busy:
            refused.append(route.request.url)
            route.fulfill(status=503, body="The picture could not be drawn.")
        else:
            route.continue_()

    page.route(re.compile(r"/car/.*/stack/roof/roof-black\.webp"), busy_for_a_while)
    page.get_by_role("radio", name=re.compile("^Black roof")).click()
    expect(page.get_by_role("radio", name=re.compile("^Black roof"))).to_be_checked()  # the server agreed
    page.wait_for_timeout(2500)  # long enough to be asked again (and the other angles to be asked for) in vain
    assert len(refused) >= 2, refused
    # No half-new car: the old one stays until every picture of the new one is in.
    expect(spin(page)).to_have_attribute("data-shown", re.compile(r"/chili-red\+roof-white\+"))
    busy.clear()
    expect(spin(page)).to_have_attribute("data-shown", re.compile(r"/chili-red\+roof-black\+"))
    assert any("/stack/roof/roof-black.webp" in srcset for srcset in pieces(page)), pieces(page)


def test_the_address_follows_the_build_in_the_browser(page: Page, app_url: str, console_errors: list[str]):
    """Written by assets/predict.js from the server's answer (no script comes with a pick): a reload opens the
    same car, and a visit to /build from another page opens the build its own address names."""
    open_build(page, app_url, "?model=convertible&colour=seafoam&roof=roof-gold")
    expect(page).to_have_url(re.compile(r"/build\?model=convertible&colour=seafoam&roof=softtop-"))  # corrected
    entries = page.evaluate("history.length")
    page.get_by_role("radio", name=re.compile("^Tan soft top")).click()
    expect(page).to_have_url(re.compile(r"&roof=softtop-tan&.*&view=front-left$"))
    assert page.evaluate("history.length") == entries  # replaced, never pushed
    alt = picture(page).get_attribute("alt")
    page.reload()
    expect(picture(page)).to_have_attribute("alt", alt)
    page.get_by_role("link", name="Where's My Baby?").first.click()
    expect(page).to_have_url(re.compile("/track"))
    page.get_by_role("link", name="Build your own").first.click()  # in the browser: the tab still has the convertible
    expect(picture(page)).to_have_attribute("alt", re.compile("^Hatch in Chili Red"))
    expect(page).to_have_url(re.compile(r"/build\?model=hatch&colour=chili-red&"))
    # The address is written once the page is idle after an answer, and never over the page gone on to.
    page.get_by_role("radio", name=re.compile("^Racing Green")).click()
    page.get_by_role("link", name="Where's My Baby?").first.click()
    expect(page).to_have_url(re.compile("/track"))
    page.wait_for_timeout(600)  # longer than predict.js waits for an idle moment
    expect(page).to_have_url(re.compile("/track$"))
    assert console_errors == []
