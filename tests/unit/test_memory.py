"""A started worker leaves its start-up objects out of later garbage collections."""

import gc
import weakref

from app.memory import settle


class Node:
    """A container that can be part of a reference cycle."""

    def __init__(self) -> None:
        self.partner: object = None


def test_settle_collects_start_up_garbage_then_freezes_what_remains():
    cycle = Node()
    cycle.partner = cycle  # garbage only a collection frees
    gone = weakref.ref(cycle)
    del cycle
    kept = Node()
    try:
        settle()
        assert gone() is None  # collected before the freeze, not kept for ever
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # out of every generation a collection walks
        later = Node()
        assert any(o is later for o in gc.get_objects())  # what comes after is collected as usual
    finally:
        gc.unfreeze()
