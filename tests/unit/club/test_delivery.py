"""Delivering the outbox against a real SMTP server: once, even twice at once; retried when busy; never a flood."""

import email
import email.policy
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app import db
from app.club.commands import send_due
from app.club.delivery import MailSettings, backoff, deliver_due, failed_mail, held_mail, mail_overview
from app.club.outbox import OutboxMail, queue_mail
from app.club.preferences import opt_out

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def queue(url: str, recipient: str, number: int, kind: str = "feature_note", at: datetime = NOW) -> None:
    with db.session(url) as s:
        queue_mail(
            s,
            kind=kind,
            recipient=recipient,
            subject=f"Note {number}",
            body_text=f"Hello {number}",
            dedupe_key=f"test:{kind}:{recipient}:{number}",
            created_at=at,
            next_attempt_at=at,
        )


def rows(url: str) -> list[OutboxMail]:
    with db.session(url) as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)).all())


def test_running_twice_sends_once(db_url, smtp, mailbox):
    queue(db_url, "fiona@example.com", 1)
    assert deliver_due(db_url, now=NOW, config=smtp).outcomes["sent"] == 1
    assert deliver_due(db_url, now=NOW, config=smtp).summary() == "nothing to send"
    assert len(mailbox.messages) == 1
    [row] = rows(db_url)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 1, NOW)


def test_running_twice_at_once_sends_each_mail_once(db_url, smtp, mailbox):
    for n in range(12):
        queue(db_url, f"owner{n}@example.com", n)
    start = threading.Barrier(2)
    errors = []

    def sender() -> None:
        start.wait()
        try:
            send_due(db_url, now=NOW, config=smtp)
        except Exception as error:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m["To"] for m in mailbox.messages) == sorted(f"owner{n}@example.com" for n in range(12))
    assert {row.status for row in rows(db_url)} == {"sent"}


def test_a_busy_server_gets_the_mail_exactly_once_after_backing_off(db_url, smtp, mailbox):
    mailbox.busy_times = 2
    queue(db_url, "fiona@example.com", 1)
    queue(db_url, "hamish@example.com", 2, at=NOW + timedelta(minutes=1))
    first = deliver_due(db_url, now=NOW, config=smtp)
    assert first.outcomes["retry"] == 1 and first.stopped_early  # the second mail keeps its attempts
    assert [(r.status, r.attempts) for r in rows(db_url)] == [("queued", 1), ("queued", 0)]
    assert deliver_due(db_url, now=NOW + timedelta(seconds=30), config=smtp).summary() == "nothing to send"
    assert deliver_due(db_url, now=NOW + backoff(1), config=smtp).outcomes["retry"] == 1
    assert deliver_due(db_url, now=NOW + backoff(1) + backoff(2), config=smtp).outcomes["sent"] == 2
    assert sorted(m["To"] for m in mailbox.messages) == ["fiona@example.com", "hamish@example.com"]
    assert [(r.status, r.attempts) for r in rows(db_url)] == [("sent", 3), ("sent", 1)]


def test_a_late_acknowledgement_sends_the_mail_again_under_the_same_message_id(db_url, smtp, mailbox):
    """The stated guarantee (README, "Mail: at least once"): a server that keeps the mail but answers
    after our timeout gets it again on the next run, and both copies carry one Message-ID, so the
    receiving side can drop the second. The window is one SMTP conversation."""
    mailbox.late_times, mailbox.late_seconds = 1, 3.0
    quick = replace(smtp, timeout=1.0)
    queue(db_url, "fiona@example.com", 1)
    assert deliver_due(db_url, now=NOW, config=quick).outcomes["retry"] == 1
    assert [(r.status, r.attempts) for r in rows(db_url)] == [("queued", 1)]
    assert deliver_due(db_url, now=NOW + backoff(1), config=quick).outcomes["sent"] == 1
    first, second = mailbox.to("fiona@example.com")
    assert first["Message-ID"] and first["Message-ID"] == second["Message-ID"]
    assert deliver_due(db_url, now=NOW + timedelta(days=1), config=quick).summary() == "nothing to send"
    assert len(mailbox.messages) == 2  # at least once, and no more than the one late answer caused


def test_a_server_that_never_answers_gives_up_after_the_last_attempt(db_url):
    unreachable = MailSettings(host="127.0.0.1", port=1, security="none", timeout=2)
    queue(db_url, "fiona@example.com", 1)
    now = NOW
    for _ in range(8):
        deliver_due(db_url, now=now, config=unreachable)
        now += timedelta(days=1)
    [row] = rows(db_url)
    assert (row.status, row.attempts) == ("failed", 8)
    assert "ConnectionRefusedError" in row.last_error


def test_an_unknown_address_fails_at_once_and_is_shown_to_staff(db_url, db_session, smtp, mailbox):
    mailbox.unknown.add("nobody@example.com")
    queue(db_url, "nobody@example.com", 1)
    assert deliver_due(db_url, now=NOW, config=smtp).outcomes["failed"] == 1
    assert deliver_due(db_url, now=NOW + timedelta(days=1), config=smtp).summary() == "nothing to send"
    [line] = failed_mail(db_session)
    assert line.recipient == "nobody@example.com" and line.attempts == 1 and "550" in line.last_error
    assert mailbox.messages == []


def test_the_daily_cap_holds_the_excess_and_sends_it_after_the_window(db_url, db_session, smtp, mailbox):
    for n in range(6):
        queue(db_url, "fiona@example.com", n)
    queue(db_url, "fiona@example.com", 99, kind="order_confirmation")
    report = deliver_due(db_url, now=NOW, config=smtp)
    assert (report.outcomes["sent"], report.outcomes["held"]) == (5, 2)  # four notes plus the confirmation
    assert [m["Subject"] for m in mailbox.messages][-1] == "Note 99"  # a confirmation is never held
    held = held_mail(db_session)
    assert [line.subject for line in held] == ["Note 5", "Note 4"]
    assert held[0].next_attempt_at == NOW + timedelta(hours=24)
    assert mail_overview(db_session)["held"] == 2
    assert deliver_due(db_url, now=NOW + timedelta(hours=23), config=smtp).summary() == "nothing to send"
    assert deliver_due(db_url, now=NOW + timedelta(hours=24), config=smtp).outcomes["sent"] == 2


def test_an_opt_out_after_queuing_stops_the_mail(db_url, smtp, mailbox):
    queue(db_url, "fiona@example.com", 1)
    queue(db_url, "fiona@example.com", 2, kind="order_confirmation")
    with db.session(db_url) as s:
        opt_out(s, "Fiona@Example.com", "club_news")
    report = deliver_due(db_url, now=NOW, config=smtp)
    assert (report.outcomes["skipped"], report.outcomes["sent"]) == (1, 1)
    assert [m["Subject"] for m in mailbox.messages] == ["Note 2"]


def test_a_sender_that_died_mid_send_leaves_its_mail_for_the_next_run(db_url, smtp, mailbox):
    queue(db_url, "fiona@example.com", 1)
    with db.session(db_url) as s:
        row = s.exec(select(OutboxMail)).one()
        row.status, row.claim_token, row.claimed_until = "sending", "dead", NOW + timedelta(minutes=10)
    assert deliver_due(db_url, now=NOW, config=smtp).summary() == "nothing to send"  # its lease still runs
    assert deliver_due(db_url, now=NOW + timedelta(minutes=11), config=smtp).outcomes["sent"] == 1


def test_without_a_mail_server_each_mail_becomes_a_readable_eml_file(db_url, data_dir):
    queue(db_url, "fiona@example.com", 1, kind="order_confirmation")
    report = deliver_due(db_url, now=NOW, config=replace(MailSettings(), host=""))
    assert report.outcomes["sent"] == 1
    [path] = (data_dir / "outbox-mail").iterdir()
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert b"\nList-Unsubscribe: <https://motorjoy.example/club/unsubscribe/" in path.read_bytes()  # not encoded
    assert message["To"] == "fiona@example.com" and message["Subject"] == "Note 1"
    assert message.get_body(("plain",)).get_content().startswith("Hello 1")
    assert ">Hello 1</p>" in message.get_body(("html",)).get_content()
