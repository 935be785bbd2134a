"""Arrival cost benchmark (not a test): server CPU per visitor arriving, picking and leaving, against the echo floor.

    .venv/bin/python tests/bench/arrival_cost.py                          # embedded and scaled, 60 visitors
    .venv/bin/python tests/bench/arrival_cost.py --setups scaled --visitors 100

Visitors come one after another (nothing queues, so what is measured is cost, not waiting): each
fetches /build, then each opens the websocket with the page's hydrate event (its on_load runs), then
each picks `--picks` options, then each fetches the picture of its build (never seen: drawn), then a
picture the start-up precompute stored (on disk, not yet in memory), then its own picture again (held in
memory), then each leaves. The CPU time of the server's web processes (the
drawing processes left out: what a picture costs the worker is measured, not the drawing) is read
before and after each phase; the idle rate measured just before (schedules, sweeps) is taken off. The
echo floor (tests/bench/echo_server.py, replaying the bytes the app sent, and one picture for every
picture URL) is measured the same way in the same run, so each figure is also a ratio to what the
server, the socket and the bytes alone cost. Why: the load benchmark's slowest
answers came while visitors were arriving, an arrival costing about eight picks.
The last line is one JSON object.
"""

import argparse
import asyncio
import contextlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from tests.bench.load import (  # noqa: E402
    PICTURE_WIDTH,
    hatch_options,
    picture_on_screen,
    record_floor,
    serving,
    unchosen,
    url_pictures,
    warm_picture_cache,
    web_processes,
)
from tests.reflex_socket import BUILD_STATE, ReflexTab  # noqa: E402

IDLE_S = 3.0
SPILL_S = 1.0
STEPS = ("page", "arrival", "pick", "new picture", "stored picture", "held picture", "leaving")
SETTLE_S = 6.0  # past the scaled setup's state lease (5 s), so its write-back is counted with the picks


def web_cpu(pid: int) -> Callable[[], float]:
    """Seconds of CPU the server's web processes have used so far (its drawing processes left out)."""

    def used() -> float:
        total = 0.0
        for process in web_processes(pid):  # listed each time: a worker may have been replaced
            with contextlib.suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    return used


async def measure(base: str, used: Callable[[], float], visitors: int, picks: int) -> dict:
    options, rng = hatch_options(), random.Random(16)
    begin = used()
    await asyncio.sleep(IDLE_S)
    idle_rate = (used() - begin) / IDLE_S
    spent = dict.fromkeys(STEPS, 0.0)
    tabs = []
    sources: Counter[str] = Counter()

    async def phase(name: str, action) -> None:
        # Each step for every visitor in one measured stretch: psutil reads CPU in 10 ms ticks, too coarse
        # for one visitor's few milliseconds. What a step leaves behind (write-backs, tasks) counts as its own.
        began_cpu, began = used(), time.perf_counter()
        await action
        await asyncio.sleep(SPILL_S)
        spent[name] += used() - began_cpu - idle_rate * (time.perf_counter() - began)

    async with aiohttp.ClientSession() as http:

        async def all_pages() -> None:
            for _ in range(visitors):
                async with http.get(f"{base}/build") as response:
                    await response.read()

        async def all_arrive() -> None:
            for _ in range(visitors):
                tab = ReflexTab(base, "/build?model=hatch", timeout=60)
                await tab.open()
                tabs.append(tab)

        async def all_picks() -> None:
            for _ in range(picks):
                for tab in tabs:
                    choice = unchosen(tab, options, rng)
                    await tab.send(f"{BUILD_STATE}.pick", (BUILD_STATE, "choice_ids"), option_id=choice)
            await asyncio.sleep(SETTLE_S)

        async def all_pictures(expected: str) -> None:
            # Each tab's build after its picks: random, so nearly always never seen ("drawn"), the
            # second time held in memory. The drawing itself is the drawing process's CPU, not counted.
            for tab in tabs:
                path = picture_on_screen(tab)
                async with http.get(base + path) as response:
                    await response.read()
                    source = response.headers.get("Server-Timing", expected).split(";")[0]
                    sources[expected] += source == expected

        async def all_stored() -> None:
            # Pictures the server precomputed at start: in its disk store, not yet in a worker's memory.
            for path in stored_paths(visitors):
                async with http.get(base + path) as response:
                    await response.read()
                    sources["disk"] += response.headers.get("Server-Timing", "").startswith("disk;")

        async def all_leave() -> None:
            for tab in tabs:
                await tab.close()

        await phase("page", all_pages())
        await phase("arrival", all_arrive())
        await phase("pick", all_picks())
        await phase("new picture", all_pictures("drawn"))
        await phase("stored picture", all_stored())
        await phase("held picture", all_pictures("memory"))
        await phase("leaving", all_leave())
    counts = dict.fromkeys(STEPS, visitors) | {"pick": visitors * picks}
    return {name: round(1000 * max(spent[name], 0.0) / counts[name], 2) for name in spent} | {
        "idle_ms_per_s": round(1000 * idle_rate, 1),
        "pictures_as_named": dict(sources),  # how many of each phase's pictures came as its name says
    }


def stored_paths(count: int) -> list[str]:
    """`count` different pictures the server's start-up precompute put on disk, PICTURE_WIDTH wide."""
    pictures = url_pictures()
    keys = (key for key in pictures.precompute_keys() if key.width == PICTURE_WIDTH)
    return [key.url() for key, _ in zip(keys, range(count), strict=False)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", nargs="+", choices=["embedded", "scaled"], default=["embedded", "scaled"])
    parser.add_argument("--visitors", type=int, default=60)
    parser.add_argument("--picks", type=int, default=4)
    parser.add_argument("--pictures-from", type=Path, help="keep the warmed picture store in this folder")
    args = parser.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="motorjoy-arrivals-") as scratch:
        data_dir = Path(scratch)
        recording = data_dir / "echo-recording.json"
        warm_picture_cache(data_dir, args.pictures_from)
        for setup in [*args.setups, "floor"]:
            with serving(setup, data_dir, 30, recording) as server:
                if not recording.exists():
                    asyncio.run(record_floor(server.url, recording))
                used = web_cpu(server.process.pid)
                asyncio.run(measure(server.url, used, 5, 1))  # unrecorded: first-use costs
                results[setup] = asyncio.run(measure(server.url, used, args.visitors, args.picks))
                print(f"{setup:<9} {json.dumps(results[setup])}", flush=True)
    floor = results["floor"]
    print()
    print(f"{'setup':<9} " + " ".join(f"{step:>12}" for step in STEPS) + "   ms of CPU per visitor; × the floor")
    for setup, costs in results.items():
        cells = " ".join(f"{costs[k]:>12}" for k in STEPS)
        ratios = (
            ""
            if setup == "floor"
            else "   " + " ".join(f"{k} {costs[k] / floor[k]:.1f}×" for k in STEPS if floor[k] > 0)
        )
        print(f"{setup:<9} {cells}{ratios}")
    ratios = {
        setup: {k: round(costs[k] / floor[k], 1) for k in STEPS if floor[k] > 0}
        for setup, costs in results.items()
        if setup != "floor"
    }
    print(json.dumps({"cpu_ms": results, "ratio_to_floor": ratios, "visitors": args.visitors, "picks": args.picks}))


if __name__ == "__main__":
    main()
