"""Two backend workers sharing PostgreSQL and Redis: a visitor can move between them, and one can die."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import redis.asyncio
from playwright.sync_api import Page, expect
from reflex.utils.token_manager import RedisTokenManager

from app import db
from app.orders.numbers import tracking_link
from app.staff.demo import DEMO_PASSWORD
from app.tracking.feed import create_feed_source
from tests.e2e_scale.conftest import REDIS_URL, ScaledApp
from tests.reflex_socket import BUILD_STATE, ROOT_STATE, ReflexTab

TRACK_STATE = f"{ROOT_STATE}.app___tracking___state____track_state"
HYDRATED = re.compile(r'"is_hydrated_rx_state_"\s*:\s*true')


async def a_worker_holds_the_tab(redis_client: redis.asyncio.Redis, token: str) -> bool:
    """Whether a worker still has the tab's socket record in Redis (Reflex's sign that it is connected)."""
    return bool(await redis_client.exists(f"{RedisTokenManager._token_socket_record_prefix}{token}"))


async def until_no_worker_holds_the_tab(redis_client: redis.asyncio.Redis, token: str, timeout: float = 10) -> None:
    """Wait until the worker a tab left has seen it go. Until then Reflex takes the same token arriving
    on another worker for a duplicated tab and gives it a new, empty session (as a real reload landing
    there within those milliseconds would get: the build itself comes back from the URL)."""
    async with asyncio.timeout(timeout):
        while await a_worker_holds_the_tab(redis_client, token):
            await asyncio.sleep(0.02)


def test_the_session_state_lives_in_redis_not_in_a_worker(scaled_app: ScaledApp):
    first, second = (f"http://127.0.0.1:{backend.port}" for backend in scaled_app.backends)

    async def visit() -> tuple[bool, str, dict]:
        on_first = ReflexTab(first, "/build?model=hatch")
        await on_first.open()
        await on_first.send(f"{BUILD_STATE}.set_nickname", (BUILD_STATE, "nickname"), text="McGregor")
        await on_first.send(f"{BUILD_STATE}.pick", (BUILD_STATE, "choice_ids"), option_id="racing-green")
        async with redis.asyncio.Redis.from_url(REDIS_URL) as redis_client:
            # Held while open: the wait below watches a real record, not a key Reflex no longer writes.
            held_while_open = await a_worker_holds_the_tab(redis_client, on_first.token)
            await on_first.close()
            await until_no_worker_holds_the_tab(redis_client, on_first.token)
        # The same tab (token) comes back on the other worker; `hydrate` alone sends the whole state
        # without running the page's on_load, so nothing is rebuilt from the URL.
        on_second = ReflexTab(second, "/build?model=hatch", token=on_first.token)
        await on_second.open(boot=f"{ROOT_STATE}.hydrate")
        await on_second.close()
        return held_while_open, on_second.value(BUILD_STATE, "nickname"), on_second.value(BUILD_STATE, "choice_ids")

    held_while_open, nickname, choices = asyncio.run(visit())
    assert held_while_open
    assert nickname == "McGregor"
    assert choices["colour"] == "racing-green"


def test_a_build_carries_on_when_the_next_request_lands_on_the_other_worker(scaled_app: ScaledApp, page: Page):
    scaled_app.switchboard.switch_to(0)
    page.goto(f"{scaled_app.url}/build?model=hatch")
    picture = page.locator("#car-picture")
    expect(picture).to_have_attribute("alt", re.compile("^Hatch in Chili Red"))
    page.get_by_role("radio", name="Racing Green").click()
    expect(picture).to_have_attribute("alt", re.compile("^Hatch in Racing Green"))
    expect(page).to_have_url(re.compile("colour=racing-green"))  # the page keeps the choices in its URL too

    # The balancer now sends this visitor to the other worker: the page reconnects there, and that
    # worker hydrates it and runs /build's on_load again (a click before that finishes would be undone
    # by the on_load, which rebuilds from the URL, on one worker as on two).
    with page.expect_websocket() as reconnected:
        scaled_app.switchboard.switch_to(1)
    reconnected.value.wait_for_event("framereceived", predicate=lambda frame: HYDRATED.search(str(frame)) is not None)
    page.get_by_role("radio", name="Black roof").click()
    expect(picture).to_have_attribute("alt", re.compile("^Hatch in Racing Green with a black roof"))
    page.wait_for_function("document.querySelector('#car-picture').complete")
    assert page.evaluate("document.querySelector('#car-picture').naturalWidth") > 0


def test_feed_news_reaches_an_open_tracker_whose_socket_is_on_the_other_worker(scaled_app: ScaledApp, monkeypatch):
    first, second = (f"http://127.0.0.1:{backend.port}" for backend in scaled_app.backends)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", scaled_app.env["MOTORJOY_DATA_DIR"])  # the servers' signing key
    link = tracking_link("MJ8CJP2W")  # Rocket, awaiting transport
    with db.session(scaled_app.env["REFLEX_DB_URL"]) as s:
        feed_token = create_feed_source(s, "scaled shipping line")
    event = {"event_id": "scaled-rocket-at-sea", "order_number": "MJ8CJP2W", "stage": "at_sea"}
    event["occurred_at"] = datetime.now(UTC).isoformat()

    async def watch() -> tuple[str, int, str]:
        tab = ReflexTab(first, link)  # the tab's websocket is on the first worker
        await tab.open()
        before = tab.value(TRACK_STATE, "stage_label")
        async with httpx.AsyncClient() as client:  # the feed posts to the second
            answer = await client.post(
                f"{second}/feed/events", json={"events": [event]}, headers={"Authorization": f"Bearer {feed_token}"}
            )
        delta = await tab.wait_for(lambda d: "stage_label_rx_state_" in d.get(TRACK_STATE, {}))
        await tab.close()
        return before, answer.status_code, delta[TRACK_STATE]["stage_label_rx_state_"]

    # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as thread:
        before, status, after = thread.submit(asyncio.run, watch()).result()
    assert (before, status, after) == ("Awaiting transport", 200, "At sea")


def test_a_killed_worker_loses_no_saved_build_or_order(scaled_app: ScaledApp, page: Page):
    scaled_app.switchboard.switch_to(0)
    page.goto(f"{scaled_app.url}/build?model=convertible&colour=racing-green")
    expect(page.locator("#car-picture")).to_be_visible()
    page.get_by_label("Nickname").fill("Nessie")
    page.get_by_label("Nickname").blur()
    page.get_by_role("button", name="Save this build").click()
    code = page.locator("#build-code").inner_text()

    page.goto(f"{scaled_app.url}/signin")
    page.get_by_label("Email").fill("dealer@motorjoy.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("/dealer$"))
    page.get_by_label("Build code").fill(code)
    page.get_by_role("button", name="Open build").click()
    page.get_by_label("Customer's name").fill("Morag Bell")
    page.get_by_label("Customer's email").fill("morag@example.com")
    page.get_by_role("button", name="Place the order").click()
    expect(page).to_have_url(re.compile(r"/dealer/order/MJ[0-9A-Z]{6}$"))
    number = page.url.rsplit("/", 1)[-1]

    # The worker that did all that dies mid-session; the balancer fails over to the other.
    scaled_app.backends[0].kill()
    page.goto(f"{scaled_app.url}/dealer")
    expect(page.get_by_role("link", name=number)).to_be_visible()  # still signed in, and the order is there
    page.get_by_role("link", name=number).click()
    expect(page.locator("#order-title")).to_contain_text("Nessie")
    page.goto(f"{scaled_app.url}/build/{code}")
    expect(page.get_by_role("img", name=re.compile("^Convertible in Racing Green"))).to_be_visible()
    expect(page.locator("#build-code")).to_have_text(code)
