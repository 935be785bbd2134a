"""Feed ingest benchmark (not a test): events/s through the feed against plain executemany, SQLite and PostgreSQL.

    .venv/bin/python tests/bench/feed.py                 # 10,000 events, 1,000 per request, both databases
    .venv/bin/python tests/bench/feed.py --events 20000 --databases sqlite

For each database, two fresh databases with every table and the demo orders:
- floor: the same rows (already parsed) inserted into stage_events with the driver's plain
  executemany, one transaction per 1,000, the same indexes and unique constraints;
- feed: `app.tracking.feed.ingest` with the same events as JSON payloads, one session per request as
  the route does (token check, every event checked, duplicates and backwards stages, all-or-nothing).
Then the feed again with the same batches (all duplicates: what a resend costs). Floor and feed
alternate for `--rounds` rounds and the fastest of each counts. The last line is JSON.
"""

import argparse
import contextlib
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages come from the checkout

import app.models  # noqa: E402, F401  (registers every table)
from app import db  # noqa: E402
from app.catalog import load_catalogue  # noqa: E402
from app.orders.demo import DEMO_ORDERS, seed_demo_orders  # noqa: E402
from app.staff.demo import seed_demo_staff  # noqa: E402
from app.tracking.feed import create_feed_source, ingest  # noqa: E402
from app.tracking.feed_commands import _bench_batches  # noqa: E402
from tests.databases import fresh_schema, postgres_unreachable  # noqa: E402

GOAL_RATIO = 4  # the feed within 4× of plain executemany


@contextlib.contextmanager
def database(kind: str, scratch: Path, name: str) -> Iterator[str]:
    """A fresh database of `kind` holding every table and the demo orders; yields its URL."""
    if kind == "sqlite":
        url = f"sqlite:///{scratch / f'{name}.db'}"
        context = contextlib.nullcontext(url)
    else:
        context = fresh_schema(f"feedbench{name}")
    with context as url:
        SQLModel.metadata.create_all(db.engine(url))
        with db.session(url) as s:
            seed_demo_staff(s)
            seed_demo_orders(s, load_catalogue())
        try:
            yield url
        finally:
            db.dispose(url)


def floor_rows(url: str, batches: list[dict]) -> list[list[tuple]]:
    """The batches as stage_events rows, parsed ahead of the clock (the floor pays for no checking)."""
    with db.session(url) as s:
        order_ids = {number: id_ for number, id_ in s.execute(sa.text("select number, id from orders"))}
    now = datetime.now(UTC)
    return [
        [
            (
                order_ids[e["order_number"]],
                e["stage"],
                "bench",
                datetime.fromisoformat(e["occurred_at"]),
                e["event_id"],
                e.get("vessel", ""),
                "",
                None,
                now,
                "",
            )
            for e in batch["events"]
        ]
        for batch in batches
    ]


INSERT = (
    "insert into stage_events (order_id, stage, source, reached_at, event_id, vessel, vessel_position,"
    " vessel_eta, recorded_at, flagged) values ({})"
)


def run_floor(url: str, batches: list[dict]) -> float:
    rows = floor_rows(url, batches)
    marks = ", ".join(["?"] * 10) if url.startswith("sqlite") else ", ".join(["%s"] * 10)
    engine = db.engine(url)
    started = time.perf_counter()
    for batch in rows:
        with engine.begin() as connection:
            connection.exec_driver_sql(INSERT.format(marks), batch)
    return time.perf_counter() - started


def run_feed(url: str, batches: list[dict], token: str) -> float:
    started = time.perf_counter()
    for batch in batches:
        with db.session(url) as s:
            ingest(s, token, batch)
    return time.perf_counter() - started


def bench(kind: str, events: int, scratch: Path, rounds: int) -> dict:
    """The fastest of `rounds` alternating runs of each, so a busy moment on the machine hits both alike."""
    batches = _bench_batches([order[0] for order in DEMO_ORDERS], events)
    floors, feeds, resends = [], [], []
    for round_ in range(rounds):
        with database(kind, scratch, f"floor{round_}") as url:
            floors.append(run_floor(url, batches))
        with database(kind, scratch, f"feed{round_}") as url:
            with db.session(url) as s:
                token = create_feed_source(s, "bench")
            feeds.append(run_feed(url, batches, token))
            resends.append(run_feed(url, batches, token))
    floor_s, feed_s, resend_s = min(floors), min(feeds), min(resends)
    return {
        "database": kind,
        "events": events,
        "floor_events_per_s": round(events / floor_s),
        "feed_events_per_s": round(events / feed_s),
        "resend_events_per_s": round(events / resend_s),
        "ratio": round(feed_s / floor_s, 2),
        "goal_met": feed_s / floor_s <= GOAL_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of floor and feed; the fastest counts")
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="motorjoy-feed-bench-") as scratch:
        for kind in args.databases:
            if kind == "postgresql" and (reason := postgres_unreachable()):
                print(f"postgresql skipped: {reason}")
                continue
            result = bench(kind, args.events, Path(scratch), args.rounds)
            results.append(result)
            print(
                f"{kind:<10} floor {result['floor_events_per_s']:>8,} ev/s  feed {result['feed_events_per_s']:>7,} ev/s"
                f"  resend {result['resend_events_per_s']:>7,} ev/s  ratio {result['ratio']}×"
                f"  (goal ≤ {GOAL_RATIO}×: {'met' if result['goal_met'] else 'not met'})",
                flush=True,
            )
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
