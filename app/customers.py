"""`motorjoy customer export EMAIL` and `motorjoy customer erase EMAIL`: everything we hold on one
customer, as JSON, and removing it.

Erasing keeps each order for the brand's statistics (model, spec, price, dealership, dates, stages)
with every personal detail replaced: name, email, phone, the car's nickname, the staff notes about
them, their mail and their mail preferences. Wiring at the top: it reads several features' tables.
"""

import hashlib
import json
from datetime import datetime

from sqlmodel import Session, col, delete, func, select

from app.club.outbox import OutboxMail
from app.club.preferences import MailOptOut, email_key
from app.orders.models import Order, OrderNote, StageEvent

ERASED_NAME = "(erased)"


def _orders(session: Session, email: str) -> list[Order]:
    return list(session.exec(select(Order).where(func.lower(Order.customer_email) == email_key(email))).all())


def _mails(session: Session, email: str) -> list[OutboxMail]:
    return list(session.exec(select(OutboxMail).where(func.lower(OutboxMail.recipient) == email_key(email))).all())


def export(session: Session, email: str) -> dict:
    """Everything held about this customer (by email), ready for json.dumps."""
    orders = _orders(session, email)
    return {
        "email": email_key(email),
        "orders": [
            {
                "number": o.number,
                "name": o.customer_name,
                "email": o.customer_email,
                "phone": o.customer_phone,
                "nickname": o.nickname,
                "placed_at": _when(o.placed_at),
                "time_zone": o.time_zone,
                "stage_news": o.stage_news,
                "club_news": o.club_news,
                "spec": json.loads(o.spec),
                "stages": [
                    {"stage": e.stage, "reached_at": _when(e.reached_at), "vessel": e.vessel}
                    for e in session.exec(select(StageEvent).where(StageEvent.order_id == o.id))
                ],
                "staff_notes": [
                    {"author": n.author, "text": n.text}
                    for n in session.exec(select(OrderNote).where(OrderNote.order_id == o.id))
                ],
            }
            for o in orders
        ],
        "mail": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "status": m.status,
                "queued_at": _when(m.created_at),
                "sent_at": _when(m.sent_at),
                "text": m.body_text,
            }
            for m in _mails(session, email)
        ],
        "mail_opt_outs": [
            o.topic for o in session.exec(select(MailOptOut).where(MailOptOut.email == email_key(email)))
        ],
    }


def erase(session: Session, email: str) -> tuple[int, int]:
    """Remove this customer's personal data; returns (orders anonymised, mails deleted).

    Leaves committing to the caller."""
    orders = _orders(session, email)
    for order in orders:
        # A stable stand-in per order, so stats that count distinct buyers still can, and nothing says who.
        stand_in = hashlib.sha256(f"erased:{order.number}".encode()).hexdigest()[:16]
        order.customer_name, order.customer_phone, order.nickname = ERASED_NAME, "", ""
        order.customer_email = f"erased-{stand_in}@invalid"
        order.stage_news = order.club_news = False
        session.add(order)
    ids = [order.id for order in orders]
    if ids:
        session.exec(delete(OrderNote).where(col(OrderNote.order_id).in_(ids)))
    mails = _mails(session, email)
    for mail in mails:
        session.delete(mail)
    session.exec(delete(MailOptOut).where(col(MailOptOut.email) == email_key(email)))
    session.flush()
    return len(orders), len(mails)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
