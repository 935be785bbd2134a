"""Load benchmark (not a test): N simulated visitors on /build, each changing an option every 2 seconds.

    .venv/bin/python tests/bench/load.py                          # both setups and the floor, 200 visitors × 3
    .venv/bin/python tests/bench/load.py --setups embedded --visitors 50 200 --repeat 1 --crowd 0
    .venv/bin/python tests/bench/load.py --url http://localhost:3000 --visitors 100   # a server already running

Each setup is started with `quickstart.py serve` on a free port and stopped after its runs:
- embedded: the defaults (SQLite, visitors' state in memory, one worker);
- embedded-disk: the same with Reflex's disk state manager (the default before), for a before/after;
- scaled: PostgreSQL (a fresh schema) + Redis + MOTORJOY_WORKERS=2;
- floor: tests/bench/echo_server.py, a bare python-socketio server under Granian (one worker) that
  replays the bytes the embedded app sent for a page load and a pick (recorded in this run), so each
  figure is also printed as a ratio to the floor measured on the same machine in the same run. Its
  answer is always the same build, so its visitors fetch that build's pictures once, on their first
  pick: a lighter floor than the app's runs, where a pick fetches the piece it changed.
Every visitor count runs `--repeat` times in a row (the tail must not grow as visitors accumulate).
Then, on the embedded setup, a crowd of `--crowd` visitors arrives, picks twice and leaves; the
worker's RSS is printed before, right after, and once their states have expired (the server runs
with MOTORJOY_VISITOR_IDLE_SECONDS=`--idle-seconds`).
Each visitor fetches the /build page, opens the websocket with the page's hydrate event (on_load runs),
then every 2 seconds picks a random option, times the event round trip (emit → the update carrying
the new build), and fetches the new picture the way the browser would: the pictures of the build's
stack (800 wide, app/render/stack.py) that this visitor hasn't fetched before, all at once (the
browser keeps them: their URLs never change). Each run counts how many of those pictures the server
drew then (its Server-Timing) rather than had, and how many a crowded worker answered with a JPEG.
With `--without-pictures` (a diagnosis) they pick but fetch no picture, so the server draws and
serves none: the picks' own cost. With `--every-picture-stored` (another) every picture a visitor
could ask for is in the store beforehand, so the server serves pictures but draws none. Visitors
arrive spread over the first seconds; the picture disk cache is warmed before the servers start
(production keeps it between releases). Prints a table; the last line is one JSON object.

Under each run's row, where the time went, because every process here shares the same cores: how many
cores each part kept busy (the web workers, their drawing processes, Redis, PostgreSQL, these
simulated visitors, idle, and time the host stole); this process's own event-loop lag and the share of
the run it waited for a core (its delays are in every figure it times); the event p99 in each 5 s of
the run (the arrivals' ramp, or everyone's); when the slowest answers came, by the wall clock; and,
scaled, Redis commands per event. `--logs-to` keeps the servers' logs (with MOTORJOY_STALL_MS set,
where their event loops stood still), so the slowest answers can be looked up in them.
"""

import argparse
import asyncio
import contextlib
import functools
import gc
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil
import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from app.catalog import Build, BuildError, Catalogue, load_catalogue  # noqa: E402
from app.render import CarPictures, open_pictures  # noqa: E402
from app.render.encode import LIVE_METHOD  # noqa: E402
from tests.bench import echo_server  # noqa: E402
from tests.databases import fresh_schema, postgres_unreachable  # noqa: E402
from tests.reflex_socket import BUILD_STATE, ReflexTab  # noqa: E402

PICK_EVERY_S = 2.0
PICTURE_WIDTH = 800
GOAL_RATIO = 5  # event p99 within 5× the echo floor's: embedded at 200 visitors, scaled at 400
WINDOW_S = 5  # the event p99 is also given for each of these spans of a run
LAG_TICK_S = 0.005  # how often this process checks its own event loop's lateness
REDIS_URL = os.environ.get("MOTORJOY_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@dataclass
class Tally:
    """What all visitors of one run measured."""

    connect_ms: list[float] = field(default_factory=list)
    event_ms: list[float] = field(default_factory=list)
    picture_ms: list[float] = field(default_factory=list)
    pictures_drawn: int = 0  # of those, how many the server says it drew (Server-Timing) rather than had
    pictures_from: Counter = field(default_factory=Counter)  # where the server found each: memory, disk, drawn
    lag_ms: list[float] = field(default_factory=list)  # this process's own event loop lateness
    event_at: list[float] = field(default_factory=list)  # when each of event_ms was answered (monotonic)
    errors: Counter = field(default_factory=Counter)


def percentiles(values: list[float]) -> dict[str, float | None]:
    if len(values) < 2:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def hatch_options() -> list[str]:
    """Every non-custom option of the hatch: what a visitor clicks through (the rules fix clashes)."""
    return [option for slot in hatch_offer(load_catalogue()) for option in slot]


def hatch_offer(catalogue: Catalogue) -> list[list[str]]:
    """The hatch's non-custom options, slot by slot in `choice_slots` order."""
    return [
        [option.id for option in catalogue.options_for("hatch", slot) if not option.custom]
        for slot in catalogue.choice_slots
    ]


async def visitor(
    base: str,
    http: aiohttp.ClientSession,
    options: list[str],
    start: float,
    end: float,
    tally: Tally,
    picks: int | None = None,
    pictures: bool = True,
):
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
    seen: set[str] = set()  # the pictures this visitor's browser holds
    if picks is not None:  # a crowd visitor: a few quick picks, then gone
        for _ in range(picks):
            await pick_and_look(base, http, tab, unchosen(tab, options, rng), tally, pictures, seen)
        await tab.close()
        return
    next_pick = time.monotonic() + rng.uniform(0, PICK_EVERY_S)
    while (now := time.monotonic()) < end:
        await asyncio.sleep(next_pick - now)
        next_pick += PICK_EVERY_S
        await pick_and_look(base, http, tab, unchosen(tab, options, rng), tally, pictures, seen)
    await tab.close()


async def pick_and_look(
    base: str,
    http: aiohttp.ClientSession,
    tab: ReflexTab,
    option: str,
    tally: Tally,
    pictures: bool = True,
    seen: set[str] | None = None,
):
    began = time.perf_counter()
    try:  # the answer to a pick is the update that moves the build's choices
        await tab.send(f"{BUILD_STATE}.pick", (BUILD_STATE, "choice_ids"), option_id=option)
    except Exception as error:
        tally.errors[f"event: {type(error).__name__}"] += 1
        return
    tally.event_ms.append((time.perf_counter() - began) * 1000)
    tally.event_at.append(time.monotonic())
    paths = pictures_on_screen(tab)
    if paths is None:  # the server answered with no build (its state for this visitor was lost)
        tally.errors["event: no build"] += 1
        return
    if not pictures:  # a diagnosis: the picks alone, the server drawing and serving no picture
        return
    seen = set() if seen is None else seen
    new = [path for path in paths if path not in seen]
    if not new:  # every picture of this build is in the browser already
        return
    began = time.perf_counter()
    fetched = await asyncio.gather(*(fetch_picture(http, base + path, tally) for path in new))
    seen.update(path for path, ok in zip(new, fetched, strict=True) if ok)
    if all(fetched):
        tally.picture_ms.append((time.perf_counter() - began) * 1000)


async def fetch_picture(http: aiohttp.ClientSession, url: str, tally: Tally) -> bool:
    """Fetch one picture as the browser would; count where the server found it. False on an error."""
    try:
        async with http.get(url) as picture:
            await picture.read()
            if picture.status != 200:
                tally.errors[f"picture {picture.status}"] += 1
                return False
            timing = picture.headers.get("Server-Timing", "")
            source = timing.split(";")[0]
            tally.pictures_drawn += source == "drawn"
            # A crowded worker answers a never-seen WebP with its JPEG (app.render.route): told apart.
            tally.pictures_from[(source or "unsaid") + (" as jpeg" if timing.endswith(", crowd") else "")] += 1
            return True
    except Exception as error:
        tally.errors[f"picture: {type(error).__name__}"] += 1
        return False


@functools.cache
def url_pictures() -> CarPictures:
    return open_pictures(cache_dir=Path(tempfile.gettempdir()) / "motorjoy-load-urls")  # URLs only: draws nothing


def build_on_screen(tab: ReflexTab) -> tuple[Build, str] | None:
    """The build the tab now shows and its angle, as assets/predict.js reads them from the server's answer
    (a pick's answer carries the build, not picture URLs); None before the server has named one."""
    model, choices = tab.value(BUILD_STATE, "model_id"), tab.value(BUILD_STATE, "choice_ids")
    if not model or not choices:
        return None
    catalogue = url_pictures().catalogue
    custom = catalogue.option(choices.get("colour", "")).custom if choices.get("colour") else False
    build = catalogue.build_from(model, choices, tab.value(BUILD_STATE, "hex") if custom else None)
    return build, tab.value(BUILD_STATE, "view") or catalogue.model(model).views[0]


def picture_on_screen(tab: ReflexTab) -> str | None:
    """The PICTURE_WIDTH composite of the build the tab now shows (the page's first picture)."""
    shown = build_on_screen(tab)
    if shown is None:
        return None
    paths, _alt = url_pictures().paths_and_alt(*shown)
    return paths[url_pictures().catalogue.widths.index(PICTURE_WIDTH)]


def pictures_on_screen(tab: ReflexTab) -> list[str] | None:
    """The PICTURE_WIDTH pictures of the stack of the build the tab now shows (what a pick's picture is)."""
    shown = build_on_screen(tab)
    if shown is None:
        return None
    width = url_pictures().catalogue.widths.index(PICTURE_WIDTH)
    return [paths[width] for paths in url_pictures().stack_paths(*shown)]


def unchosen(tab: ReflexTab, options: list[str], rng: random.Random) -> str:
    """An option the tab's build hasn't got: a pick that changes something, as a visitor's click does."""
    chosen = set((tab.value(BUILD_STATE, "choice_ids") or {}).values())
    return rng.choice([option for option in options if option not in chosen] or options)


async def load(
    base: str, visitors: int, seconds: float, ramp: float, picks: int | None = None, pictures: bool = True
) -> dict:
    """Run `visitors` for `seconds` (arriving over `ramp` seconds) and summarise what they measured.

    With `picks`, each visitor instead picks that many times as fast as answered and leaves. Without
    `pictures`, no visitor fetches a picture (a diagnosis: the picks' own cost)."""
    tally = Tally()
    options = hatch_options()
    now = time.monotonic()
    end = now + ramp + seconds
    connector = aiohttp.TCPConnector(limit=0)
    waited_before = runqueue_wait_s()
    with no_pauses_of_our_own():
        lag = asyncio.create_task(own_lag(tally))
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
                starts = [now + ramp * i / visitors for i in range(visitors)]
                await asyncio.gather(
                    *(visitor(base, http, options, start, end, tally, picks, pictures) for start in starts)
                )
        finally:
            lag.cancel()
    waited = runqueue_wait_s() - waited_before
    return {
        "visitors": visitors,
        "events": len(tally.event_ms),
        "event_ms": percentiles(tally.event_ms),
        "picture_ms": percentiles(tally.picture_ms),
        "pictures": len(tally.picture_ms),
        "pictures_drawn": tally.pictures_drawn,
        "pictures_from": dict(tally.pictures_from),
        "connect_ms": percentiles(tally.connect_ms),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        # This process's own delays, which every figure above includes: its event loop's lateness, and
        # the share of the run its thread spent ready but waiting for a core the server was using.
        "visitors_lag_ms": percentiles(tally.lag_ms),
        "event_p99_ms_by_window": by_window(tally, now, ramp, end),
        "visitors_waited_for_a_core": round(waited / (time.monotonic() - now), 3),
        "slowest_events": slowest(tally),
    }


def slowest(tally: Tally, count: int = 8, to_wall: float | None = None) -> list[tuple[str, float]]:
    """The slowest answers (ms), slowest first, by the local wall clock when they came (`to_wall` turns a
    monotonic reading into a wall-clock one), to find them in the servers' logs."""
    if to_wall is None:
        to_wall = time.time() - time.monotonic()
    ranked = sorted(zip(tally.event_ms, tally.event_at, strict=True), reverse=True)[:count]
    return [(_clock(at + to_wall), round(ms, 1)) for ms, at in ranked]


def _clock(wall: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(wall)) + f".{round(wall % 1 * 1000) % 1000:03d}"


def by_window(tally: Tally, start: float, ramp: float, end: float) -> dict[str, float | None]:
    """Event p99 in each WINDOW_S seconds of the run: is the tail the arrivals' (the ramp) or everyone's?"""
    windows: dict[int, list[float]] = {}
    for ms, at in zip(tally.event_ms, tally.event_at, strict=True):
        windows.setdefault(int((at - start) // WINDOW_S), []).append(ms)
    return {
        f"{i * WINDOW_S}-{(i + 1) * WINDOW_S}{' (ramp)' if i * WINDOW_S < ramp else ''}": percentiles(windows[i])["p99"]
        for i in sorted(windows)
        if i * WINDOW_S < end - start
    }


async def own_lag(tally: Tally) -> None:
    """How late this process's event loop wakes from a 5 ms sleep, all run long."""
    while True:
        began = time.perf_counter()
        await asyncio.sleep(LAG_TICK_S)
        tally.lag_ms.append(max(0.0, (time.perf_counter() - began - LAG_TICK_S) * 1000))


def runqueue_wait_s() -> float:
    """Seconds this process's main thread has spent ready to run but waiting for a core (Linux's schedstat)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(Path(f"/proc/self/task/{os.getpid()}/schedstat").read_text().split()[1]) / 1e9
    return 0.0


@contextlib.contextmanager
def no_pauses_of_our_own() -> Iterator[None]:
    """No garbage collection in this process while visitors are timed. A full collection of the 200
    simulated visitors' sockets paused this process for 84-160 ms, twice a run, and every event in
    flight then looked that much slower, the app's and the echo floor's alike. The run's garbage is
    collected after it."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen, timeout: float = 300) -> None:
    """Until `ready()`; SystemExit if the server exits first or `what` takes longer than `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}; see its log")
        if ready():
            return
        time.sleep(0.5)
    raise SystemExit(f"{what} within {timeout} s")


def answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):
        return True
    return False


def layers_decoded(log: Path, workers: int) -> bool:
    """Whether every worker has logged its car layers decoded (app.render.pictures)."""
    return log.read_text(errors="replace").count("car layers decoded") >= workers


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    db_url: str | None = None  # set when the setup has a database of its own (scaled)


@contextlib.contextmanager
def serving(
    setup: str,
    data_dir: Path,
    idle_seconds: int,
    recording: Path | None = None,
    misses_per_minute: int | None = 1_000_000,
    logs_to: Path | None = None,
) -> Iterator[Server]:
    """Start `setup` on a free port (the app with `quickstart.py serve`, or the echo floor under Granian);
    yields it; stops its whole process group afterwards. Every simulated visitor comes from 127.0.0.1,
    so by default the per-client limit on never-seen pictures is lifted (None keeps the app's own)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REFLEX_DB_URL", "REFLEX_REDIS_URL", "MOTORJOY_WORKERS")}
    env |= {"MOTORJOY_PORT": str(port), "MOTORJOY_DATA_DIR": str(data_dir)}
    env["MOTORJOY_VISITOR_IDLE_SECONDS"] = str(idle_seconds)
    if misses_per_minute is not None:
        env["MOTORJOY_PICTURE_MISSES_PER_MINUTE"] = str(misses_per_minute)
    if setup == "embedded-disk":  # the embedded default before VisitorStates, for a before/after
        env["REFLEX_STATE_MANAGER_MODE"] = "disk"
    command = [sys.executable, str(ROOT / "quickstart.py"), "serve"]
    if setup == "floor":
        env["MOTORJOY_ECHO_RECORDING"] = str(recording)
        granian = Path(sys.executable).with_name("granian")
        command = [str(granian), "--interface", "asgi", "--port", str(port), "tests.bench.echo_server:app"]
    with contextlib.ExitStack() as stack:
        if setup.startswith("scaled"):
            if reason := postgres_unreachable():
                raise SystemExit(reason)
            env |= {"REFLEX_DB_URL": stack.enter_context(fresh_schema("bench")), "REFLEX_REDIS_URL": REDIS_URL}
            env["MOTORJOY_WORKERS"] = "2"
        log = stack.enter_context((data_dir / f"serve-{setup}.log").open("wb"))
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are its children: stop the whole group
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda: answers(f"{url}/ping"), f"{url} did not come up", server)
            if setup != "floor":
                # Each worker's drawing process decodes the layers once it is up: ~20 s of a core each,
                # which starves the workers on this 2-core machine. Measure the steady state after it.
                log_path, workers = data_dir / f"serve-{setup}.log", int(env.get("MOTORJOY_WORKERS", "1"))
                wait_until(lambda: layers_decoded(log_path, workers), "the layers weren't decoded", server)
            yield Server(url, server, env.get("REFLEX_DB_URL"))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            if logs_to:  # the data folder is a temporary one: keep the log for a look afterwards
                logs_to.mkdir(parents=True, exist_ok=True)
                shutil.copy(data_dir / f"serve-{setup}.log", logs_to)


def server_tree(pid: int) -> list[psutil.Process]:
    """The server's processes: `pid` and its descendants (none once it has gone)."""
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    return []


def is_drawing(process: psutil.Process) -> bool:
    """A worker's drawing process (app/render/drawing.py, started through multiprocessing)."""
    return any("multiprocessing" in part for part in process.cmdline())


def web_processes(pid: int) -> list[psutil.Process]:
    """The server's web processes: its tree less the workers' drawing processes, which hold no visitor's state."""
    members = []
    for member in server_tree(pid):
        with contextlib.suppress(psutil.Error):
            if not is_drawing(member):
                members.append(member)
    return members


def worker_rss_mb(process: subprocess.Popen) -> float:
    """The resident memory of the biggest web process in the server's tree (the worker holding the states);
    the drawing processes (the decoded layers, a fixed ~500 MB) are left out."""
    sizes = []
    for member in web_processes(process.pid):
        with contextlib.suppress(psutil.Error):
            sizes.append(member.memory_info().rss)
    return round(max(sizes) / 1e6, 1)


async def record_floor(base: str, path: Path) -> None:
    """What the embedded app sent one visitor for a page load and a pick, for the echo floor to replay."""
    option = hatch_options()[1]
    recording = await echo_server.record(
        base,
        "/build?model=hatch",
        (f"{BUILD_STATE}.pick", {"option_id": option}),
        (BUILD_STATE, "choice_ids"),
        picture_on_screen,
    )
    path.write_text(json.dumps(recording))


def crowd(server: Server, visitors: int, ramp: float, idle_seconds: int) -> dict:
    """`visitors` arrive over `ramp` s, pick twice and leave; the worker's RSS before, after, and once expired."""
    before = worker_rss_mb(server.process)
    result = asyncio.run(load(server.url, visitors, 0, ramp, picks=2))
    after = worker_rss_mb(server.process)
    time.sleep(idle_seconds + 20)  # the idle time, a sweep, and the trim after it
    return {
        "visitors": visitors,
        "rss_mb_before": before,
        "rss_mb_after_visit": after,
        "rss_mb_after_leaving": worker_rss_mb(server.process),
        "idle_seconds": idle_seconds,
        "event_ms": result["event_ms"],
        "errors": result["errors"],
        "error_kinds": result["error_kinds"],
    }


def warm_picture_cache(data_dir: Path, kept: Path | None = None, every: bool = False) -> None:
    """Precompute the pictures production would hold into `data_dir`; with `kept`, into that folder once
    (later runs only top it up) and copy it in, so each run starts from the same warmed store. With
    `every`, also every picture a visitor could ask for (a diagnosis: the server then draws none), kept
    in a folder of its own under `kept`, so the usual store stays as production would have it."""
    started = time.perf_counter()
    if kept and every:
        kept = kept / "every-picture"
    pictures = open_pictures(cache_dir=(kept or data_dir) / "render-cache")
    count = pictures.precompute() + (store_every_picture(pictures) if every else 0)
    if kept:
        shutil.copytree(kept / "render-cache", data_dir / "render-cache")
    print(f"picture cache warmed: {count} pictures in {time.perf_counter() - started:.0f} s", flush=True)


def store_every_picture(pictures: CarPictures) -> int:
    """Every hatch build's picture as the visitors fetch it (hero angle, PICTURE_WIDTH, WebP), drawn the
    way a waiting visitor's is: 12,096 builds, about 275 MB, within the store's default 300 MB."""
    catalogue = pictures.catalogue
    slots = catalogue.choice_slots
    view = catalogue.model("hatch").views[0]
    drawn = 0
    for choices in itertools.product(*hatch_offer(catalogue)):
        try:
            build = catalogue.build_from("hatch", dict(zip(slots, choices, strict=True)))
        except BuildError:  # a clash the rules refuse: no visitor gets there
            continue
        key = pictures.key(build, view, PICTURE_WIDTH)
        drawn += pictures.cache.ensure_on_disk(key, lambda k: pictures.render(k, LIVE_METHOD))
    return drawn


def row(setup: str, result: dict) -> str:
    event, picture = result["event_ms"], result["picture_ms"]
    ratio = result.get("event_ratio_to_floor") or {}
    return (
        f"{setup:<9} {result['visitors']:>8} {result['events']:>7} "
        f"{event['p50']!s:>7} {event['p95']!s:>7} {event['p99']!s:>7} "
        f"{picture['p50']!s:>7} {picture['p95']!s:>7} {picture['p99']!s:>7} "
        f"{result.get('pictures_drawn', 0):>6}/{result.get('pictures', 0):<6} {result['errors']:>6} "
        f"{ratio.get('p95', '')!s:>7} {ratio.get('p99', '')!s:>7}"
    )


HEADER = (
    f"{'setup':<9} {'visitors':>8} {'events':>7} {'ev p50':>7} {'ev p95':>7} {'ev p99':>7} "
    f"{'pic p50':>7} {'pic p95':>7} {'pic p99':>7} {'drawn/pictures':>13} {'errors':>6} {'×fl p95':>7} {'×fl p99':>7}"
)


def median_cuts(runs: list[dict]) -> dict:
    """Each event percentile's median over repeated runs (the floor's, so one noisy run sets no ratio)."""
    return {
        cut: statistics.median(values) if (values := [r["event_ms"][cut] for r in runs if r["event_ms"][cut]]) else None
        for cut in ("p50", "p95", "p99")
    }


def with_ratios(result: dict, floor: dict | None) -> dict:
    """The result with its event percentiles divided by the floor's at the same visitor count."""
    if floor:
        result["event_ratio_to_floor"] = {
            cut: round(result["event_ms"][cut] / floor["event_ms"][cut], 1)
            for cut in ("p50", "p95", "p99")
            if result["event_ms"][cut] and floor["event_ms"][cut]
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--setups",
        nargs="+",
        choices=["embedded", "embedded-disk", "scaled"],
        default=["embedded", "scaled"],
    )
    parser.add_argument("--visitors", nargs="+", type=int, default=[200])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each visitor count, one after another")
    parser.add_argument("--seconds", type=float, default=30, help="how long each run measures, after the ramp")
    parser.add_argument("--ramp", type=float, default=10, help="visitors arrive spread over this many seconds")
    parser.add_argument("--crowd", type=int, default=2000, help="embedded: visitors who come, pick twice, leave")
    parser.add_argument("--crowd-ramp", type=float, default=60, help="the crowd arrives over this many seconds")
    parser.add_argument("--idle-seconds", type=int, default=30, help="MOTORJOY_VISITOR_IDLE_SECONDS for the servers")
    parser.add_argument("--url", help="measure this running server instead of starting the setups")
    parser.add_argument(
        "--pictures-from", type=Path, help="keep the warmed picture store in this folder between invocations"
    )
    parser.add_argument(
        "--without-pictures",
        action="store_true",
        help="a diagnosis: visitors pick but fetch no picture, so the server draws and serves none",
    )
    parser.add_argument(
        "--every-picture-stored",
        action="store_true",
        help="a diagnosis: store every picture a visitor could ask for beforehand, so the server draws none",
    )
    parser.add_argument("--logs-to", type=Path, help="copy each server's log into this folder when it stops")
    args = parser.parse_args()

    results: dict[str, list[dict]] = {}
    crowds: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="motorjoy-load-") as scratch:
        data_dir = Path(scratch)
        recording = data_dir / "echo-recording.json"
        if args.url:
            runs = [("url", contextlib.nullcontext(Server(args.url, None)))]  # type: ignore[arg-type]
        else:
            warm_picture_cache(data_dir, args.pictures_from, args.every_picture_stored)
            runs = [(setup, serving(setup, data_dir, args.idle_seconds, logs_to=args.logs_to)) for setup in args.setups]
        for setup, context in runs:
            with context as server:
                # Unrecorded: every worker decodes its layers on its first new picture.
                asyncio.run(load(server.url, 10, 5, 1))
                if not recording.exists():
                    asyncio.run(record_floor(server.url, recording))
                measure(setup, server, args, results)
                if setup.startswith("embedded") and args.crowd:
                    crowds[setup] = crowd(server, args.crowd, args.crowd_ramp, args.idle_seconds)
                    print(f"crowd: {json.dumps(crowds[setup])}", flush=True)
        with serving("floor", data_dir, args.idle_seconds, recording) as floor:
            asyncio.run(load(floor.url, 10, 5, 1))
            measure("floor", floor, args, results)
    floors = {
        count: {"event_ms": median_cuts([r for r in results.get("floor", []) if r["visitors"] == count])}
        for count in args.visitors
    }
    for setup, setup_runs in results.items():
        if setup != "floor":
            for result in setup_runs:
                with_ratios(result, floors.get(result["visitors"]))
    print()
    print(HEADER)
    for setup, setup_runs in results.items():
        for result in setup_runs:
            print(row(setup, result))
    goal = {}
    for setup, setup_runs in results.items():
        # The goals: the embedded default at 200 visitors, the scaled setup at 400.
        counted = [r for r in setup_runs if r["visitors"] == (400 if setup.startswith("scaled") else 200)]
        if setup != "floor" and counted:
            goal[setup] = all(
                r["errors"] == 0 and r.get("event_ratio_to_floor", {}).get("p99", 1e9) <= GOAL_RATIO for r in counted
            )
            print(
                f"goal ({setup}, {counted[0]['visitors']} visitors, every run: event p99 ≤ {GOAL_RATIO}× the floor, "
                f"no errors): {'met' if goal[setup] else 'not met'}"
            )
    for setup, c in crowds.items():
        print(
            f"{setup}, a crowd of {c['visitors']}: worker RSS {c['rss_mb_before']} MB before, "
            f"{c['rss_mb_after_visit']} MB with them, {c['rss_mb_after_leaving']} MB after they left"
        )
    print(json.dumps({"results": results, "crowds": crowds, "goal_met": goal, "cpus": os.cpu_count()}))


def measure(setup: str, server: Server, args: argparse.Namespace, results: dict[str, list[dict]]) -> None:
    for visitors in args.visitors:
        for _ in range(args.repeat):
            before, began, commands = cpu_seconds(server), time.monotonic(), redis_commands(server)
            result = asyncio.run(
                load(server.url, visitors, args.seconds, args.ramp, pictures=not args.without_pictures)
            )
            result["cores_busy"] = cores_busy(before, cpu_seconds(server), time.monotonic() - began)
            if server.db_url:  # scaled: what the visitors' states cost Redis
                events = result["events"] + visitors  # picks, and each arrival's hydrate
                result["redis_commands_per_event"] = round((redis_commands(server) - commands) / max(events, 1), 2)
            results.setdefault(setup, []).append(result)
            print(row(setup, result), flush=True)
            print(
                f"{'':<9} cores busy: {json.dumps(result['cores_busy'])}; the visitors' own loop lag p99 "
                f"{result['visitors_lag_ms']['p99']} ms, waited for a core {result['visitors_waited_for_a_core']:.0%}",
                flush=True,
            )
            print(f"{'':<9} event p99 by {WINDOW_S} s: {json.dumps(result['event_p99_ms_by_window'])}", flush=True)
            print(f"{'':<9} slowest answers (when, ms): {json.dumps(result['slowest_events'])}", flush=True)
            print(f"{'':<9} pictures from: {json.dumps(result['pictures_from'])}", flush=True)
            if "redis_commands_per_event" in result:
                print(f"{'':<9} Redis commands per event: {result['redis_commands_per_event']}", flush=True)


def redis_commands(server: Server) -> int:
    """Commands the scaled setup's Redis has processed so far (0 for a setup without one)."""
    if not server.db_url:
        return 0
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return int(client.info("stats")["total_commands_processed"])
    finally:
        client.close()


def role(process: psutil.Process, server_pids: set[int]) -> str:
    """What part of the run a process on this machine plays, for where the CPU went."""
    if process.pid == os.getpid():
        return "visitors"  # this benchmark's simulated visitors: on the same cores as the server
    if process.pid in server_pids:
        return "drawing" if is_drawing(process) else "web"
    name = process.name()
    return "redis" if name.startswith("redis") else "postgres" if name.startswith("postg") else "other"


def cpu_seconds(server: Server) -> dict[tuple[int, str], float]:
    """CPU seconds used so far by every process on the machine, keyed by (pid, role), and the idle and stolen time."""
    server_pids = {member.pid for member in server_tree(server.process.pid)} if server.process else set()
    machine = psutil.cpu_times()
    # Steal: time the host gave this virtual machine's cores to someone else (a noisy neighbour).
    seconds: dict[tuple[int, str], float] = {(0, "idle"): machine.idle, (0, "steal"): getattr(machine, "steal", 0.0)}
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            seconds[(process.pid, role(process, server_pids))] = times.user + times.system
    return seconds


def cores_busy(before: dict[tuple[int, str], float], after: dict[tuple[int, str], float], wall: float) -> dict:
    """How many cores each role kept busy over `wall` seconds (a process that ended meanwhile is left out)."""
    busy: Counter = Counter()
    for key, seconds in after.items():
        busy[key[1]] += seconds - before.get(key, 0.0)
    return {name: round(value / wall, 2) for name, value in busy.most_common()}


if __name__ == "__main__":
    main()
