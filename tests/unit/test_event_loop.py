"""What a worker looks up once instead of on its event loop."""

from importlib import metadata

import redis.asyncio
import redis.utils

from app.event_loop import look_up_versions_once


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
