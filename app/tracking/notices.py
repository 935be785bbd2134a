"""Telling the buyer first: an apology mail the day their car's stage runs past its normal length."""

from datetime import datetime

from sqlmodel import Session, select

from app import settings
from app.club.outbox import OutboxMail, queue_mail
from app.orders.models import Order, StageEvent
from app.orders.numbers import tracking_link
from app.tracking.progress import NO_NICKNAME, Progress, progress


def queue_delay_notice(session: Session, order: Order, progress: Progress) -> bool:
    """Queue one apology per order and stage once it is overdue; True only when queued by this call.

    The dedupe key makes a second copy impossible, whichever worker or job notices the delay first.
    """
    if progress.status != "overdue":
        return False
    key = f"delay:{order.number}:{progress.current}"
    if session.exec(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)).first() is not None:
        return False
    car = order.nickname.strip() or NO_NICKNAME.lower()
    link = settings.public_url() + tracking_link(order.number)
    queue_mail(
        session,
        kind="delay_notice",
        recipient=order.customer_email,
        subject=f"Order {order.number}: {car} is running late, and we're sorry",
        body_text=(
            f"Hello {order.customer_name},\n\n"
            f"We'd rather you heard it from us: {car} is taking longer than it should at the "
            f"“{progress.current_label}” stage. {progress.status_text}\n\n"
            f"Your baby is safe, just late. {progress.window_text}, and we'll keep that estimate honest as "
            f"things move. Follow along here:\n{link}\n\n"
            "If you'd like to talk it through, your dealer knows the whole story.\n\nThe Motorjoy club"
        ),
        dedupe_key=key,
        order_id=order.id,
    )
    return True


def queue_due_delay_notices(session: Session, now: datetime | None = None) -> list[str]:
    """Look at every car still on its way and queue the apologies that are due; returns their order numbers.

    Run from cron (`motorjoy feed check-delays`) so the buyer hears first even if they never open the page.
    """
    events = session.exec(select(StageEvent)).all()
    by_order: dict[int, list[tuple[str, datetime]]] = {}
    for event in events:
        by_order.setdefault(event.order_id, []).append((event.stage, event.reached_at))
    queued = []
    for order in session.exec(select(Order)).all():
        state = progress(by_order.get(order.id, []), order.nickname, order.number, now)
        if queue_delay_notice(session, order, state):
            queued.append(order.number)
    return queued
