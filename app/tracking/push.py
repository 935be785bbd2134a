"""News for open trackers: which tabs show which order, and telling them when the feed stores a stage.

An open tracker costs nothing while nothing happens: no timer in the page, no reload on the server.
When the tracker page shows an order, its tab (Reflex's client token) is noted against the order
number; when the feed stores events, each tab watching those orders gets its tracker redrawn through
Reflex (`app.modify_state`), which sends just the changed values down that tab's websocket. With
several workers the notes live in Redis, and Reflex forwards the update to whichever worker holds
the tab's socket; in one process they are a dictionary.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

from app import settings

log = logging.getLogger(__name__)
WATCH_SECONDS = 24 * 3600  # a note outlives any open tab's idle time; a stale one is dropped when met


class Watchers(Protocol):
    def watch(self, number: str, token: str) -> None: ...
    def tokens(self, number: str) -> set[str]: ...
    def forget(self, number: str, tokens: Iterable[str]) -> None: ...


class LocalWatchers:
    """The notes of one process."""

    def __init__(self) -> None:
        self._tabs: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def watch(self, number: str, token: str) -> None:
        with self._lock:
            self._tabs.setdefault(number, set()).add(token)

    def tokens(self, number: str) -> set[str]:
        with self._lock:
            return set(self._tabs.get(number, ()))

    def forget(self, number: str, tokens: Iterable[str]) -> None:
        with self._lock:
            tabs = self._tabs.get(number, set())
            tabs.difference_update(tokens)
            if not tabs:
                self._tabs.pop(number, None)


class RedisWatchers:
    """The notes shared by every worker: one Redis set per order number, expiring a day after its last note."""

    def __init__(self, client: Any, prefix: str = "motorjoy:tracker-tabs:") -> None:
        self._redis = client
        self._prefix = prefix

    def watch(self, number: str, token: str) -> None:
        key = self._prefix + number
        with self._redis.pipeline() as pipe:
            pipe.sadd(key, token).expire(key, WATCH_SECONDS).execute()

    def tokens(self, number: str) -> set[str]:
        return {t.decode() if isinstance(t, bytes) else t for t in self._redis.smembers(self._prefix + number)}

    def forget(self, number: str, tokens: Iterable[str]) -> None:
        if tokens := list(tokens):
            self._redis.srem(self._prefix + number, *tokens)


@functools.cache
def order_watchers() -> Watchers:
    """The process's notes: in Redis when several workers share it, else in memory."""
    if url := settings.redis_url():
        import redis

        return RedisWatchers(redis.Redis.from_url(url))
    return LocalWatchers()


# Redraw the tracker of this tab if it still shows this order; False when it shows something else now.
Redraw = Callable[[str, str], Awaitable[bool]]


async def tell_trackers(
    numbers: Iterable[str],
    redraw: Redraw,
    is_connected: Callable[[str], Awaitable[bool]],
    watchers: Watchers | None = None,
) -> int:
    """Redraw every connected tab watching one of these orders; forget tabs that left. Returns how many."""
    watchers = watchers or order_watchers()
    told = 0
    for number in set(numbers):
        gone = []
        for token in watchers.tokens(number):
            try:
                if await is_connected(token) and await redraw(token, number):
                    told += 1
                    continue
            except Exception:  # one broken tab must not keep the news from the others
                log.exception("tracker push to a tab of %s failed", number)
            gone.append(token)
        watchers.forget(number, gone)
    return told


_running: set[asyncio.Task] = set()


def tell_trackers_soon(numbers: Iterable[str], redraw: Redraw, is_connected: Callable[[str], Awaitable[bool]]) -> None:
    """Start `tell_trackers` without making the caller (the feed's sender) wait for it."""
    numbers = list(numbers)
    if not numbers:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # a handler called outside the server's loop (a unit test): no open tab to tell
        log.info("no event loop: the open trackers of %s are not told", ", ".join(numbers))
        return
    task = loop.create_task(tell_trackers(numbers, redraw, is_connected))
    _running.add(task)  # the loop keeps only weak references to tasks
    task.add_done_callback(_running.discard)


# The running app's two hooks (its `modify_state` and "is this tab connected anywhere?"), set once by
# app.py; features below it announce news to open tabs through `tell_open_tabs_soon` without importing it.
_app_hooks: tuple[Callable[..., Any], Callable[[str], Awaitable[bool]]] | None = None


def wire(modify_state: Callable[..., Any], is_connected: Callable[[str], Awaitable[bool]]) -> None:
    """Give the pushes the running app's hooks (app.py, once at import)."""
    global _app_hooks
    _app_hooks = (modify_state, is_connected)


def tell_open_tabs_soon(numbers: Iterable[str], redraw: Callable[[Any, str, str], Awaitable[bool]]) -> bool:
    """Redraw, with `redraw(modify_state, token, number)`, the open tabs watching these orders.

    False when no app is running in this process (a command, a unit test): there is no open tab to tell.
    """
    if _app_hooks is None:
        return False
    modify_state, is_connected = _app_hooks
    tell_trackers_soon(numbers, functools.partial(redraw, modify_state), is_connected)
    return True


async def settle() -> None:
    """Wait for pushes already started (tests, shutdown)."""
    with contextlib.suppress(Exception):
        await asyncio.gather(*_running)
