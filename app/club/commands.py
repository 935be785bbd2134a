"""`motorjoy mail send-due` and `motorjoy mail overview`: the club mail's operator side (cron-safe, run-twice-safe)."""

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError, OperationalError

from app import db
from app.club.birthdays import queue_birthday_cards
from app.club.delivery import (
    DeliveryReport,
    MailSettings,
    MailSettingsError,
    Transport,
    deliver_due,
    failed_mail,
    held_mail,
    mail_overview,
)
from app.club.order_mail import queue_due_delay_notices
from app.club.order_news import queue_stage_news
from app.club.referrals import queue_referral_thanks
from app.render import CarPictures

log = logging.getLogger(__name__)
QUEUE_TRIES = 3


@dataclass(frozen=True)
class SendDueResult:
    birthdays: int
    stage_news: int
    delay_notices: int
    delivery: DeliveryReport

    def summary(self) -> str:
        return (
            f"Queued {self.birthdays} birthday cards, {self.stage_news} stage news, "
            f"{self.delay_notices} delay notices; delivered: {self.delivery.summary()}."
        )


def queue_due(url: str | None, now: datetime, pictures: CarPictures | None = None) -> tuple[int, int, int]:
    """Queue every mail that is due now: (birthday cards, stage news, delay notices) queued.

    Another sender queuing the same mail at the same moment makes our transaction fail (a taken
    dedupe key); everything here is idempotent, so we simply try again. Each try reads what is due,
    then writes: it takes SQLite's write lock first, as any commit in between (a visitor's save, the
    pictures being counted) would make SQLite refuse the write at once, try after try.
    """
    attempt = 1
    while True:
        try:
            with db.session(url, reads_then_writes=True) as s:
                birthdays = queue_birthday_cards(s, now, pictures)
                news = queue_stage_news(s, now)
                delays = queue_due_delay_notices(s, now)
                queue_referral_thanks(s, now)  # normally queued as it happens; this catches up after a crash
            return len(birthdays), len(news), len(delays)
        except (IntegrityError, OperationalError):
            if attempt == QUEUE_TRIES:
                raise
            log.info("club mail: another sender was queuing too; trying again")
            time.sleep(0.2 * attempt)
            attempt += 1


def send_due(
    url: str | None = None,
    *,
    now: datetime | None = None,
    config: MailSettings | None = None,
    transport: Transport | None = None,
    pictures: CarPictures | None = None,
) -> SendDueResult:
    """Queue what is due (birthdays today in each owner's zone, stage news, delay notices), then deliver the outbox."""
    config = config or MailSettings.from_env()
    counts = queue_due(url, now or datetime.now(UTC), pictures)
    # Without a fixed `now`, delivery reads the clock again, so the mail just queued is already due.
    return SendDueResult(*counts, deliver_due(url, now=now, config=config, transport=transport))


def add_mail_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    actions.add_parser(
        "send-due", help="queue today's birthday cards, stage news and delay notices, then send the outbox (cron-safe)"
    ).set_defaults(run=run_send_due)
    actions.add_parser("overview", help="how many mails are in each state, and those held or failed").set_defaults(
        run=run_overview
    )


def run_send_due(_args: argparse.Namespace) -> int:
    try:
        result = send_due()
    except MailSettingsError as error:
        print(f"{error} Nothing was sent.", file=sys.stderr)
        return 2
    print(result.summary())
    return 0


def run_overview(_args: argparse.Namespace) -> int:
    with db.session() as s:
        counts = mail_overview(s)
        waiting = held_mail(s) + failed_mail(s)
    print(", ".join(f"{count} {status}" for status, count in counts.items()))
    for line in waiting:
        print(f"  {line.status:6} #{line.id} {line.kind} to {line.recipient}: {line.subject} ({line.last_error})")
    return 0
