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
"""

import functools
from importlib import import_module

import redis.utils


def look_up_versions_once() -> None:
    if not hasattr(redis.utils.get_lib_version, "cache_info"):
        redis.utils.get_lib_version = functools.cache(redis.utils.get_lib_version)


# The module anyio.get_async_backend("asyncio") imports on first use; anyio has had it there since 3.0.
THREAD_POOL_BACKEND = "anyio._backends._asyncio"


def import_thread_pool_backend() -> None:
    import_module(THREAD_POOL_BACKEND)
