"""`motorjoy feed ...` and `motorjoy bench feed`: the operator's side of the stage-event feed."""

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import SQLModel

from app import db
from app.catalog import load_catalogue
from app.content.live import journey
from app.content.stages import STAGE_IDS
from app.orders.demo import DEMO_ORDERS, seed_demo_orders
from app.staff.demo import seed_demo_staff
from app.tracking.feed import (
    IMPORT_SOURCE,
    MAX_EVENTS,
    FeedError,
    create_feed_source,
    ingest,
    ingest_as,
    simulate_step,
)
from app.tracking.overdue import announce_overdue

CSV_COLUMNS = (
    "event_id",
    "order_number",
    "stage",
    "occurred_at",
    "source",
    "vessel",
    "vessel_position",
    "vessel_eta",
)
BENCH_EVENTS = 10_000


def add_feed_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="feed_command", required=True, metavar="ACTION")
    add = actions.add_parser("add-source", help="register a sender and print its token (shown once)")
    add.add_argument("name", help="e.g. 'Plant Oxford' or 'Northern Shipping'")
    add.set_defaults(run=run_add_source)
    load = actions.add_parser("import", help="import events from a JSON or CSV file, all or nothing")
    load.add_argument("file", type=Path, help=f".json ({{'events': [...]}}) or .csv ({','.join(CSV_COLUMNS)})")
    load.set_defaults(run=run_import)
    actions.add_parser("simulate", help="move every demo order one stage on").set_defaults(run=run_simulate)
    actions.add_parser(
        "check-delays", help="announce every overdue car, so the club queues its apology (run from cron)"
    ).set_defaults(run=run_check_delays)


def run_check_delays(_args: argparse.Namespace) -> int:
    with db.session(reads_then_writes=True) as s:  # from cron while the app serves: reads every car, then writes
        overdue = announce_overdue(s, journey())
    # The club apologises once per car and stage, so announcing a car it already wrote to is harmless.
    print(f"{len(overdue)} overdue cars announced to the club" + (f": {', '.join(overdue)}." if overdue else "."))
    return 0


def run_add_source(args: argparse.Namespace) -> int:
    try:
        with db.session(reads_then_writes=True) as s:
            token = create_feed_source(s, args.name)
    except FeedError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 2
    print(f"Feed source {args.name.strip()!r} added. Its token (shown only now; keep it secret):")
    print(token)
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import as the trusted operator: the same checks as the feed, without its per-request cap."""
    try:
        payload = read_events_file(args.file)
        with db.session(reads_then_writes=True) as s:
            result = ingest_as(s, IMPORT_SOURCE, payload)
    except FeedError as error:
        print(f"{args.file}: {error} Nothing was written.", file=sys.stderr)
        return 2
    print(f"{result.accepted} accepted, {result.duplicates} duplicates, {len(result.flagged)} flagged")
    for line in result.flagged:
        print(f"  flagged {line}")
    return 0


def read_events_file(path: Path) -> dict:
    """The file as a feed payload; CSV rows become events[0], events[1], ... in file order."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise FeedError(f"can't read the file ({error}).") from None
    if path.suffix.lower() == ".csv":
        return {"events": _csv_events(text)}
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise FeedError(f"not valid JSON ({error}).") from None


def _csv_events(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
        raise FeedError(f"the first line must be the header {','.join(CSV_COLUMNS)}.")
    events = []
    try:
        for index, row in enumerate(reader):
            if None in row:
                raise FeedError(f"events[{index}] (line {reader.line_num}): more values than columns.")
            # An empty cell is an absent optional field, not an empty vessel name.
            events.append({name: value for name, value in row.items() if value not in (None, "")})
    except csv.Error as error:
        raise FeedError(f"line {reader.line_num}: {error}.") from None
    return events


def run_simulate(_args: argparse.Namespace) -> int:
    with db.session(reads_then_writes=True) as s:
        moved = simulate_step(s, [order[0] for order in DEMO_ORDERS])
    print("\n".join(moved) if moved else "Nothing to move: every demo order is delivered (or not seeded yet).")
    return 0


# --- benchmark ------------------------------------------------------------------------------------


def run_feed_bench(_args: argparse.Namespace) -> int:
    """CLI entry: print the figures; the last line is one JSON object."""
    print(json.dumps(bench_feed()))
    return 0


def bench_feed(events: int = BENCH_EVENTS) -> dict:
    """Ingest `events` events over the demo orders, 1000 per request, into a throwaway SQLite database."""
    with tempfile.TemporaryDirectory(prefix="motorjoy-feed-bench-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'bench.db'}"
        SQLModel.metadata.create_all(db.engine(url))  # only the tables matter here, not the migrations
        with db.session(url) as s:
            seed_demo_staff(s)
            seed_demo_orders(s, load_catalogue())
            token = create_feed_source(s, "bench")
        batches = _bench_batches([order[0] for order in DEMO_ORDERS], events)
        started = time.perf_counter()
        for batch in batches:
            with db.session(url) as s:
                ingest(s, token, batch)
        seconds = time.perf_counter() - started
        db.engine(url).dispose()  # let the temporary directory go
    return {
        "events": events,
        "requests": len(batches),
        "seconds": round(seconds, 3),
        "events_per_s": round(events / seconds),
    }


def _bench_batches(numbers: list[str], events: int) -> list[dict]:
    start = datetime.now(UTC) - timedelta(days=300)
    rows = [
        {
            "event_id": f"bench-{n}",
            "order_number": numbers[n % len(numbers)],
            "stage": STAGE_IDS[(n // len(numbers)) % len(STAGE_IDS)],
            "occurred_at": (start + timedelta(minutes=n)).isoformat(),
            "vessel": "MV Northern Lark",
        }
        for n in range(events)
    ]
    return [{"events": rows[i : i + MAX_EVENTS]} for i in range(0, events, MAX_EVENTS)]
