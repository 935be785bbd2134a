"""The scheduled delay check: every overdue car gets its apology once, whether or not anyone looked."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app import db
from app.club.order_mail import queue_due_delay_notices
from app.club.outbox import OutboxMail
from app.content.journey import journey
from app.orders.models import Order, StageEvent

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_only_overdue_cars_get_one_notice(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    url = db_url
    at_sea = next(stage for stage in journey().stages if stage.id == "at_sea")
    with db.session(url) as s:
        for number, days_at_sea in (("MJ2222AA", at_sea.max_days + 3), ("MJ3333BB", at_sea.typical_days)):
            order = Order(number=number, customer_name="Fi Mac", customer_email="fi@example.com", model_id="hatch")
            s.add(order)
            s.flush()
            s.add(StageEvent(order_id=order.id, stage="at_sea", reached_at=NOW - timedelta(days=days_at_sea)))
    with db.session(url) as s:
        assert queue_due_delay_notices(s, NOW) == ["MJ2222AA"]
    with db.session(url) as s:
        assert queue_due_delay_notices(s, NOW + timedelta(hours=6)) == []  # never twice
        mails = s.exec(select(OutboxMail)).all()
        assert [(m.kind, m.dedupe_key) for m in mails] == [("delay_notice", "delay:MJ2222AA:at_sea")]
