"""The delay notice: the buyer hears it from us first, once per stage, never twice."""

from datetime import timedelta

from sqlmodel import select

from app.club.outbox import OutboxMail
from app.tracking.notices import queue_delay_notice
from app.tracking.progress import progress
from tests.unit.tracking.tracking_data import NOW, add_order


def at_sea_for(days, stage="at_sea"):
    return progress([(stage, NOW - timedelta(days=days))], "McGregor", "MJ4K7QX2", now=NOW)


def test_nothing_is_sent_while_the_car_is_within_normal(s, small_journey):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    assert queue_delay_notice(s, order, at_sea_for(15)) is False  # running long is still normal
    assert s.exec(select(OutboxMail)).all() == []


def test_an_overdue_stage_gets_one_honest_apology(s, small_journey):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    late = at_sea_for(16)
    assert queue_delay_notice(s, order, late) is True
    assert queue_delay_notice(s, order, at_sea_for(20)) is False  # later visits, same stage: no second mail
    mail = s.exec(select(OutboxMail)).one()
    assert (mail.kind, mail.dedupe_key, mail.recipient, mail.order_id) == (
        "delay_notice",
        "delay:MJ4K7QX2:at_sea",
        "fiona@example.com",
        order.id,
    )
    assert "McGregor" in mail.subject and "sorry" in mail.subject
    assert late.window_text in mail.body_text and "sorry" in mail.body_text and "/track/MJ4K7QX2/" in mail.body_text


def test_a_later_stage_running_late_is_a_new_notice(s, small_journey):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    assert queue_delay_notice(s, order, at_sea_for(6, stage="ordered")) is True
    assert queue_delay_notice(s, order, at_sea_for(16)) is True
    assert sorted(s.exec(select(OutboxMail.dedupe_key)).all()) == ["delay:MJ4K7QX2:at_sea", "delay:MJ4K7QX2:ordered"]
