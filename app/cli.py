"""The operator's command line: `motorjoy demo`, `motorjoy migrate`, ..."""

import argparse
import getpass
import os
import sys
from pathlib import Path

from app import db, production
from app.club.commands import add_mail_arguments
from app.logs import configure_logging
from app.render.commands import add_bench_arguments, add_render_arguments, run_bench, run_render
from app.staff.models import ROLES
from app.tracking.feed_commands import add_feed_arguments, run_feed_bench


def cmd_migrate(_args: argparse.Namespace) -> int:
    db.migrate()
    print("Database is up to date.")
    return 0


def cmd_demo(_args: argparse.Namespace) -> int:
    from app.catalog import load_catalogue
    from app.nudges.demo import seed_demo_nudges
    from app.orders.demo import seed_demo_orders
    from app.staff.demo import seed_demo_staff

    db.migrate()
    with db.session(reads_then_writes=True) as s:
        created = seed_demo_staff(s)
        added = seed_demo_orders(s, load_catalogue())
        seed_demo_nudges(s)
    print(f"Demo data ready ({added} demo orders added; the catalogue comes from layers/manifest.toml).")
    if created:
        print("Demo sign-ins (demo only): " + "; ".join(f"{role} {email} / {pw}" for email, role, pw in created))
    return 0


NEW_PASSWORD_ENV = "MOTORJOY_NEW_PASSWORD"


def cmd_create_user(args: argparse.Namespace) -> int:
    """Add a staff account; the password comes from the environment or a hidden prompt, never argv."""
    from app.staff.accounts import AccountError, create_user

    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is None:
        password = getpass.getpass("Password for the new account: ")
        if getpass.getpass("Same password again: ") != password:
            print("The two passwords don't match; nothing was changed.", file=sys.stderr)
            return 2
    try:
        with db.session(reads_then_writes=True) as s:
            user = create_user(s, args.email, args.name, args.role, password, dealership_name=args.dealership)
            summary = f"Created {user.role} account for {user.email}"
    except AccountError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 2
    print(summary + ".")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.backup import BackupError, backup

    try:
        orders = backup(args.file)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Backed up to {args.file} ({orders} orders).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.backup import BackupError, restore

    try:
        orders = restore(args.file)
    except BackupError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"Restored {args.file} ({orders} orders). Run `motorjoy migrate` if the backup is from an older release.")
    return 0


def cmd_customer(args: argparse.Namespace) -> int:
    """Export (JSON on stdout) or erase everything held on one customer, found by email."""
    import json

    from app.customers import erase, export

    with db.session(reads_then_writes=True) as s:
        if args.action == "export":
            print(json.dumps(export(s, args.email), indent=2, ensure_ascii=False))
            return 0
        orders, mails = erase(s, args.email)
    print(f"Erased {args.email}: {orders} order(s) anonymised (kept for the statistics), {mails} mail(s) deleted.")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    return run_feed_bench(args) if args.what == "feed" else run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motorjoy", description="Run Motorjoy's operator tasks.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    commands.add_parser("demo", help="migrate and seed the demo data (idempotent)").set_defaults(run=cmd_demo)
    commands.add_parser(
        "remove-demo-staff", help="switch off the demo staff sign-ins (production refuses to run with them)"
    ).set_defaults(run=cmd_remove_demo_staff)
    create_user = commands.add_parser(
        "create-user", help=f"add a staff account (password from ${NEW_PASSWORD_ENV} or a prompt)"
    )
    create_user.add_argument("--email", required=True)
    create_user.add_argument("--name", required=True)
    create_user.add_argument("--role", required=True, choices=ROLES)
    create_user.add_argument("--dealership", help="the dealership's name; dealers only")
    create_user.set_defaults(run=cmd_create_user)
    backup = commands.add_parser("backup", help="copy the SQLite database to FILE while the app runs")
    backup.add_argument("file", type=Path, help="a new file for the backup")
    backup.set_defaults(run=cmd_backup)
    restore = commands.add_parser("restore", help="replace the SQLite database with a backup (stop the app first)")
    restore.add_argument("file", type=Path, help="a file written by motorjoy backup")
    restore.set_defaults(run=cmd_restore)
    customer = commands.add_parser("customer", help="export (JSON) or erase what we hold on one customer")
    customer.add_argument("action", choices=["export", "erase"])
    customer.add_argument("email")
    customer.set_defaults(run=cmd_customer)
    render = commands.add_parser("render", help="write one car picture and print its alt text")
    add_render_arguments(render)
    render.set_defaults(run=run_render)
    add_feed_arguments(commands.add_parser("feed", help="stage-event feed: add-source, import, simulate"))
    add_mail_arguments(commands.add_parser("mail", help="club mail: send-due (from cron), overview"))
    bench = commands.add_parser("bench", help="measure the renderer or the feed (prints a JSON last line)")
    bench.add_argument("what", choices=["render", "feed"], help="what to measure")
    add_bench_arguments(bench)
    bench.set_defaults(run=cmd_bench)
    return parser


def cmd_remove_demo_staff(_args: argparse.Namespace) -> int:
    """Switch off the demo sign-ins (their password is in the README); production refuses to run with them."""
    from app.staff.demo import remove_demo_staff

    with db.session(reads_then_writes=True) as s:
        removed = remove_demo_staff(s)
    print(f"Switched off {len(removed)} demo staff account(s){': ' + ', '.join(removed) if removed else ''}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    try:
        # The way out of "demo accounts exist" must not itself be refused for them.
        production.refuse_unsafe(check_demo_accounts=args.run is not cmd_remove_demo_staff)
    except production.UnsafeConfiguration as error:
        print(error, file=sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
