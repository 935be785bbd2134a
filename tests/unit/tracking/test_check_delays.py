"""The scheduled delay check: every overdue car gets its apology once, whether or not anyone looked."""

import argparse
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app import db, events
from app.club import commands
from app.club.order_mail import queue_due_delay_notices
from app.club.outbox import OutboxMail
from app.content import live
from app.content.journey import journey
from app.orders.models import Order, StageEvent
from app.tracking.feed_commands import run_check_delays
from tests.unit.meanwhile import another_writer, run_before

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def one_late_one_on_time(url: str, now: datetime = NOW) -> None:
    at_sea = next(stage for stage in journey().stages if stage.id == "at_sea")
    with db.session(url) as s:
        for number, days_at_sea in (("MJ2222AA", at_sea.max_days + 3), ("MJ3333BB", at_sea.typical_days)):
            order = Order(number=number, customer_name="Fi Mac", customer_email="fi@example.com", model_id="hatch")
            s.add(order)
            s.flush()
            s.add(StageEvent(order_id=order.id, stage="at_sea", reached_at=now - timedelta(days=days_at_sea)))


def notices(url: str) -> list[tuple[str, str]]:
    with db.session(url) as s:
        return [(m.kind, m.dedupe_key) for m in s.exec(select(OutboxMail))]


def test_only_overdue_cars_get_one_notice(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    url = db_url
    one_late_one_on_time(url)
    with db.session(url) as s:
        assert queue_due_delay_notices(s, NOW) == ["MJ2222AA"]
    with db.session(url) as s:
        assert queue_due_delay_notices(s, NOW + timedelta(hours=6)) == []  # never twice
        mails = s.exec(select(OutboxMail)).all()
        assert [(m.kind, m.dedupe_key) for m in mails] == [("delay_notice", "delay:MJ2222AA:at_sea")]


# SQLite refuses a write after a read once another connection has committed in between; the mailer
# runs in every app process and check-delays from cron, while the app serves and writes.


def test_the_mailer_queues_the_apology_though_another_connection_writes(db_url, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    one_late_one_on_time(db_url)
    with another_writer(db_url) as meanwhile:
        run_before(monkeypatch, commands, "queue_due_delay_notices", meanwhile)  # birthdays and news read by then
        assert commands.queue_due(db_url, NOW) == (0, 0, 1)
    assert notices(db_url) == [("delay_notice", "delay:MJ2222AA:at_sea")]
    assert "trying again" not in caplog.text  # the first try did it


def test_check_delays_announces_though_another_connection_writes_meanwhile(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REFLEX_DB_URL", db_url)
    live.forget_published()
    one_late_one_on_time(db_url, datetime.now(UTC))
    with another_writer(db_url) as meanwhile:
        run_before(monkeypatch, events, "announce", meanwhile)  # after reading every car
        assert run_check_delays(argparse.Namespace()) == 0
    assert notices(db_url) == [("delay_notice", "delay:MJ2222AA:at_sea")]
