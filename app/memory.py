"""What the garbage collector needn't look at again: everything a worker holds once it has started.

Python's full collection walks every container object in the process. Importing the app alone
makes about 175,000 of them (the compiled pages, Reflex's state classes, SQLAlchemy's models, the
catalogue), none of which ever becomes garbage, and a full collection of those took 129 ms of CPU
here, the event loop standing still meanwhile; a started worker holds about 298,000. Frozen once
at start-up, they are left out of every later collection (the same collection then took 0.0 ms),
which walks only what came after: the visitors' states and their sockets' tasks.

Frozen objects are still freed by reference counting; only cycles among them would stay, and
start-up's garbage is collected just before the freeze.

What comes after is walked too often. Python starts a full collection whenever a quarter as many
objects again have outlived two young collections. At 200 visitors the old generation still held
95,000-140,000 objects (the visitors' states, their sockets' tasks), and a full collection of them
stood the event loop still for 120-146 ms; arrivals set one off every 20-30 s, each a burst of late
answers. So a started worker makes full collections on a clock instead, at most one a minute (one
made meanwhile, such as the visitor sweep's after many leave, counts). Cycles that outlive the young
generations wait that long to be freed; the young collections are unchanged.
"""

import asyncio
import gc
import logging

log = logging.getLogger(__name__)

OLD_GENERATION_EVERY_S = 60.0
# gc's third threshold counts middle collections between full ones: at one a second, 30 years of them.
NEVER = 1_000_000_000


def settle() -> None:
    """Collect start-up's garbage, then leave what remains out of every later collection."""
    gc.collect()
    gc.freeze()
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)  # full collections come from collect_old_generation
    log.info("memory settled: %d start-up objects left out of later collections", gc.get_freeze_count())


def full_collections() -> int:
    return gc.get_stats()[2]["collections"]


def collect_if_none_since(seen: int) -> int:
    """A full collection unless one has been made since `seen` full collections; the count after."""
    if full_collections() == seen:
        gc.collect()
    return full_collections()


async def collect_old_generation(every_s: float = OLD_GENERATION_EVERY_S) -> None:
    """Every `every_s`, a full collection if none was made meanwhile (see the module's docstring)."""
    seen = full_collections()
    while True:
        await asyncio.sleep(every_s)
        seen = collect_if_none_since(seen)
