"""The unsubscribe page: looking changes nothing, one click (or the mail client's one-click POST) stops that mail."""

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import db
from app.club.delivery import deliver_due
from app.club.outbox import queue_mail
from app.club.preferences import MailOptOut, opted_out, unsubscribe_token
from app.customers import erase


def client(url: str) -> TestClient:
    from app.club.routes import unsubscribe_routes

    return TestClient(Starlette(routes=unsubscribe_routes(url)))


def path(email: str, topic: str) -> str:
    return f"/club/unsubscribe/{unsubscribe_token(email, topic)}"


def is_out(url: str, email: str, topic: str) -> bool:
    with db.session(url) as s:
        return opted_out(s, email, topic)


@pytest.fixture(autouse=True)
def mailed(db_url) -> None:
    """Fiona got a mail from us, with the links below in it: we hold her address."""
    with db.session(db_url) as s:
        fields = {"subject": "New", "body_text": "Hi", "dedupe_key": "note:1"}
        sent = queue_mail(s, kind="feature_note", recipient="Fiona@Example.com", **fields)
        sent.status = "sent"


def test_opening_the_link_only_asks(db_url):
    page = client(db_url).get(path("fiona@example.com", "birthday"))
    assert page.status_code == 200 and '<form method="post">' in page.text and "f•••@example.com" in page.text
    assert not is_out(db_url, "fiona@example.com", "birthday")


def test_unsubscribing_stops_further_mail_of_that_kind_only(db_url, smtp, mailbox):
    answer = client(db_url).post(path("fiona@example.com", "birthday"), data={"action": "unsubscribe"})
    assert answer.status_code == 200 and "off the list" in answer.text and 'value="resubscribe"' in answer.text
    with db.session(db_url) as s:
        for kind in ("birthday_card", "stage_news"):
            queue_mail(s, kind=kind, recipient="fiona@example.com", subject=kind, body_text="Hi", dedupe_key=kind)
    deliver_due(db_url, config=smtp)
    assert [m["Subject"] for m in mailbox.messages] == ["stage_news"]


def test_one_click_unsubscribe_from_the_mail_client_and_changing_ones_mind(db_url):
    web = client(db_url)
    link = path("fiona@example.com", "club_news")
    web.post(link, content=b"List-Unsubscribe=One-Click", headers={"content-type": "application/x-www-form-urlencoded"})
    assert is_out(db_url, "fiona@example.com", "club_news")
    assert "Welcome back" in web.post(link, data={"action": "resubscribe"}).text
    assert not is_out(db_url, "fiona@example.com", "club_news")


def test_a_forged_or_damaged_token_is_a_clear_404(db_url):
    genuine = unsubscribe_token("fiona@example.com", "birthday")
    payload, _, signature = genuine.partition(".")
    forged = unsubscribe_token("hamish@example.com", "birthday").partition(".")[0] + "." + signature
    web = client(db_url)
    for token in (forged, payload, genuine[:-3], "%3Cscript%3E"):
        answer = web.post(f"/club/unsubscribe/{token}")
        assert answer.status_code == 404 and "read this unsubscribe link" in answer.text


def test_a_head_request_from_a_link_scanner_changes_nothing(db_url):
    answer = client(db_url).head(path("fiona@example.com", "birthday"))
    assert answer.status_code == 200
    assert not is_out(db_url, "fiona@example.com", "birthday")


def test_a_signature_with_non_ascii_characters_is_a_404_not_a_500(db_url):
    payload = unsubscribe_token("fiona@example.com", "birthday").partition(".")[0]
    web = client(db_url)
    for signature in ("é" * 24, "%C3%A9%E2%82%AC", "💥"):
        link = f"/club/unsubscribe/{payload}.{signature}"
        for answer in (web.get(link), web.post(link, data={"action": "unsubscribe"})):
            assert answer.status_code == 404 and "read this unsubscribe link" in answer.text
    assert not is_out(db_url, "fiona@example.com", "birthday")


def test_a_link_lives_as_long_as_we_hold_the_address_and_an_erased_one_is_never_stored_again(db_url):
    web = client(db_url)
    link = path("fiona@example.com", "birthday")
    assert web.get(link).status_code == 200
    with db.session(db_url) as s:
        erase(s, "fiona@example.com")
    for answer in (web.get(link), web.head(link), web.post(link, data={"action": "unsubscribe"})):
        assert answer.status_code == 410
    assert "no longer hold this address" in web.get(link).text
    with db.session(db_url) as s:
        assert s.exec(select(MailOptOut)).all() == []  # the erased address was not written down again


def test_an_address_we_never_mailed_has_nothing_to_unsubscribe(db_url):
    answer = client(db_url).post(path("stranger@example.com", "birthday"), data={"action": "unsubscribe"})
    assert answer.status_code == 410 and "nothing more will be sent" in answer.text
    assert not is_out(db_url, "stranger@example.com", "birthday")
