"""`motorjoy customer export/erase`: everything we hold on one customer, and removing it (orders stay, anonymised)."""

import json

import pytest
from sqlmodel import func, select

from app import db
from app.catalog import load_catalogue
from app.cli import main as motorjoy
from app.club.outbox import OutboxMail, queue_mail
from app.club.preferences import MailOptOut, opt_out
from app.orders.demo import seed_demo_orders
from app.orders.models import Order, OrderNote, StageEvent
from app.staff.demo import seed_demo_staff


@pytest.fixture
def customer(tmp_path, monkeypatch):
    """The email of a demo customer with an order, a staff note, a mail and an opt-out."""
    url = f"sqlite:///{tmp_path / 'motorjoy.db'}"
    monkeypatch.setenv("REFLEX_DB_URL", url)
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    db.migrate(url)
    with db.session(url) as s:
        seed_demo_staff(s)
        seed_demo_orders(s, load_catalogue())
        order = s.exec(select(Order).order_by(Order.id)).first()
        s.add(OrderNote(order_id=order.id, author="Dana", text=f"{order.customer_name} prefers calls after six"))
        queue_mail(
            s,
            kind="birthday_card",
            recipient=order.customer_email,
            subject="Happy birthday",
            body_text="Hi",
            dedupe_key="test-birthday",
            order_id=order.id,
        )
        opt_out(s, order.customer_email, "club_news")
        email = order.customer_email
    yield email
    db.dispose(url)


def count(model, *where) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def test_export_holds_every_order_mail_and_preference(customer, capsys):
    assert motorjoy(["customer", "export", customer.upper()]) == 0
    held = json.loads(capsys.readouterr().out)
    assert held["orders"] and all(o["email"] == customer for o in held["orders"])
    first = held["orders"][0]
    assert first["stages"] and first["spec"]["model"] and "prefers calls" in first["staff_notes"][0]["text"]
    assert [m["subject"] for m in held["mail"] if m["kind"] == "birthday_card"] == ["Happy birthday"]
    assert held["mail_opt_outs"] == ["club_news"]


def test_erase_removes_the_person_and_keeps_the_orders_for_the_stats(customer, capsys):
    orders_before, stages_before = count(Order), count(StageEvent)
    with db.session() as s:
        name = s.exec(select(Order.customer_name).where(Order.customer_email == customer)).first()
    assert motorjoy(["customer", "erase", customer]) == 0
    assert "order(s) anonymised" in capsys.readouterr().out
    assert (count(Order), count(StageEvent)) == (orders_before, stages_before)
    assert count(Order, Order.customer_email == customer) == 0 and count(Order, Order.customer_name == name) == 0
    assert count(OutboxMail, OutboxMail.recipient == customer) == 0 and count(MailOptOut) == 0
    assert count(OrderNote) == 0
    assert motorjoy(["customer", "export", customer]) == 0
    assert json.loads(capsys.readouterr().out) == {"email": customer, "orders": [], "mail": [], "mail_opt_outs": []}
