"""Picture store benchmark (not a test): a bounded disk store, and a hostile client slowed while a visitor isn't.

    .venv/bin/python tests/bench/pictures.py                        # 20,000 pictures, both parts
    .venv/bin/python tests/bench/pictures.py --pictures 2000 --skip-hostile

1. The disk store: `--pictures` distinct real pictures (custom colours, 400 wide) go through the
   picture cache with a `--limit-mb` store; the store's size is sampled throughout and must never pass
   the limit (plus one picture: a write evicts right after it lands).
2. The route: the embedded setup (as tests/bench/load.py starts it) with its miss limit. A hostile
   client asks for never-seen pictures as fast as it is answered; meanwhile a normal visitor asks
   for the picture of one of its picks every 2 s (builds one choice from the default: already
   drawn). Printed: the hostile client's answers (200s, 429s), the visitor's answer times against
   the same pictures fetched while the server is idle (the floor), and any visitor refusal (there
   must be none). Each client connects from a loopback address of its own (127.0.0.x), so the
   server tells them apart by address as it would
   real visitors. The last line is one JSON object.
"""

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from app.catalog import load_catalogue  # noqa: E402
from app.render import CarPictures  # noqa: E402

WIDTH = 400


def custom_key(pictures: CarPictures, n: int):
    catalogue = pictures.catalogue
    model = catalogue.models[n % len(catalogue.models)]
    build = catalogue.build_from(model.id, {"colour": "custom"}, hex=f"#{n * 2654435761 % 0xFFFFFF:06X}")
    return pictures.key(build, model.views[0], WIDTH)


def bounded_store(count: int, limit_mb: int, scratch: Path) -> dict:
    limit = limit_mb * 1024 * 1024
    pictures = CarPictures(load_catalogue(), scratch / "store", max_memory_bytes=0, max_disk_bytes=limit)
    largest_seen, biggest_picture, began = 0, 0, time.perf_counter()
    for n in range(count):
        data = pictures.picture(custom_key(pictures, n))
        biggest_picture = max(biggest_picture, len(data))
        if n % 50 == 0 or n == count - 1:
            largest_seen = max(largest_seen, pictures.cache.disk_bytes)
    files = sum(p.stat().st_size for p in (scratch / "store").rglob("*") if p.is_file())
    return {
        "pictures": count,
        "limit_mb": limit_mb,
        "largest_store_mb": round(largest_seen / 1e6, 1),
        "files_on_disk_mb_at_end": round(files / 1e6, 1),
        "under_limit": largest_seen <= limit + biggest_picture,
        "seconds": round(time.perf_counter() - began, 1),
    }


async def hostile(base: str, http: aiohttp.ClientSession, pictures: CarPictures, stop: float, tally: dict) -> None:
    n = 10_000_000
    while time.monotonic() < stop:
        n += 1
        async with http.get(base + custom_key(pictures, n).url()) as answer:
            await answer.read()
            tally[answer.status] = tally.get(answer.status, 0) + 1


async def visitor(base: str, http: aiohttp.ClientSession, paths: list[str], stop: float, times: list, refused: list):
    rng = random.Random(7)
    while time.monotonic() < stop:
        began = time.perf_counter()
        async with http.get(base + rng.choice(paths)) as answer:
            await answer.read()
            if answer.status != 200:
                refused.append(answer.status)
        times.append((time.perf_counter() - began) * 1000)
        await asyncio.sleep(2)


async def timed_fetches(base: str, http: aiohttp.ClientSession, paths: list[str], rounds: int) -> list[float]:
    times = []
    for path in paths[:rounds]:
        began = time.perf_counter()
        async with http.get(base + path) as answer:
            await answer.read()
        times.append((time.perf_counter() - began) * 1000)
    return times


def from_address(address: str) -> aiohttp.ClientSession:
    """A client whose connections come from `address` (any 127.0.0.x reaches a server on 0.0.0.0)."""
    connector = aiohttp.TCPConnector(limit=0, local_addr=(address, 0))
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60))


def visitor_paths(pictures: CarPictures, count: int = 40) -> list[str]:
    """What a visitor clicks through: the model's builds one option away from its default, 800 wide."""
    catalogue = pictures.catalogue
    model = catalogue.models[0]
    paths = []
    for slot in catalogue.choice_slots:
        for option in catalogue.options_for(model.id, slot):
            if not option.custom:
                build = catalogue.build_from(model.id, {slot: option.id})
                paths.append(pictures.key(build, model.views[0], 800).url())
    return paths[:count]


async def contest(base: str, pictures: CarPictures, seconds: float) -> dict:
    paths = visitor_paths(pictures)
    async with from_address("127.0.0.8") as idle, from_address("127.0.0.66") as bad, from_address("127.0.0.7") as good:
        await timed_fetches(base, idle, paths, len(paths))  # draws them (the idle client's own misses)
        floor = await timed_fetches(base, idle, paths, len(paths))  # what a drawn picture costs when idle
        tally: dict[int, int] = {}
        times: list[float] = []
        refused: list[int] = []
        stop = time.monotonic() + seconds
        await asyncio.gather(
            hostile(base, bad, pictures, stop, tally), visitor(base, good, paths, stop, times, refused)
        )

    def cut(values, q):
        return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1) if len(values) > 1 else None

    return {
        "seconds": seconds,
        "hostile_answers": {str(k): v for k, v in sorted(tally.items())},
        "visitor_requests": len(times),
        "visitor_refused": len(refused),
        "visitor_ms": {"p50": cut(times, 50), "p95": cut(times, 95)},
        "floor_ms": {"p50": cut(floor, 50), "p95": cut(floor, 95)},
        "visitor_ratio_p50": round(cut(times, 50) / cut(floor, 50), 1) if times and floor else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=20_000)
    parser.add_argument("--limit-mb", type=int, default=40, help="the store's limit in part 1 (the default is 300)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the hostile client keeps at it")
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--skip-hostile", action="store_true")
    args = parser.parse_args()
    result: dict = {}
    with tempfile.TemporaryDirectory(prefix="motorjoy-pictures-") as scratch:
        if not args.skip_store:
            result["store"] = bounded_store(args.pictures, args.limit_mb, Path(scratch))
            s = result["store"]
            print(
                f"store: {s['pictures']:,} pictures through a {s['limit_mb']} MB store: at most "
                f"{s['largest_store_mb']} MB, {s['files_on_disk_mb_at_end']} MB of files at the end "
                f"({'under' if s['under_limit'] else 'OVER'} the limit), {s['seconds']} s",
                flush=True,
            )
        if not args.skip_hostile:
            from tests.bench.load import serving, warm_picture_cache

            data_dir = Path(scratch) / "served"
            data_dir.mkdir()
            warm_picture_cache(data_dir)
            pictures = CarPictures(load_catalogue(), data_dir / "unused-cache")
            with serving("embedded", data_dir, idle_seconds=300, misses_per_minute=None) as server:
                result["hostile"] = asyncio.run(contest(server.url, pictures, args.seconds))
            h = result["hostile"]
            print(
                f"hostile client: {h['hostile_answers']}; visitor: {h['visitor_requests']} pictures, "
                f"{h['visitor_refused']} refused, p50 {h['visitor_ms']['p50']} ms vs idle {h['floor_ms']['p50']} ms "
                f"({h['visitor_ratio_p50']}×)",
                flush=True,
            )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
