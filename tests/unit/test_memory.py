"""A started worker leaves its start-up objects out of later garbage collections, and makes full ones on a clock."""

import asyncio
import gc
import weakref

import pytest

from app.memory import NEVER, collect_if_none_since, collect_old_generation, full_collections, settle

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


def test_a_full_collection_frees_old_cycles_unless_one_was_made_since(no_automatic_collections):
    gone = old_cycle()
    gc.collect(1)
    assert gone() is not None  # young collections don't walk the old generation
    seen = full_collections()
    assert collect_if_none_since(seen) == seen + 1 and gone() is None
    gone = old_cycle()
    assert collect_if_none_since(seen) == seen + 1  # one was made since `seen`: none now
    assert gone() is not None
    gc.collect()


def test_the_clock_collects_the_old_generation(no_automatic_collections):
    async def a_few_ticks() -> None:
        clock = asyncio.create_task(collect_old_generation(every_s=0.01))
        await asyncio.sleep(0.2)
        clock.cancel()

    gone, before = old_cycle(), full_collections()
    asyncio.run(a_few_ticks())
    assert gone() is None and full_collections() > before
