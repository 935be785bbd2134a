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
answers. So a started worker makes full collections itself instead (one made meanwhile, such as the
visitor sweep's after many leave, counts); the young collections are unchanged.

Once a minute was still too often. With two workers at 400 visitors, each full collection held a
worker's event loop 140-210 ms, and one landed in most 40-second load runs: each run's slowest
answers. What a collection walks is mostly alive (the visitors' states and sockets, 65-75 thousand
objects a worker after it), and the garbage it finds grows about 45 thousand objects a minute, so a
collection every minute walked the same live objects again and again to free little. A worker now
makes one when its old generation has grown by about 200,000 objects since the last (about three
times what it holds alive at 200 visitors), or after `OLD_GENERATION_EVERY_S` at the latest: two
scaled load runs (115 s) then saw none, where there had been one a minute; each pause is as long as
before. Cycles that outlive the young generations wait that long to be freed.

The growth is read from the blocks Python's allocator has handed out, not by listing the old
generation: the list took 10-34 ms of the event loop at 80,000-177,000 objects (every 10 s, in
each worker, so it was itself a source of late answers), the count takes 0.2-0.3 ms. Over a scaled
load run the old generation grew by 172,000 objects as the blocks grew by 555,000, so
`GROWTH_BLOCKS` stands for about 200,000 objects.
"""

import asyncio
import gc
import logging
import sys
import time

log = logging.getLogger(__name__)

OLD_GENERATION_EVERY_S = 300.0  # the longest between two full collections
GROWTH_BLOCKS = 640_000  # or sooner: once this many more blocks are allocated (~200,000 objects)
CHECK_EVERY_S = 10.0
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


def allocated_blocks() -> int:
    """How much Python has allocated, in blocks: it grows with the old generation, and is cheap to read."""
    return sys.getallocatedblocks()


def full_collection_due(seconds_since: float, grown_by: int, every_s: float, growth: int) -> bool:
    return seconds_since >= every_s or grown_by >= growth


async def collect_old_generation(
    every_s: float = OLD_GENERATION_EVERY_S, growth: int = GROWTH_BLOCKS, check_s: float = CHECK_EVERY_S
) -> None:
    """Every `check_s`, a full collection if one is due (see the module's docstring)."""
    seen, since, after = full_collections(), time.monotonic(), allocated_blocks()
    while True:
        await asyncio.sleep(check_s)
        if full_collections() == seen:  # else one was made meanwhile: count from it
            if not full_collection_due(time.monotonic() - since, allocated_blocks() - after, every_s, growth):
                continue
            gc.collect()
        seen, since, after = full_collections(), time.monotonic(), allocated_blocks()
