"""Library look-ups that stood a worker's event loop still, made once per process instead.

redis-py looks its own version up in the installed packages' metadata for every connection it opens
(to tell the server who is calling): a scan of site-packages, 0.4-3.4 ms in a quiet process. Reflex's
Redis client opens connections from the event loop whenever a crowd needs more than its pool holds,
and under load a watchdog caught both workers' event loops in that scan at once, for 80-193 ms. The
version doesn't change while the process runs, so it is looked up once.
"""

import functools

import redis.utils


def look_up_versions_once() -> None:
    if not hasattr(redis.utils.get_lib_version, "cache_info"):
        redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)
