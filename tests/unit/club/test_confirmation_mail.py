"""The order confirmation: marketing's words, the car's picture inline, its nickname, spec, prices and tracker link."""

from datetime import UTC, datetime

from sqlmodel import select

from app.catalog.pricing import money, quote
from app.club.compose import PICTURE_CID, message_for
from app.club.order_mail import queue_confirmation
from app.club.outbox import OutboxMail
from app.orders.placement import spec_of
from tests.unit.club.conftest import add_order

NO_CONTENT: dict = {}


def confirmation(db_session, catalogue, pictures, nickname="McGregor", number="MJ4K7QX2"):
    build = catalogue.build_from("hatch", {"colour": "racing-green", "wheels": "wheels-minilite"})
    order = add_order(db_session, number, nickname=nickname, spec=spec_of(catalogue, build))
    order.total_price = quote(catalogue, build).total
    queue_confirmation(db_session, order, NO_CONTENT, pictures)
    return db_session.exec(select(OutboxMail).where(OutboxMail.order_id == order.id)).one(), build


def test_the_confirmation_carries_the_picture_nickname_spec_prices_and_tracker(db_session, catalogue, pictures):
    mail, build = confirmation(db_session, catalogue, pictures)
    bill = quote(catalogue, build)
    assert mail.picture is not None and mail.picture[:3] == b"\xff\xd8\xff"
    for part in (mail.body_text, mail.body_html):
        assert "McGregor · Hatch, as ordered" in part
        assert "Racing Green" in part and "16-inch eight-spoke wheels" in part
        assert "Follow McGregor home" in part and "https://motorjoy.example/track/MJ4K7QX2/" in part
        assert money(bill.total, "GBP") in part and money(catalogue.destination_charge, "GBP") in part
    assert "Colour: Racing Green, £350" in mail.body_text and f"Total: {money(bill.total, 'GBP')}" in mail.body_text
    assert "Wheels: 16-inch eight-spoke wheels, £600" in mail.body_text
    assert "Thank you for your order MJ4K7QX2" in mail.body_text  # marketing's words come first


def test_the_sent_letter_has_the_picture_inline_and_both_parts(db_session, catalogue, pictures, data_dir):
    mail, _build = confirmation(db_session, catalogue, pictures)
    message = message_for(mail, "Motorjoy Club <club@motorjoy.example>", datetime(2026, 11, 30, tzinfo=UTC))
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    related = message.get_payload()[1]
    image = next(part for part in related.iter_parts() if part.get_content_type() == "image/jpeg")
    assert image["Content-ID"] == f"<{PICTURE_CID}>" and f'src="cid:{PICTURE_CID}"' in html
    assert 'alt="Your car, exactly as ordered"' in html and "Racing Green" in text
    # The button keeps its own look: the letter's link colour is not stamped over its style.
    assert 'style="display:inline-block;padding:12px 20px;' in html
    (data_dir / "confirmation.eml").write_bytes(bytes(message))


def test_a_nickname_full_of_markup_stays_text_and_no_nickname_reads_well(db_session, catalogue, pictures):
    mail, _build = confirmation(db_session, catalogue, pictures, nickname="<b>Zoom</b>")
    assert "&lt;b&gt;Zoom&lt;/b&gt; · Hatch, as ordered" in mail.body_html and "<b>Zoom</b>" not in mail.body_html
    plain, _build = confirmation(db_session, catalogue, pictures, nickname="", number="MJ4K7QX3")
    assert "Your Hatch, as ordered" in plain.body_text and "Follow your car home" in plain.body_text
