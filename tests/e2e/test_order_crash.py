"""A real kill -9 in the middle of an order: one order and one confirmation mail after the retry.

The real backend (`reflex run --env prod --backend-only`) runs as a process of its own, on SQLite and
on PostgreSQL. A dealer's tab, speaking Reflex's websocket, places an order; the server commits it and
is killed (SIGKILL, the whole process group) before its answer leaves. The server starts again with
nothing of the tab's session, and the dealer presses "Place the order" again on the same form.

The moment is exact, not a race: a `sitecustomize` module on the first server's PYTHONPATH (and only
there: the app has no test hook) listens to SQLAlchemy's transactions and, once the transaction that
placed an order has committed, writes a marker file and sleeps; the test kills the server when the
marker appears.
"""

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlmodel import func, select

from app import db
from app.club.outbox import OutboxMail
from app.dealer.state import DeskState
from app.orders.models import Order
from app.signin.state import StaffState
from tests import dealer_desk
from tests.databases import fresh_schema, postgres_unreachable
from tests.reflex_socket import ReflexTab
from tests.servers import BIN, free_port, run_quietly, start_backend

DESK = DeskState.get_full_name()
HANG_AFTER_AN_ORDER_COMMITS = '''
"""Test hook for tests/e2e/test_order_crash.py: after the commit that places an order, say so, then hang."""
import os
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

MARK = Path(os.environ["MOTORJOY_TEST_COMMITTED_MARK"])


@event.listens_for(Session, "after_flush")
def _placing(session, context):
    if any(type(row).__name__ == "Order" for row in session.new):
        session.info["placing an order"] = True


@event.listens_for(Session, "after_rollback")
def _not_placed(session):
    session.info.pop("placing an order", None)


@event.listens_for(Session, "after_transaction_end")
def _hang(session, transaction):
    # Only the outermost transaction's end is the real commit (after_commit also fires for savepoints).
    if transaction.parent is None and not transaction.nested and session.info.pop("placing an order", False):
        MARK.write_text("committed")
        time.sleep(600)  # the answer never leaves: the test kills us here
'''


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'motorjoy.db'}"
        return
    if reason := postgres_unreachable():
        pytest.skip(reason)
    with fresh_schema("crash") as url:
        yield url


def desk_on(url: str) -> tuple[str, str]:
    """The dealer's desk, with the app's pool let go: the server under test opens its own connections."""
    cookie, code = dealer_desk.desk_on(url)
    db.dispose(url)
    return cookie, code


def orders_and_confirmations(url: str) -> tuple[list[str], int]:
    with db.session(url) as s:
        numbers = list(s.exec(select(Order.number)).all())
        mails = s.exec(
            select(func.count()).select_from(OutboxMail).where(OutboxMail.kind == "order_confirmation")
        ).one()
    db.dispose(url)
    return numbers, mails


async def open_desk(backend_url: str, cookie: str) -> ReflexTab:
    """The dealer desk in a tab whose browser holds the staff cookie."""
    tab = ReflexTab(backend_url, "/dealer", timeout=120)
    await tab.open(storage={f"{StaffState.get_full_name()}.token": cookie})
    return tab


async def place_until_killed(backend_url: str, cookie: str, code: str, committed: Path) -> dict[str, str]:
    """Open the build, press "Place the order", and return the form once the server has committed it."""
    tab = await open_desk(backend_url, cookie)
    await tab.send(f"{DESK}.open_build", (DESK, "submission"), form={"code": code})
    form = {
        "name": "Fiona MacLeod",
        "email": "fiona@example.com",
        "time_zone": "Europe/London",
        "code": code,
        "submission": tab.value(DESK, "submission"),  # the form's hidden field
    }
    await tab.emit(f"{DESK}.place", form=form)
    deadline = time.monotonic() + 120
    while not committed.exists():
        assert time.monotonic() < deadline, "the order never committed"
        await asyncio.sleep(0.05)
    assert not any(e["name"] == "_redirect" for e in tab.events)  # the answer never came
    return form


async def retry(backend_url: str, cookie: str, form: dict[str, str]) -> str:
    """The same form sent again from a tab on the restarted server; the order number it leads to."""
    tab = await open_desk(backend_url, cookie)
    await tab.emit(f"{DESK}.place", form=form)
    await tab.wait_for(lambda _: any(e["name"] == "_redirect" for e in tab.events))
    path = next(e for e in tab.events if e["name"] == "_redirect")["payload"]["path"]
    await tab.close()
    return path.rsplit("/", 1)[-1]


def in_a_thread(coroutine):
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_a_server_killed_after_the_commit_makes_one_order_and_one_mail_after_the_retry(database, tmp_path):
    cookie, code = desk_on(database)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HANG_AFTER_AN_ORDER_COMMITS)
    committed = tmp_path / "committed"
    env = {k: v for k, v in os.environ.items() if k not in ("REFLEX_REDIS_URL", "PYTHONPATH")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        MOTORJOY_DATA_DIR=str(tmp_path / "data"),
        REFLEX_DB_URL=database,
        REFLEX_USE_GRANIAN="true",
        GRANIAN_WORKERS="1",
        MOTORJOY_MAIL_EVERY_SECONDS="0",  # the test sends the mail itself, below
        REFLEX_CHECK_LATEST_VERSION="false",
    )
    port = free_port()
    first = start_backend(dict(env, PYTHONPATH=str(hook), MOTORJOY_TEST_COMMITTED_MARK=str(committed)),
                          tmp_path / "first.log", port)
    try:
        form = in_a_thread(place_until_killed(f"http://127.0.0.1:{port}", cookie, code, committed))
    finally:
        first.kill()
    placed, mails = orders_and_confirmations(database)
    assert len(placed) == 1 and mails == 1  # the order had committed before the kill

    second = start_backend(env, tmp_path / "second.log", port)  # the same address, a fresh process
    try:
        again = in_a_thread(retry(f"http://127.0.0.1:{port}", cookie, form))
    finally:
        second.stop()
    assert again == placed[0]  # the retry answered with the order the crash swallowed
    assert orders_and_confirmations(database) == (placed, 1)

    for _ in range(2):  # the club's sender, twice: the confirmation goes out once
        run_quietly([str(BIN / "motorjoy"), "mail", "send-due"], env)
    sent = list((tmp_path / "data" / "outbox-mail").glob("*.eml"))
    assert len(sent) == 1 and placed[0] in sent[0].read_text()
