"""Open trackers are told of news: which tabs watch which order, and who is redrawn when the feed stores a stage."""

import asyncio
import json
import os
import uuid
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app.tracking import push
from app.tracking.feed import create_feed_source
from app.tracking.feed_route import feed_routes
from app.tracking.push import LocalWatchers, RedisWatchers, tell_trackers
from tests.unit.tracking.tracking_data import NOW, add_order

REDIS_URL = os.environ.get("MOTORJOY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def redis_watchers() -> RedisWatchers:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    return RedisWatchers(client, prefix=f"motorjoy-test:{uuid.uuid4()}:")


@pytest.fixture(params=["memory", "redis"])
def watchers(request):
    return LocalWatchers() if request.param == "memory" else redis_watchers()


def test_each_connected_tab_of_the_order_is_redrawn_and_tabs_that_left_are_forgotten(watchers):
    for tab in ("open", "closed", "moved-on", "broken"):
        watchers.watch("MJ4K7QX2", tab)
    watchers.watch("MJ8CJP2W", "other-order")
    redrawn = []

    async def redraw(token: str, number: str) -> bool:
        if token == "broken":
            raise RuntimeError("state gone wrong")
        redrawn.append((token, number))
        return token != "moved-on"  # that tab shows another page now

    async def is_connected(token: str) -> bool:
        return token != "closed"

    told = asyncio.run(tell_trackers(["MJ4K7QX2", "MJ4K7QX2"], redraw, is_connected, watchers))
    assert told == 1
    assert sorted(redrawn) == [("moved-on", "MJ4K7QX2"), ("open", "MJ4K7QX2")]
    assert watchers.tokens("MJ4K7QX2") == {"open"}
    assert watchers.tokens("MJ8CJP2W") == {"other-order"}


def test_an_order_nobody_watches_costs_nothing(watchers):
    async def never(*_args) -> bool:
        raise AssertionError("nobody to tell")

    assert asyncio.run(tell_trackers(["MJ4K7QX2"], never, never, watchers)) == 0
    assert watchers.tokens("MJ4K7QX2") == set()


def test_the_feed_route_announces_the_orders_with_news_once_stored_and_nothing_else(s, db_url, monkeypatch):
    add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    token = create_feed_source(s, "Northern Shipping")
    s.commit()
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    news = []
    client = TestClient(Starlette(routes=feed_routes(on_news=lambda numbers: news.append(list(numbers)))))
    headers = {"Authorization": f"Bearer {token}"}
    at = (NOW - timedelta(days=1)).isoformat()
    good = {"events": [{"event_id": "e-1", "order_number": "mj4k7qx2", "stage": "built", "occurred_at": at}]}
    assert client.post("/feed/events", content=json.dumps(good), headers=headers).status_code == 200
    assert client.post("/feed/events", content=json.dumps(good), headers=headers).status_code == 200  # a resend
    bad = {"events": [{**good["events"][0], "event_id": "e-2", "stage": "teleported"}]}
    assert client.post("/feed/events", content=json.dumps(bad), headers=headers).status_code == 422
    assert news == [["MJ4K7QX2"], []]


def test_news_for_open_tabs_goes_through_the_running_apps_hooks_and_nowhere_without_an_app(monkeypatch):
    monkeypatch.setattr(push, "_app_hooks", None)
    assert not push.tell_open_tabs_soon(["MJ4K7QX2"], never_redraw)  # a command or a test: no tab to tell

    watchers = LocalWatchers()
    watchers.watch("MJ4K7QX2", "tab")
    monkeypatch.setattr(push, "order_watchers", lambda: watchers)
    redrawn = []

    async def redraw(modify_state, token: str, number: str) -> bool:
        redrawn.append((modify_state, token, number))
        return True

    async def is_connected(token: str) -> bool:
        return True

    async def answer_given() -> None:
        push.wire("the app's modify_state", is_connected)
        assert push.tell_open_tabs_soon(["MJ4K7QX2"], redraw)
        await push.settle()

    asyncio.run(answer_given())
    assert redrawn == [("the app's modify_state", "tab", "MJ4K7QX2")]
    assert push.tell_open_tabs_soon(["MJ4K7QX2"], redraw)  # outside a loop (a handler in a unit test)...
    assert len(redrawn) == 1  # ...nothing is started, and nothing fails


async def never_redraw(*_args) -> bool:
    raise AssertionError("no app, no redraw")
