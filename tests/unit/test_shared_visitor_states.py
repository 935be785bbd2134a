"""The several-worker state manager: Reflex's Redis manager, letting go of each state tree once it is written."""

import asyncio
import gc
import os
import uuid
import weakref
from contextlib import contextmanager

import pytest
import redis.asyncio
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

from app.configurator.state import BuildState
from app.visitor_states import SharedVisitorStates, let_go
from tests.unit.handlers import state_for

REDIS_URL = os.environ.get("MOTORJOY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@contextmanager
def reference_counting_only():
    """No collections meanwhile: what is freed here was freed by reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def test_a_tree_let_go_is_freed_by_reference_counting_and_one_kept_is_not():
    with reference_counting_only():
        kept, dropped = state_for(BuildState)._get_root_state(), state_for(BuildState)._get_root_state()
        kept_ref, dropped_ref = weakref.ref(kept), weakref.ref(dropped)
        let_go(dropped.get_substate(BuildState.get_full_name().split(".")[1:]))  # any state of the tree will do
        del kept, dropped
        assert dropped_ref() is None
        assert kept_ref() is not None  # a cycle: without let_go it waits for a full collection
    gc.collect()
    assert kept_ref() is None


def manager(hold_ms: int) -> SharedVisitorStates:
    """Reads REFLEX_OPLOCK_ENABLED as it is made, as Reflex's manager does."""
    client = redis.asyncio.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    return SharedVisitorStates(redis=client, token_expiration=60, lock_expiration=10_000, oplock_hold_time_ms=hold_ms)


@pytest.fixture
def redis_reachable():
    import redis as sync_redis

    try:
        sync_redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except sync_redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")


@pytest.mark.parametrize("oplock", [True, False], ids=["held between events", "one event at a time"])
def test_a_state_written_back_is_let_go_and_its_values_come_back_from_redis(redis_reachable, oplock, monkeypatch):
    token = BaseStateToken(ident=f"test-{uuid.uuid4()}", cls=BuildState)
    monkeypatch.setenv("REFLEX_OPLOCK_ENABLED", "true" if oplock else "false")

    async def scenario() -> tuple[bool, bool, str]:
        shared = manager(hold_ms=200)
        try:
            if oplock:  # Reflex leases a state only once it listens for other workers asking for it
                await shared._ensure_lock_task_subscribed(timeout=5)
            async with shared.modify_state(token) as root:
                build = await root.get_state(BuildState)
                build.nickname = "McGregor"
                written = weakref.ref(root)
                held = shared._cached_states.get(token.lock_key) is root
            del root, build
            with reference_counting_only():
                for _ in range(100):  # the lease (when held) ends after 200 ms, then the tree is written back
                    if written() is None:
                        break
                    await asyncio.sleep(0.02)
                freed = written() is None
            again = await shared.get_state(token)
            return held, freed, (await again.get_state(BuildState)).nickname
        finally:
            await shared.close()
            await shared.redis.aclose()

    held, freed, nickname = asyncio.run(scenario())
    assert held == oplock  # with the oplock, the tree stayed with the worker after the event
    assert freed
    assert nickname == "McGregor"


def test_the_manager_keeps_reflexs_settings():  # no connection is opened
    async def scenario() -> SharedVisitorStates:
        from reflex.istate.manager.redis import StateManagerRedis

        client = redis.asyncio.Redis.from_url(REDIS_URL)
        made = StateManagerRedis(
            redis=client,
            token_expiration=123,
            lock_expiration=9876,
            lock_warning_threshold=890,
            oplock_hold_time_ms=432,
        )
        like = SharedVisitorStates.like(made)
        await client.aclose()
        return like

    like = asyncio.run(scenario())
    assert (like.token_expiration, like.lock_expiration, like.lock_warning_threshold) == (123, 9876, 890)
    assert like.oplock_hold_time_ms == 432


def test_no_handler_is_a_background_one_whose_proxy_would_read_a_tree_let_go():
    import app.app  # noqa: F401  (every page's state is defined once the app is built)

    def every_state(cls):
        yield cls
        for sub in cls.get_substates():
            yield from every_state(sub)

    states = list(every_state(State))
    assert BuildState in states and "pick" in BuildState.event_handlers  # the walk reaches the pages' states
    background = [
        f"{cls.__name__}.{name}"
        for cls in states
        for name, handler in cls.event_handlers.items()
        if handler.is_background
    ]
    assert background == []
