"""Benchmark (not a test): never-seen pictures from the drawing process when the machine has no spare time.

    .venv/bin/python tests/bench/busy_drawing.py --pictures 8

The drawing process draws at nice 10, off one core (see app/render/drawing.py). Here one busy loop
per core at the normal priority leaves no spare time at all, and pictures are drawn one after
another, as a web worker asks for them, in two phases, each with a drawing process of its own:

- floor: the machine otherwise idle;
- busy: the busy loops running.

Each picture is given up after `--give-up` seconds. Prints each phase's p50 and slowest picture and
the busy phase's ratio to the floor; the last line is one JSON object. Why: drawing in spare time
(the `SCHED_IDLE` class) was tried, and on a busy machine a picture took 16 s (see the README).
"""

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script: the checkout's packages

from app.catalog import Catalogue, load_catalogue
from app.render import render_key
from app.render.drawing import DrawingProcess, _draw, pickled
from app.render.encode import LIVE_METHOD

MODEL, VIEW, WIDTH = "hatch", "side", 800


def _spin() -> None:
    while True:
        pass


def _picture_times(catalogue: Catalogue, drawer: DrawingProcess, colours: list[str], give_up: float) -> list[float]:
    """Seconds each never-seen picture took, asked one after another; `math.inf` for one given up on."""
    data = pickled(catalogue)
    child = drawer._running()  # awaited as a web worker awaits it, so a picture can be given up on

    async def each() -> list[float]:
        took = []
        for hex_code in colours:
            build = catalogue.build_from(MODEL, {"colour": "custom"}, hex=hex_code)
            key = render_key(catalogue, build, VIEW, WIDTH)
            started = time.perf_counter()
            try:
                await asyncio.wait_for(child.ask(_draw, data, key, LIVE_METHOD), give_up)
                took.append(time.perf_counter() - started)
            except TimeoutError:
                took.append(math.inf)
        return took

    return asyncio.run(each())


def _phase(catalogue: Catalogue, colours: list[str], busy: bool, give_up: float) -> list[float]:
    drawer = DrawingProcess()
    context = multiprocessing.get_context("spawn")
    spinners = [context.Process(target=_spin, daemon=True) for _ in os.sched_getaffinity(0)]
    try:
        drawer.load_layers(pickled(catalogue), [(MODEL, VIEW)])
        if busy:
            for spinner in spinners:
                spinner.start()
            time.sleep(1.0)  # the loops are running on every core
        return _picture_times(catalogue, drawer, colours, give_up)
    finally:
        for spinner in spinners:
            if spinner.pid is not None:
                spinner.kill()
                spinner.join()
        drawer.close()


def _summary(took: list[float]) -> dict:
    finite = [seconds for seconds in took if math.isfinite(seconds)]
    p50 = statistics.median(took)
    return {
        "pictures": len(took),
        "given_up": len(took) - len(finite),
        "p50_ms": round(p50 * 1000, 1) if math.isfinite(p50) else None,
        "slowest_ms": round(max(finite) * 1000, 1) if len(finite) == len(took) else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pictures", type=int, default=8, help="never-seen pictures a phase")
    parser.add_argument("--give-up", type=float, default=10.0, help="seconds before a picture is given up on")
    args = parser.parse_args()
    if not 1 <= args.pictures <= 256:  # each phase's paints differ in one hex byte
        parser.error("--pictures takes 1 to 256")
    if args.give_up <= 0:
        parser.error("--give-up takes a number of seconds above 0")
    catalogue = load_catalogue()
    results = {}
    for number, (name, busy) in enumerate({"floor": False, "busy": True}.items()):
        colours = [f"#{number:02X}{index:02X}7F" for index in range(args.pictures)]  # never seen by any phase
        results[name] = _summary(_phase(catalogue, colours, busy, args.give_up))
        print(f"{name:<6} {json.dumps(results[name])}", flush=True)
    floor, busy_p50 = results["floor"]["p50_ms"], results["busy"]["p50_ms"]
    results["busy"]["p50_ratio_to_floor"] = round(busy_p50 / floor, 1) if busy_p50 is not None and floor else None
    print(json.dumps({"cores": len(os.sched_getaffinity(0)), "results": results}))


if __name__ == "__main__":
    main()
