"""The order's own mail: the club confirms an announced order and apologises once per overdue stage."""

from datetime import timedelta

import pytest
from sqlmodel import select

from app import db, events
from app.club.order_mail import queue_confirmation, queue_delay_notice
from app.club.outbox import OutboxMail
from app.tracking.progress import progress
from tests.unit.tracking.tracking_data import NOW, add_order, small_trip

NO_CONTENT: dict = {}  # nothing published: the shipped templates


@pytest.fixture
def s(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))  # the link signing key lives here
    with db.session(db_url) as session:
        yield session


def at_sea_for(days, stage="at_sea"):
    return progress([(stage, NOW - timedelta(days=days))], "McGregor", "MJ4K7QX2", now=NOW, trip=small_trip())


def test_nothing_is_sent_while_the_car_is_within_normal(s):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    assert queue_delay_notice(s, order, at_sea_for(15), NO_CONTENT) is False  # running long is still normal
    assert s.exec(select(OutboxMail)).all() == []


def test_an_overdue_stage_gets_one_honest_apology(s):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    late = at_sea_for(16)
    assert queue_delay_notice(s, order, late, NO_CONTENT) is True
    assert queue_delay_notice(s, order, at_sea_for(20), NO_CONTENT) is False  # later visits, same stage: once
    mail = s.exec(select(OutboxMail)).one()
    assert (mail.kind, mail.dedupe_key, mail.recipient, mail.order_id) == (
        "delay_notice",
        "delay:MJ4K7QX2:at_sea",
        "fiona@example.com",
        order.id,
    )
    assert "McGregor" in mail.subject and "sorry" in mail.subject
    assert late.window_text in mail.body_text and "sorry" in mail.body_text and "/track/MJ4K7QX2/" in mail.body_text
    assert '<a href="http' in mail.body_html and "/track/MJ4K7QX2/" in mail.body_html


def test_a_later_stage_running_late_is_a_new_notice(s):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    assert queue_delay_notice(s, order, at_sea_for(6, stage="ordered"), NO_CONTENT) is True
    assert queue_delay_notice(s, order, at_sea_for(16), NO_CONTENT) is True
    assert sorted(s.exec(select(OutboxMail.dedupe_key)).all()) == ["delay:MJ4K7QX2:at_sea", "delay:MJ4K7QX2:ordered"]


def test_the_apology_and_the_confirmation_use_the_copy_marketing_published(s):
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    published = {
        "mail:delay_notice": {"subject": "Sorry, {customer}", "body": "{name} is late at {stage}. {window}."},
        "mail:order_confirmation": {"subject": "Thanks for {order_number}", "body": "[Track it]({tracking_link})"},
    }
    queue_delay_notice(s, order, at_sea_for(16), published)
    queue_confirmation(s, order, published)
    mails = {m.kind: m for m in s.exec(select(OutboxMail))}
    assert mails["delay_notice"].subject == "Sorry, Fiona MacLeod"
    assert mails["delay_notice"].body_text.startswith("McGregor is late at At sea. Expected")
    assert mails["order_confirmation"].subject == "Thanks for MJ4K7QX2"
    assert "/track/MJ4K7QX2/" in mails["order_confirmation"].body_text


def test_the_club_reacts_to_what_orders_and_the_tracker_announce(s):
    # Orders and the tracker only announce; the club's listener (subscribed when app.club is imported) mails.
    order = add_order(s, "MJ4K7QX2", "Fiona MacLeod", "fiona@example.com")
    events.announce(s, events.OrderPlaced(order_id=order.id))
    events.announce(s, events.OrderPlaced(order_id=order.id))  # a repeat announcement is still one mail
    events.announce(s, events.OrderPlaced(order_id=order.id + 100))  # an order that isn't there: nothing
    assert [(m.kind, m.dedupe_key) for m in s.exec(select(OutboxMail))] == [
        ("order_confirmation", "confirmation:MJ4K7QX2")
    ]
