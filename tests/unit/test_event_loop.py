"""What a worker looks up once instead of on its event loop."""

import asyncio
import contextlib
import subprocess
import sys
import threading
import time
from importlib import metadata

import pytest
import redis.asyncio
import redis.utils

from app import settings
from app.event_loop import THREAD_POOL_BACKEND, look_up_versions_once, watch_for_stalls


def test_a_new_redis_connection_no_longer_scans_the_installed_packages(monkeypatch):
    scans = []
    real_version = metadata.version
    monkeypatch.setattr(redis.utils, "get_lib_version", redis.utils.get_lib_version)  # put back afterwards
    monkeypatch.setattr(metadata, "version", lambda name: scans.append(name) or real_version(name))
    look_up_versions_once()
    look_up_versions_once()  # a second call changes nothing
    connections = [redis.asyncio.Connection(host="127.0.0.1", port=6379) for _ in range(5)]
    assert scans == ["redis"]
    assert {c.driver_info.lib_version for c in connections} == {real_version("redis")}


FIRST_THREADPOOL_CALL = """
import asyncio, sys
from starlette.concurrency import run_in_threadpool
{prepare}
before = set(sys.modules)
asyncio.run(run_in_threadpool(int))
print(" ".join(sorted(name for name in set(sys.modules) - before if name.startswith("anyio"))))
"""


def _anyio_modules_imported_by_first_threadpool_call(prepare: str) -> list[str]:
    # A fresh interpreter: in this one, earlier tests may have imported anyio's backend already.
    script = FIRST_THREADPOOL_CALL.format(prepare=prepare)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    return run.stdout.split()


def test_a_first_threadpool_call_imports_nothing_once_the_backend_is_imported():
    assert THREAD_POOL_BACKEND in _anyio_modules_imported_by_first_threadpool_call("")  # what the worker used to do
    prepared = "from app.event_loop import import_thread_pool_backend\nimport_thread_pool_backend()"
    assert _anyio_modules_imported_by_first_threadpool_call(prepared) == []


def hold_the_loop(seconds: float) -> None:
    """Busy Python on the loop: what a slow handler does (the watcher gets the GIL only at switches)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


async def _watched(stall_ms: int, work) -> list[tuple[float, str]]:
    reports: list[tuple[float, str]] = []
    watcher = asyncio.create_task(watch_for_stalls(stall_ms, report=lambda s, stack: reports.append((s, stack))))
    await asyncio.sleep(0.05)
    work()
    await asyncio.sleep(0.2)  # the loop ticks again, and the watcher reports
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    return reports


def test_a_stall_is_reported_once_with_its_length_and_where_the_loop_was():
    reports = asyncio.run(_watched(30, lambda: hold_the_loop(0.3)))
    held = [(seconds, stack) for seconds, stack in reports if "hold_the_loop" in stack]
    assert len(held) == 1, reports
    assert 0.25 <= held[0][0] < 5  # the whole stall, not the moment it was noticed
    assert "_watched" in held[0][1]  # the stack goes up to who called the slow code


def test_the_watcher_stops_with_its_task():
    async def watch_briefly() -> list[threading.Thread]:
        watcher = asyncio.create_task(watch_for_stalls(30, report=lambda s, stack: None))
        await asyncio.sleep(0.05)
        watching = [t for t in threading.enumerate() if t.name == "event-loop-stalls"]
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        return watching

    watching = asyncio.run(watch_briefly())
    assert len(watching) == 1
    watching[0].join(10)
    assert not watching[0].is_alive()


def test_the_stall_setting_is_off_unless_set_and_refuses_nonsense(monkeypatch):
    monkeypatch.delenv("MOTORJOY_STALL_MS", raising=False)
    assert settings.stall_ms() is None
    monkeypatch.setenv("MOTORJOY_STALL_MS", "40")
    assert settings.stall_ms() == 40
    for bad in ("2", "fast", "-5", "1.5"):
        monkeypatch.setenv("MOTORJOY_STALL_MS", bad)
        with pytest.raises(SystemExit, match="MOTORJOY_STALL_MS must be a whole number"):
            settings.stall_ms()
