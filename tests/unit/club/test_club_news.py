"""Feature notes and stage news: only for those who asked, once each; previews and test sends for marketing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.catalog import load_catalogue
from app.club.feature_notes import FeatureNoteError, feature_note_preview, queue_feature_note
from app.club.order_news import queue_stage_news
from app.club.outbox import OutboxMail
from app.club.preferences import opt_out
from app.club.templates import TemplateError, template
from app.configurator.builds import save_build
from app.orders.models import Order
from app.orders.placement import Customer, OrderError, place_order
from app.staff.accounts import create_user
from app.staff.models import Dealership
from tests.unit.club.conftest import add_order

PLACED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NOTE = "We built a **compare** page. [Have a look](https://motorjoy.example/compare)."


def keys(session) -> list[str]:
    return list(session.exec(select(OutboxMail.dedupe_key).order_by(OutboxMail.id)).all())


def test_stage_news_only_for_buyers_who_asked_and_only_the_newest_stage(db_session):
    built, at_sea = PLACED + timedelta(days=20), PLACED + timedelta(days=30)
    add_order(db_session, "MJNEWS23", placed_at=PLACED, stage_news=True, stages={"built": built, "at_sea": at_sea})
    add_order(db_session, "MJQUIET2", placed_at=PLACED, email="q@example.com", stages={"at_sea": at_sea})
    assert queue_stage_news(db_session, at_sea + timedelta(hours=1)) == ["stage:MJNEWS23:at_sea"]
    assert queue_stage_news(db_session, at_sea + timedelta(hours=2)) == []
    news = db_session.exec(select(OutboxMail)).one()
    assert news.subject == "McGregor: At sea"
    assert "https://motorjoy.example/track/MJNEWS23/" in news.body_html


def test_no_stage_news_for_old_news_or_stages_before_the_order(db_session):
    add_order(db_session, "MJOLD234", placed_at=PLACED, stage_news=True, stages={"built": PLACED - timedelta(days=1)})
    add_order(
        db_session, "MJLATE23", email="l@example.com", placed_at=PLACED, stage_news=True, stages={"built": PLACED}
    )
    assert queue_stage_news(db_session, PLACED + timedelta(days=10)) == []


def test_a_feature_note_goes_once_to_each_member_who_opted_in(db_session):
    add_order(db_session, "MJCLUB23", club_news=True)
    add_order(db_session, "MJCLUB34", club_news=True, email="FIONA@example.com")  # the same owner, two cars
    add_order(db_session, "MJLEFT23", club_news=True, email="left@example.com")
    add_order(db_session, "MJNONE23", email="none@example.com")
    opt_out(db_session, "left@example.com", "club_news")
    assert queue_feature_note(db_session, slug="compare", subject="Side by side", body_markdown=NOTE) == 1
    assert queue_feature_note(db_session, slug="compare", subject="Side by side", body_markdown=NOTE) == 0
    assert keys(db_session) == ["feature:compare:fiona@example.com"]


def test_test_sends_go_only_to_marketing_as_often_as_asked(db_session):
    add_order(db_session, "MJCLUB23", club_news=True)
    for _ in range(2):
        assert queue_feature_note(db_session, slug="compare", subject="S", body_markdown=NOTE, test_to="m@example.com")
    mails = db_session.exec(select(OutboxMail)).all()
    assert [m.recipient for m in mails] == ["m@example.com"] * 2 and len({m.dedupe_key for m in mails}) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "Big News!"}, "lower-case letters"),
        ({"subject": "  "}, "subject can't be empty"),
        ({"body_markdown": "Hello {owner}"}, "{owner} isn't something"),
        ({"test_to": "not an address"}, "test address doesn't look right"),
    ],
)
def test_a_bad_note_is_refused_with_a_clear_message_and_nothing_queued(db_session, fields, message):
    add_order(db_session, "MJCLUB23", club_news=True)
    note = {"slug": "compare", "subject": "Side by side", "body_markdown": NOTE} | fields
    with pytest.raises(FeatureNoteError, match=message):
        queue_feature_note(db_session, **note)
    assert keys(db_session) == []


def test_the_preview_is_the_whole_letter():
    preview = feature_note_preview("Side by side", NOTE)
    assert "<strong>compare</strong>" in preview.html and "max-width:560px" in preview.html
    assert "Have a look (https://motorjoy.example/compare)" in preview.text
    assert "/club/unsubscribe/" in preview.text


def test_an_unknown_template_is_named():
    with pytest.raises(TemplateError, match="no mail template called 'postcard'"):
        template("postcard", {})


def test_place_order_keeps_preferences_and_refuses_an_unknown_time_zone(db_session):
    catalogue = load_catalogue()
    db_session.add(Dealership(name="G", city="Glasgow"))
    dealer = create_user(db_session, "d@example.com", "Dee", "dealer", "a long enough password", dealership_name="G")
    code = save_build(db_session, catalogue, catalogue.build_from("hatch"), "McGregor")
    customer = Customer("Fiona MacLeod", "fiona@example.com")
    with pytest.raises(OrderError, match="'Mars/Olympus_Mons' isn't a time zone"):
        place_order(db_session, catalogue, dealer, code, customer, "", "k1", time_zone="Mars/Olympus_Mons")
    assert db_session.exec(select(Order)).all() == []
    order = place_order(
        db_session, catalogue, dealer, code, customer, "", "k2", stage_news=True, time_zone="Pacific/Auckland"
    )
    assert (order.stage_news, order.club_news, order.time_zone) == (True, False, "Pacific/Auckland")
