"""Birthday cards: the right date (leap years, the owner's time zone), once, with the baby book and the picture."""

import io
import json
from datetime import UTC, date, datetime

from PIL import Image, ImageChops
from sqlmodel import select

from app.club.birthdays import anniversary, birthday_age, local_date, queue_birthday_cards
from app.club.car_picture import mail_picture
from app.club.commands import send_due
from app.club.compose import PICTURE_CID
from app.club.outbox import OutboxMail
from app.content.models import ContentVersion
from app.orders.placement import spec_of
from tests.unit.club.conftest import add_order

JOURNEY = {
    "ordered": datetime(2024, 1, 10, 9, 0, tzinfo=UTC),
    "built": datetime(2024, 2, 2, 14, 0, tzinfo=UTC),
    "at_sea": datetime(2024, 2, 12, 8, 0, tzinfo=UTC),
    "port_processing": datetime(2024, 3, 7, 8, 0, tzinfo=UTC),
    "delivered": datetime(2024, 3, 15, 11, 0, tzinfo=UTC),
}
ON_THE_DAY = datetime(2025, 3, 15, 7, 0, tzinfo=UTC)


def test_a_leap_day_car_celebrates_on_28_february_except_in_leap_years():
    leap_day = date(2024, 2, 29)
    assert anniversary(leap_day, 2025) == date(2025, 2, 28)
    assert anniversary(leap_day, 2028) == date(2028, 2, 29)
    assert birthday_age(leap_day, date(2025, 2, 28)) == 1
    assert birthday_age(leap_day, date(2028, 2, 29)) == 4
    assert birthday_age(leap_day, date(2028, 2, 28)) is None  # in a leap year it waits for its own day


def test_no_card_before_the_first_birthday_nor_long_after_the_day():
    delivered = date(2024, 3, 15)
    assert birthday_age(delivered, date(2024, 3, 15)) is None  # delivery day itself is not a birthday
    assert birthday_age(delivered, date(2025, 3, 14)) is None
    assert birthday_age(delivered, date(2025, 3, 17)) == 1  # the mailer was down: still in the grace days
    assert birthday_age(delivered, date(2025, 3, 18)) is None
    assert birthday_age(date(2023, 12, 31), date(2025, 1, 1)) == 1  # grace days cross the new year


def test_an_auckland_car_gets_its_card_on_the_auckland_date(db_session, pictures):
    # Delivered 15 March, 10:00 in Auckland, which is still 14 March in UTC.
    delivered = datetime(2024, 3, 14, 21, 0, tzinfo=UTC)
    assert local_date(delivered, "Pacific/Auckland") == date(2024, 3, 15)
    add_order(db_session, "MJAKL234", time_zone="Pacific/Auckland", stages={"delivered": delivered})
    # 14 March 2025 20:00 UTC is already the morning of 15 March in Auckland.
    assert queue_birthday_cards(db_session, datetime(2025, 3, 14, 10, 0, tzinfo=UTC), pictures) == []
    assert queue_birthday_cards(db_session, datetime(2025, 3, 14, 20, 0, tzinfo=UTC), pictures) == ["MJAKL234"]


def test_the_card_carries_the_baby_book_and_is_queued_once(db_session, pictures):
    add_order(db_session, "MJBDAY23", stages=JOURNEY)
    assert queue_birthday_cards(db_session, ON_THE_DAY, pictures) == ["MJBDAY23"]
    assert queue_birthday_cards(db_session, ON_THE_DAY, pictures) == []
    card = db_session.exec(select(OutboxMail).where(OutboxMail.kind == "birthday_card")).one()
    assert card.dedupe_key == "birthday:MJBDAY23:2025"
    assert card.subject == "Happy birthday, McGregor! One year home today"
    for line in ("Ordered: 10 January 2024", "Built: 2 February 2024", "24 days aboard Northern Lights"):
        assert line in card.body_text
    assert "Came home: 15 March 2024" in card.body_text
    assert card.picture[:3] == b"\xff\xd8\xff"  # a JPEG


def test_a_nickname_full_of_markup_is_shown_as_text(db_session, pictures):
    add_order(db_session, "MJHTML23", nickname="<b>x</b> *y*", stages={"delivered": JOURNEY["delivered"]})
    queue_birthday_cards(db_session, ON_THE_DAY, pictures)
    card = db_session.exec(select(OutboxMail)).one()
    assert "&lt;b&gt;x&lt;/b&gt; *y* is one today" in card.body_html
    assert "<b>x</b> *y* is one today" in card.body_text


def test_a_car_without_nickname_or_ship_gets_a_graceful_card_and_an_unknown_spec_no_picture(db_session, pictures):
    unknown = {"model": "hatch", "model_name": "Hatch", "choices": {"colour": "gone-forever"}, "hex": "#000000"}
    add_order(db_session, "MJPLAIN2", nickname="", spec=unknown, stages={"delivered": JOURNEY["delivered"]})
    queue_birthday_cards(db_session, ON_THE_DAY, pictures)
    card = db_session.exec(select(OutboxMail)).one()
    assert card.subject.startswith("Happy birthday, Your Hatch!")
    assert "a good few days aboard a very big ship" in card.body_text
    assert card.picture is None


def test_the_card_arrives_once_with_its_inline_picture_and_both_parts(db_url, db_session, smtp, mailbox, pictures):
    add_order(db_session, "MJBDAY23", stages=JOURNEY)
    db_session.commit()
    first = send_due(db_url, now=ON_THE_DAY, config=smtp, pictures=pictures)
    again = send_due(db_url, now=ON_THE_DAY, config=smtp, pictures=pictures)
    assert (first.birthdays, first.delivery.outcomes["sent"]) == (1, 1)
    assert (again.birthdays, again.delivery.outcomes["sent"]) == (0, 0)
    [card] = mailbox.messages
    assert card.get_content_type() == "multipart/alternative"
    text = card.get_body(("plain",)).get_content()
    html = card.get_body(("html",)).get_content()
    related = card.get_payload()[1]
    image = next(part for part in related.iter_parts() if part.get_content_type() == "image/jpeg")
    assert related.get_content_type() == "multipart/related"
    assert image["Content-ID"] == f"<{PICTURE_CID}>" and f'src="cid:{PICTURE_CID}"' in html
    assert image.get_content()[:3] == b"\xff\xd8\xff"
    assert "McGregor is one today!" in text and "McGregor is one today!" in html
    assert card["List-Unsubscribe"].startswith("<https://motorjoy.example/club/unsubscribe/")
    assert card["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_card_keeps_the_picture_of_a_colour_retired_since_in_that_colour(db_session, catalogue, pictures):
    # Marketing retires Sherbet Yellow after the car was delivered; the card is drawn from what is published.
    spec = spec_of(catalogue, catalogue.build_from("hatch", {"colour": "sherbet-yellow"}))
    add_order(db_session, "MJSHRBT2", spec=spec, stages={"delivered": JOURNEY["delivered"]})
    retired = {"name": "Sherbet Yellow", "hex": "#F4C542", "price": 350, "retired": True}
    db_session.add(ContentVersion(key="option:sherbet-yellow", version=1, value=json.dumps(retired), author="Alice"))
    db_session.flush()
    assert queue_birthday_cards(db_session, ON_THE_DAY) == ["MJSHRBT2"]  # no pictures given: the published ones
    card = db_session.exec(select(OutboxMail)).one()
    assert card.picture is not None
    yellow = Image.open(io.BytesIO(card.picture)).convert("RGB")
    shipped = Image.open(io.BytesIO(mail_picture(pictures, spec))).convert("RGB")
    assert yellow.size == shipped.size and ImageChops.difference(yellow, shipped).getbbox() is None
