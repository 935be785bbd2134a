"""The operator's command line: `motorjoy demo`, `motorjoy migrate`, ..."""

import argparse
import sys

from app import db
from app.render.commands import add_bench_arguments, add_render_arguments, run_bench, run_render


def cmd_migrate(_args: argparse.Namespace) -> int:
    db.migrate()
    print("Database is up to date.")
    return 0


def cmd_demo(_args: argparse.Namespace) -> int:
    from app.orders.demo import seed_demo_orders

    db.migrate()
    with db.session() as s:
        added = seed_demo_orders(s)
    print(f"Demo data ready ({added} demo orders added; the catalogue comes from layers/manifest.toml).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motorjoy", description="Run Motorjoy's operator tasks.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    commands.add_parser("demo", help="migrate and seed the demo data (idempotent)").set_defaults(run=cmd_demo)
    render = commands.add_parser("render", help="write one car picture and print its alt text")
    add_render_arguments(render)
    render.set_defaults(run=run_render)
    bench = commands.add_parser("bench", help="measure the renderer (prints a JSON last line)")
    bench.add_argument("what", choices=["render"], help="what to measure")
    add_bench_arguments(bench)
    bench.set_defaults(run=run_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
