"""What a worker looks up once instead of on its event loop."""

import subprocess
import sys
from importlib import metadata

import redis.asyncio
import redis.utils

from app.event_loop import THREAD_POOL_BACKEND, look_up_versions_once


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
