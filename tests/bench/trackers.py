"""Idle trackers benchmark (not a test): what 1,000 open, idle tracker tabs cost the server, and how fast news lands.

    .venv/bin/python tests/bench/trackers.py                 # 1,000 tabs, 60 s idle, the embedded setup
    .venv/bin/python tests/bench/trackers.py --tabs 200 --idle 30 --setup scaled

Starts the setup as tests/bench/load.py does, then measures the server's CPU time (its whole process
tree) over `--idle` seconds three ways: with no tab open (the floor: the server's own timers), with
`--tabs` tabs open on one order's private tracking link and doing nothing, and the difference, as a
share of one core; the goal is checked on the whole server with the tabs open. Then the feed stores
a new stage for that order and the time until every tab has the news is printed. The last line is
one JSON object.
"""

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

from tests.bench.load import serving, warm_picture_cache  # noqa: E402
from tests.reflex_socket import ROOT_STATE, ReflexTab  # noqa: E402

TRACK_STATE = f"{ROOT_STATE}.app___tracking___state____track_state"
ORDER = "MJ8CJP2W"  # a demo order awaiting transport
GOAL_SHARE = 0.05  # of one core


def cpu_seconds(pid: int) -> float:
    parent = psutil.Process(pid)
    total = 0.0
    for member in [parent, *parent.children(recursive=True)]:
        try:
            times = member.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


async def share_of_a_core(pid: int, seconds: float) -> float:
    before = cpu_seconds(pid)
    await asyncio.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


async def run(url: str, pid: int, link: str, feed_token: str, tabs: int, idle: float, ramp: float) -> dict:
    await asyncio.sleep(30)  # start-up work (layer decoding, the first schedules) is not the floor
    floor = await share_of_a_core(pid, idle)
    opened: list[ReflexTab] = []

    async def open_one(delay: float) -> None:
        await asyncio.sleep(delay)
        tab = ReflexTab(url, link, timeout=60)
        await tab.open()
        opened.append(tab)

    await asyncio.gather(*(open_one(ramp * i / tabs) for i in range(tabs)))
    await asyncio.sleep(5)  # the last page loads settle
    with_tabs = await share_of_a_core(pid, idle)
    event = {"event_id": f"bench-{time.time()}", "order_number": ORDER, "stage": "at_sea"}
    event["occurred_at"] = datetime.now(UTC).isoformat()
    began = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        answer = await client.post(
            f"{url}/feed/events", json={"events": [event]}, headers={"Authorization": f"Bearer {feed_token}"}
        )
    answer.raise_for_status()
    told = await asyncio.gather(
        *(tab.wait_for(lambda d: "stage_label_rx_state_" in d.get(TRACK_STATE, {})) for tab in opened),
        return_exceptions=True,
    )
    all_told_s = time.perf_counter() - began
    await asyncio.gather(*(tab.close() for tab in opened), return_exceptions=True)
    return {
        "tabs": len(opened),
        "idle_seconds": idle,
        "floor_share_of_a_core": round(floor, 4),
        "with_tabs_share_of_a_core": round(with_tabs, 4),
        "tabs_cost_share_of_a_core": round(max(0.0, with_tabs - floor), 4),
        "tabs_told": sum(1 for t in told if not isinstance(t, BaseException)),
        "all_told_seconds": round(all_told_s, 2),
        "goal_met": with_tabs < GOAL_SHARE,  # the whole server, tabs and all, under the goal
    }


def prepare(data_dir: Path, db_url: str | None) -> tuple[str, str]:
    """The order's private link (signed with the server's key) and a feed token, made in its database."""
    os.environ["MOTORJOY_DATA_DIR"] = str(data_dir)
    if db_url:
        os.environ["REFLEX_DB_URL"] = db_url
    from app import db
    from app.orders.numbers import tracking_link
    from app.tracking.feed import create_feed_source

    with db.session() as s:
        token = create_feed_source(s, f"bench {time.time()}")
    return tracking_link(ORDER), token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=1000)
    parser.add_argument("--idle", type=float, default=60, help="seconds of idleness measured")
    parser.add_argument("--ramp", type=float, default=60, help="the tabs open over this many seconds")
    parser.add_argument("--setup", choices=["embedded", "scaled"], default="embedded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="motorjoy-trackers-") as scratch:
        data_dir = Path(scratch)
        warm_picture_cache(data_dir)
        with serving(args.setup, data_dir, idle_seconds=300) as server:
            link, feed_token = prepare(data_dir, server.db_url)
            result = asyncio.run(run(server.url, server.process.pid, link, feed_token, args.tabs, args.idle, args.ramp))
    result["setup"] = args.setup
    print(
        f"{result['tabs']} idle trackers ({args.setup}): {result['tabs_cost_share_of_a_core']:.1%} of a core "
        f"(server alone {result['floor_share_of_a_core']:.1%}, with them {result['with_tabs_share_of_a_core']:.1%}; "
        f"goal < {GOAL_SHARE:.0%}: {'met' if result['goal_met'] else 'not met'}); "
        f"news reached {result['tabs_told']} tabs in {result['all_told_seconds']} s"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
