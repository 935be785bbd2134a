"""A started worker leaves its start-up objects out of later garbage collections, and makes full ones when due."""

import asyncio
import gc
import weakref

import pytest

from app.memory import NEVER, collect_old_generation, full_collections, settle

DEFAULT_THRESHOLD = gc.get_threshold()


class Node:
    """A container that can be part of a reference cycle."""

    def __init__(self) -> None:
        self.partner: object = None


@pytest.fixture
def settled():
    """A test process settled as a started worker is, and put back as it was afterwards."""
    settle()
    yield
    gc.unfreeze()
    gc.set_threshold(*DEFAULT_THRESHOLD)


@pytest.fixture
def start_up_objects() -> tuple[weakref.ref, Node]:
    """Start-up's garbage (a cycle, seen through a weak reference) and an object it keeps."""
    cycle = Node()
    cycle.partner = cycle  # garbage only a collection frees
    return weakref.ref(cycle), Node()


def test_settle_collects_start_up_garbage_then_freezes_what_remains(start_up_objects, settled):
    gone, kept = start_up_objects
    assert gone() is None  # collected before the freeze, not kept for ever
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # out of every generation a collection walks
    later = Node()
    assert any(o is later for o in gc.get_objects())  # what comes after is collected as usual


def old_cycle() -> weakref.ref:
    """A reference cycle that has outlived both young generations, then become garbage."""
    cycle = Node()
    cycle.partner = cycle
    gc.collect(1)  # survived the young collections: now in the old generation
    return weakref.ref(cycle)


def test_after_settling_only_the_clock_starts_a_full_collection(settled):
    assert gc.get_threshold()[:2] == DEFAULT_THRESHOLD[:2]  # young collections as before
    assert gc.get_threshold()[2] == NEVER


@pytest.fixture
def no_automatic_collections():
    """Only the collections a test makes itself, so none can stand in for the one it checks."""
    gc.disable()
    yield
    gc.enable()


def ticks(seconds: float = 0.2, **clock: float) -> None:
    """Run the clock, checking every 10 ms, for `seconds`."""

    async def run() -> None:
        task = asyncio.create_task(collect_old_generation(check_s=0.01, **clock))
        await asyncio.sleep(seconds)
        task.cancel()

    asyncio.run(run())


def test_the_clock_collects_the_old_generation_when_its_time_is_up(no_automatic_collections):
    gone, before = old_cycle(), full_collections()
    ticks(every_s=0.05, growth=NEVER)
    assert gone() is None and full_collections() > before


def test_the_clock_collects_sooner_once_the_old_generation_has_grown(no_automatic_collections):
    async def grow_then_wait() -> weakref.ref:
        task = asyncio.create_task(collect_old_generation(every_s=NEVER, growth=1_000, check_s=0.01))
        await asyncio.sleep(0.05)
        kept = [Node() for _ in range(2_000)]  # the old generation grows...
        gone = old_cycle()  # ...and holds garbage
        await asyncio.sleep(0.2)
        task.cancel()
        assert kept
        return gone

    before = full_collections()
    gone = asyncio.run(grow_then_wait())
    assert gone() is None and full_collections() > before


def test_the_clock_leaves_the_old_generation_until_a_collection_is_due(no_automatic_collections):
    gone, before = old_cycle(), full_collections()
    ticks(every_s=NEVER, growth=NEVER)
    assert gone() is not None and full_collections() == before
    gc.collect()


def test_a_full_collection_made_meanwhile_starts_the_count_again(no_automatic_collections):
    async def collected_meanwhile() -> int:
        task = asyncio.create_task(collect_old_generation(every_s=0.15, growth=NEVER, check_s=0.01))
        await asyncio.sleep(0.1)
        gc.collect()  # the visitor sweep's, say
        made = full_collections()
        await asyncio.sleep(0.1)  # past the clock's first deadline, not past one counted from the sweep's
        task.cancel()
        return made

    made = asyncio.run(collected_meanwhile())
    assert full_collections() == made
