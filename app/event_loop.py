"""Library look-ups that stood a worker's event loop still, made once per process instead.

redis-py looks its own version up in the installed packages' metadata for every connection it opens
(to tell the server who is calling): a scan of site-packages, 0.4-3.4 ms in a quiet process. Reflex's
Redis client opens connections from the event loop whenever a crowd needs more than its pool holds,
and under load a watchdog caught both workers' event loops in that scan at once, for 80-193 ms. The
version doesn't change while the process runs, so it is looked up once.

anyio, under Starlette's `run_in_threadpool`, imports its asyncio backend (and the stream and socket
modules that backend imports) on a worker's first call, from the event loop. A watchdog on both
workers of a scaled load run caught that import holding each worker's event loop 48-127 ms, once per
worker, on its first picture request: every visitor on that worker waited. It is imported with the
app instead.

Both were found by watching the loop: `watch_for_stalls` (on when `MOTORJOY_STALL_MS` is set) logs
where a worker's event loop was whenever it stood still longer than that, so the next such stall is
found from the logs instead of guessed at.
"""

import asyncio
import functools
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from importlib import import_module

import redis.utils

log = logging.getLogger(__name__)
TICK_S = 0.01  # how often the loop says it is alive while watched (with the watching thread: about 3% of a core)


def look_up_versions_once() -> None:
    if not hasattr(redis.utils.get_lib_version, "cache_info"):
        redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)


# The module anyio.get_async_backend("asyncio") imports on first use; anyio has had it there since 3.0.
THREAD_POOL_BACKEND = "anyio._backends._asyncio"


def import_thread_pool_backend() -> None:
    import_module(THREAD_POOL_BACKEND)


Report = Callable[[float, str], None]


def log_stall(seconds: float, stack: str) -> None:
    log.warning("the event loop stood still %.0f ms; it was in:\n%s", seconds * 1000, stack)


async def watch_for_stalls(stall_ms: int, report: Report = log_stall, tick_s: float = TICK_S) -> None:
    """Tick on the loop; a thread beside it takes the loop's stack when a tick is `stall_ms` late, and
    reports it with the stall's whole length once the loop ticks again. Runs until cancelled."""
    ticks = [time.monotonic()]  # the loop's last tick, read by the watching thread
    stop = threading.Event()
    watching = threading.Thread(
        target=_watch, args=(threading.get_ident(), ticks, stall_ms / 1000, tick_s, report, stop), daemon=True
    )
    watching.name = "event-loop-stalls"
    watching.start()
    try:
        while True:
            ticks[0] = time.monotonic()
            await asyncio.sleep(tick_s)
    finally:
        stop.set()


def _watch(
    loop_thread: int, ticks: list[float], stall_s: float, tick_s: float, report: Report, stop: threading.Event
) -> None:
    stalled_since, stack = 0.0, ""
    while not stop.wait(stall_s / 4):
        last = ticks[0]
        if stack and last != stalled_since:  # the loop is back: the stall lasted until its first tick since
            report(last - stalled_since - tick_s, stack)
            stack = ""
        elif not stack and time.monotonic() - last > stall_s + tick_s:
            frame = sys._current_frames().get(loop_thread)
            stalled_since, stack = last, "".join(traceback.format_stack(frame)) if frame else "(no Python frame)"
