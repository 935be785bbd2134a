"""Load benchmark (not a test): N simulated visitors on /build, each changing an option every 2 seconds.

    .venv/bin/python tests/bench/load.py                          # both setups, 50/100/200 visitors
    .venv/bin/python tests/bench/load.py --setups scaled --visitors 200
    .venv/bin/python tests/bench/load.py --url http://localhost:3000 --visitors 100   # a server already running

Each setup is started with `quickstart.py serve` on a free port and stopped after its runs:
- embedded: the defaults (SQLite, Reflex's disk state manager, one worker);
- scaled: PostgreSQL (a fresh schema) + Redis + MOTORJOY_WORKERS=2.
Each visitor fetches the /build page, opens the websocket with the page's hydrate event (on_load runs),
then every 2 seconds picks a random option, times the event round trip (emit → the update carrying
the new picture paths), and fetches the new picture (the 800-wide WebP) the way the browser would.
Visitors arrive spread over the first seconds; the picture disk cache is warmed before the servers
start (production keeps it between releases). Prints a table; the last line is one JSON object.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from app.catalog import load_catalogue  # noqa: E402
from app.render import open_pictures  # noqa: E402
from tests.databases import fresh_schema, postgres_unreachable  # noqa: E402
from tests.reflex_socket import BUILD_STATE, ReflexTab  # noqa: E402

PICK_EVERY_S = 2.0
PICTURE_WIDTH = 800
GOAL_P99_MS = 150
REDIS_URL = os.environ.get("MOTORJOY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@dataclass
class Tally:
    """What all visitors of one run measured."""

    connect_ms: list[float] = field(default_factory=list)
    event_ms: list[float] = field(default_factory=list)
    picture_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


def percentiles(values: list[float]) -> dict[str, float | None]:
    if len(values) < 2:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def hatch_options() -> list[str]:
    """Every non-custom option of the hatch: what a visitor clicks through (the rules fix clashes)."""
    catalogue = load_catalogue()
    return [
        option.id
        for slot in catalogue.choice_slots
        for option in catalogue.options_for("hatch", slot)
        if not option.custom
    ]


async def visitor(base: str, http: aiohttp.ClientSession, options: list[str], start: float, end: float, tally: Tally):
    rng = random.Random()
    await asyncio.sleep(start - time.monotonic())
    tab = ReflexTab(base, "/build?model=hatch", timeout=30)
    try:
        async with http.get(f"{base}/build") as page:
            await page.read()
            if page.status != 200:
                tally.errors[f"page {page.status}"] += 1
        began = time.perf_counter()
        await tab.open()
        tally.connect_ms.append((time.perf_counter() - began) * 1000)
    except Exception as error:  # a visitor who can't even load the page is one error, not a crash
        tally.errors[f"connect: {type(error).__name__}"] += 1
        await tab.close()
        return
    next_pick = time.monotonic() + rng.uniform(0, PICK_EVERY_S)
    while (now := time.monotonic()) < end:
        await asyncio.sleep(next_pick - now)
        next_pick += PICK_EVERY_S
        await pick_and_look(base, http, tab, rng.choice(options), tally)
    await tab.close()


async def pick_and_look(base: str, http: aiohttp.ClientSession, tab: ReflexTab, option: str, tally: Tally):
    began = time.perf_counter()
    try:
        delta = await tab.send(f"{BUILD_STATE}.pick", (BUILD_STATE, "picture_paths"), option_id=option)
    except Exception as error:
        tally.errors[f"event: {type(error).__name__}"] += 1
        return
    tally.event_ms.append((time.perf_counter() - began) * 1000)
    paths = delta[BUILD_STATE]["picture_paths_rx_state_"]
    path = next(p for p in paths if f"/{PICTURE_WIDTH}/" in p)
    began = time.perf_counter()
    try:
        async with http.get(base + path) as picture:
            await picture.read()
            if picture.status != 200:
                tally.errors[f"picture {picture.status}"] += 1
                return
    except Exception as error:
        tally.errors[f"picture: {type(error).__name__}"] += 1
        return
    tally.picture_ms.append((time.perf_counter() - began) * 1000)


async def load(base: str, visitors: int, seconds: float, ramp: float) -> dict:
    """Run `visitors` for `seconds` (arriving over `ramp` seconds) and summarise what they measured."""
    tally = Tally()
    options = hatch_options()
    now = time.monotonic()
    end = now + ramp + seconds
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
        starts = [now + ramp * i / visitors for i in range(visitors)]
        await asyncio.gather(*(visitor(base, http, options, start, end, tally) for start in starts))
    return {
        "visitors": visitors,
        "events": len(tally.event_ms),
        "event_ms": percentiles(tally.event_ms),
        "picture_ms": percentiles(tally.picture_ms),
        "connect_ms": percentiles(tally.connect_ms),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}; see its log")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):
            return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not come up in {timeout} s")


@contextlib.contextmanager
def serving(setup: str, data_dir: Path) -> Iterator[str]:
    """Start `quickstart.py serve` for `setup` on a free port; yields its URL; stops it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REFLEX_DB_URL", "REFLEX_REDIS_URL", "MOTORJOY_WORKERS")}
    env |= {"MOTORJOY_PORT": str(port), "MOTORJOY_DATA_DIR": str(data_dir)}
    with contextlib.ExitStack() as stack:
        if setup == "scaled":
            if reason := postgres_unreachable():
                raise SystemExit(reason)
            env |= {"REFLEX_DB_URL": stack.enter_context(fresh_schema("bench")), "REFLEX_REDIS_URL": REDIS_URL}
            env["MOTORJOY_WORKERS"] = "2"
        log = stack.enter_context((data_dir / f"serve-{setup}.log").open("wb"))
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "quickstart.py"), "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are its children: stop the whole group
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(f"{url}/ping", server)
            yield url
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def warm_picture_cache(data_dir: Path) -> None:
    started = time.perf_counter()
    count = open_pictures(cache_dir=data_dir / "render-cache").precompute()
    print(f"picture cache warmed: {count} pictures in {time.perf_counter() - started:.0f} s", flush=True)


def row(setup: str, result: dict) -> str:
    event, picture = result["event_ms"], result["picture_ms"]
    return (
        f"{setup:<9} {result['visitors']:>8} {result['events']:>7} "
        f"{event['p50']!s:>7} {event['p95']!s:>7} {event['p99']!s:>7} "
        f"{picture['p50']!s:>7} {picture['p95']!s:>7} {picture['p99']!s:>7} {result['errors']:>6}"
    )


HEADER = (
    f"{'setup':<9} {'visitors':>8} {'events':>7} {'ev p50':>7} {'ev p95':>7} {'ev p99':>7} "
    f"{'pic p50':>7} {'pic p95':>7} {'pic p99':>7} {'errors':>6}"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", nargs="+", choices=["embedded", "scaled"], default=["embedded", "scaled"])
    parser.add_argument("--visitors", nargs="+", type=int, default=[50, 100, 200])
    parser.add_argument("--seconds", type=float, default=30, help="how long each run measures, after the ramp")
    parser.add_argument("--ramp", type=float, default=10, help="visitors arrive spread over this many seconds")
    parser.add_argument("--url", help="measure this running server instead of starting the setups")
    args = parser.parse_args()

    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="motorjoy-load-") as scratch:
        data_dir = Path(scratch)
        if not args.url:
            warm_picture_cache(data_dir)
        for setup in [args.url] if args.url else args.setups:
            with contextlib.nullcontext(setup) if args.url else serving(setup, data_dir) as base:
                # Unrecorded: every worker decodes its layers on its first new picture.
                asyncio.run(load(base, 10, 5, 1))
                for visitors in args.visitors:
                    result = asyncio.run(load(base, visitors, args.seconds, args.ramp))
                    results.setdefault(setup, []).append(result)
                    print(row(setup if not args.url else "url", result), flush=True)
    print()
    print(HEADER)
    for setup, runs in results.items():
        for result in runs:
            print(row(setup if not args.url else "url", result))
    scaled = results.get("scaled", [])
    goal = [r for r in scaled if r["visitors"] == 200]
    met = bool(goal) and all(r["errors"] == 0 and (r["event_ms"]["p99"] or 1e9) <= GOAL_P99_MS for r in goal)
    print(f"goal (scaled, 200 visitors: p99 event ≤ {GOAL_P99_MS} ms, no errors): {'met' if met else 'not met'}")
    print(json.dumps({"results": results, "goal_met": met, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
