"""Referrals: the invite link, the build and order that remember it, and the two thank-yous, once each."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.club.commands import queue_due
from app.club.outbox import OutboxMail
from app.club.preferences import MailOptOut
from app.club.referrals import (
    ReferralError,
    checked_invite,
    driving_line,
    find_invite,
    friends_of,
    invite_for,
    invite_path,
    inviter_of_build,
    link_order,
    queue_referral_thanks,
    remember_build,
    warm_note,
)
from app.orders.models import StageEvent
from tests.unit.club.conftest import add_order

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def alex_and_sam(db_session):
    alex = add_order(db_session, "MJALEX22", email="alex@example.com", nickname="McGregor")
    alex.customer_name = "Alex Reid"
    sam = add_order(db_session, "MJSAM222", email="sam@example.com", nickname="")
    sam.customer_name, sam.build_code = "Sam Jones", "ABCDEFGH"
    db_session.flush()
    return alex, sam


def thanks(s) -> list[OutboxMail]:
    return list(s.exec(select(OutboxMail).where(OutboxMail.kind.like("referral%")).order_by(OutboxMail.id)).all())


def test_an_invite_is_one_random_link_per_buyer_with_a_warm_note(db_session, alex_and_sam):
    alex, sam = alex_and_sam
    invite = invite_for(db_session, alex)
    assert invite_for(db_session, alex).token == invite.token and len(invite.token) == 22
    assert invite_for(db_session, sam).token != invite.token
    assert invite_path(invite) == f"/build?invite={invite.token}"
    assert warm_note(alex) == "Alex's car is called McGregor. Build yours."
    assert warm_note(sam) == "Sam thinks you'd love one of these. Build yours."
    for guess in ("", None, "A" * 22, invite.token[:-1], invite.token + "x", "../../etc"):
        assert find_invite(db_session, guess) is None


def test_a_saved_build_remembers_the_invite_for_the_order_form(db_session, alex_and_sam):
    alex, _sam = alex_and_sam
    invite = invite_for(db_session, alex)
    assert remember_build(db_session, invite.token, "ABCDEFGH")
    assert remember_build(db_session, invite.token, "ABCDEFGH")  # saving twice is still one referral
    assert not remember_build(db_session, "not-a-token", "ZZZZZZZZ")
    assert inviter_of_build(db_session, "ABCDEFGH") == (invite.token, "Alex (McGregor's owner)")
    assert inviter_of_build(db_session, "ZZZZZZZZ") is None


def test_the_dealer_can_paste_a_link_or_clear_it_and_a_wrong_one_is_refused(db_session, alex_and_sam):
    alex, _sam = alex_and_sam
    invite = invite_for(db_session, alex)
    assert checked_invite(db_session, "") is None and checked_invite(db_session, "   ") is None
    assert checked_invite(db_session, f"https://motorjoy.example/build?invite={invite.token}")[0].id == invite.id
    assert checked_invite(db_session, invite.token)[1].id == alex.id
    for wrong in ("https://motorjoy.example/build", "A" * 22, "<script>"):
        with pytest.raises(ReferralError, match="isn't one of ours"):
            checked_invite(db_session, wrong)


def test_the_inviter_is_thanked_when_the_friend_orders_and_when_the_car_is_home_once_each(db_session, alex_and_sam):
    alex, sam = alex_and_sam
    invite = invite_for(db_session, alex)
    remember_build(db_session, invite.token, sam.build_code)
    link_order(db_session, sam, invite, NOW)
    assert link_order(db_session, sam, invite, NOW) is None  # a resubmitted order form thanks nobody twice
    [ordered] = thanks(db_session)
    assert ordered.recipient == "alex@example.com" and ordered.kind == "referral_ordered"
    assert "Sam" in ordered.subject and "Jones" not in ordered.body_text and "sam@example.com" not in ordered.body_text
    assert invite.token in ordered.body_text  # their link, to share again
    assert queue_referral_thanks(db_session, NOW) == []
    assert friends_of(db_session, alex)[0].first_name == "Sam" and driving_line(friends_of(db_session, alex)) == ""
    db_session.add(StageEvent(order_id=sam.id, stage="delivered", reached_at=NOW + timedelta(days=70)))
    db_session.flush()
    assert queue_referral_thanks(db_session, NOW) == ["referral_delivered:MJSAM222"]
    assert queue_referral_thanks(db_session, NOW) == []
    assert [m.kind for m in thanks(db_session)] == ["referral_ordered", "referral_delivered"]
    assert driving_line(friends_of(db_session, alex)) == "1 friend is driving because of you"


def test_nobody_thanks_themselves_and_an_opt_out_is_respected(db_session, alex_and_sam):
    alex, sam = alex_and_sam
    assert link_order(db_session, alex, invite_for(db_session, alex), NOW) is None
    db_session.add(MailOptOut(email="alex@example.com", topic="club_news"))
    db_session.flush()
    assert link_order(db_session, sam, invite_for(db_session, alex), NOW) is not None
    assert thanks(db_session) == []


def test_two_friends_home_reads_as_a_count():
    from app.club.referrals import Friend

    friends = [Friend("Sam", "Delivered", True), Friend("Jo", "Delivered", True), Friend("Kim", "At sea")]
    assert driving_line(friends) == "2 friends are driving because of you"


def test_the_mail_round_catches_up_thank_yous(db_url, tmp_path):
    from app import db

    with db.session(db_url) as s:
        alex = add_order(s, "MJALEX22", email="alex@example.com")
        sam = add_order(s, "MJSAM222", email="sam@example.com")
        invite = invite_for(s, alex)
        from app.club.referrals import Referral

        s.add(Referral(invite_id=invite.id, build_code="", friend_order_id=sam.id))
    queue_due(db_url, NOW)
    with db.session(db_url) as s:
        assert [m.dedupe_key for m in thanks(s)] == ["referral_ordered:MJSAM222"]
