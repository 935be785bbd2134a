"""Backtest of the learnt delivery window (not a test): does the promised 80% window hold on journeys it never saw?

    .venv/bin/python tests/bench/window_backtest.py            # 4,000 journeys, seed 7
    .venv/bin/python tests/bench/window_backtest.py --orders 8000 --seed 3

Simulates three years of orders (two models; the convertible's soft top adds days at the plant), each
stage's duration drawn around journey.toml's typical days with a long right tail, a plant that runs slow
every August, weekly sailings, and two congested port months (one in the history, one among the held-out
orders) when cars wait an extra one to three weeks at the port. The latest six months of orders are held
out; for each held-out order the window is learnt only from journeys delivered before that order's day
(relearnt weekly, as the app relearns as it goes), then checked against the real delivery. The same
orders get today's fixed window (every stage's min_days to max_days). Prints a table; the last line is
one JSON object.
"""

import argparse
import json
import math
import random
import statistics
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.content.journey import DELIVERED, journey
from app.tracking.window import FinishedJourney, delivery_window, fixed_window, learn

START = date(2023, 1, 2)
DAYS = 3 * 365
HOLDOUT_DAYS = 182
CONVERTIBLE_EXTRA = {"scheduled": 6, "built": 2}  # the soft top is fitted and tested at the plant


@dataclass(frozen=True)
class Simulated:
    placed: date
    trip: FinishedJourney


def congested_months() -> set[tuple[int, int]]:
    late = START + timedelta(days=DAYS - 75)  # a month among the held-out orders' port arrivals
    return {(2024, 6), (late.year, late.month)}


def stage_days(rng: random.Random, stage, model_id: str, started: date, congested: set[tuple[int, int]]) -> int:
    """One car's days in one stage: around typical, a long right tail, and the effects named above."""
    if stage.id == "awaiting_transport":  # waiting for the weekly sailing: the day of the week matters
        days = stage.min_days + rng.randint(0, 6) + rng.choice((0, 0, 0, 7))  # a missed ship now and then
    else:
        typical = stage.typical_days + CONVERTIBLE_EXTRA.get(stage.id, 0) * (model_id == "convertible")
        days = typical * math.exp(rng.gauss(0.0, 0.28))
    if stage.id == "scheduled" and started.month == 8:
        days += rng.uniform(5, 12)  # the plant's summer shutdown
    if stage.id == "port_processing" and (started.year, started.month) in congested:
        days += rng.uniform(7, 21)  # the congested port month
    return max(stage.min_days // 2, round(days))


def simulate(orders: int, seed: int) -> list[Simulated]:
    rng, trip, congested = random.Random(seed), journey(), congested_months()
    simulated = []
    for n in range(orders):
        placed = START + timedelta(days=int(n * DAYS / orders))
        model_id = "convertible" if rng.random() < 0.3 else "hatch"
        day, reached = placed, {}
        for stage in trip.stages:
            reached[stage.id] = day
            if stage.id != DELIVERED:
                day += timedelta(days=stage_days(rng, stage, model_id, day, congested))
        simulated.append(Simulated(placed, FinishedJourney(model_id, reached)))
    return simulated


def backtest(simulated: list[Simulated]) -> dict:
    trip = journey()
    cut = START + timedelta(days=DAYS - HOLDOUT_DAYS)
    held_out = [s for s in simulated if s.placed >= cut]
    results = {"learnt": [], "fixed": [], "learnt_congested": [], "fixed_congested": []}
    congested = congested_months()
    models, week = {}, None
    for order in held_out:
        monday = order.placed - timedelta(days=order.placed.weekday())
        if monday != week:  # relearn once a week, from what had been delivered by then
            week = monday
            models = learn([s.trip for s in simulated], trip, today=monday)
        delivered = order.trip.delivered_on
        for name, (start, end) in (
            ("learnt", delivery_window(models, order.trip.model_id, order.placed)),
            ("fixed", fixed_window(trip, order.placed)),
        ):
            row = (start <= delivered <= end, (end - start).days + 1, delivered < start)
            results[name].append(row)
            landed = order.trip.reached["port_processing"]
            if (landed.year, landed.month) in congested:  # the held-out cars caught in the congested month
                results[f"{name}_congested"].append(row)
    return {"held_out": len(held_out), "cut": cut.isoformat(), **{k: summary(v) for k, v in results.items()}}


def summary(rows: list[tuple[bool, int, bool]]) -> dict:
    widths = [width for _hit, width, _early in rows]
    return {
        "orders": len(rows),
        "coverage": round(sum(hit for hit, _w, _e in rows) / len(rows), 3),
        "early": round(sum(early for _h, _w, early in rows) / len(rows), 3),
        "width_mean_days": round(statistics.fmean(widths), 1),
        "width_median_days": statistics.median(widths),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = backtest(simulate(args.orders, args.seed))
    print(f"{args.orders} simulated journeys, {result['held_out']} held out (placed from {result['cut']})")
    print(f"{'Window':<44} {'Contains delivery':>18} {'Too late':>9} {'Width mean':>11} {'median':>7}")
    rows = (
        ("learnt", "learnt 80% window (this change)"),
        ("fixed", "fixed min..max (journey.toml)"),
        ("learnt_congested", f"  learnt, {result['learnt_congested']['orders']} cars in the congested month"),
        ("fixed_congested", "  fixed, the same cars"),
    )
    for name, label in rows:
        row = result[name]
        too_late = 1 - row["coverage"] - row["early"]
        print(
            f"{label:<44} {row['coverage']:>17.1%} {too_late:>9.1%} "
            f"{row['width_mean_days']:>9.1f} d {row['width_median_days']:>5} d"
        )
    print(json.dumps({"orders": args.orders, "seed": args.seed, **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
