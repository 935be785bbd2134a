"""Finding your car without the link: the right pair finds it, anything else looks the same, and
one client can't try numbers for ever."""

from datetime import timedelta

import pytest

from app.orders.numbers import tracking_token
from app.tracking.lookup import TooManyLookups, find_order_for_customer, order_from_link
from tests.unit.tracking.tracking_data import NOW, add_order


@pytest.fixture
def orders(s):
    return (
        add_order(s, "MJ4K7QX2", "José Peña", "Jose.Pena@Example.com"),
        add_order(s, "MJ9ZZQ23", "Ana de la Cruz", "ana@example.com"),
    )


def find(s, number, text, client="1.2.3.4", now=NOW):
    return find_order_for_customer(s, number, text, client, now=now)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("MJ4K7QX2", "Peña"),
        ("mj 4k7-qx2", "  PENA "),  # the number as people type it, the name without its accent
        ("MJ4K7QX2", "jose.pena@example.COM"),
    ],
)
def test_the_right_pair_finds_the_order(s, orders, number, text):
    assert find(s, number, text) is orders[0]


def test_a_surname_of_several_words(s, orders):
    assert find(s, "MJ9ZZQ23", "De La Cruz") is orders[1]
    assert find(s, "MJ9ZZQ23", "cruz") is orders[1]


@pytest.mark.parametrize(
    ("number", "text"),
    [
        ("MJ4K7QX2", "Cruz"),  # someone else's name
        ("MJ4K7QX2", "ana@example.com"),  # someone else's email
        ("MJ4K7QX2", "José"),  # a first name isn't enough
        ("MJ4K7QX2", ""),
        ("MJ22222222", "Peña"),  # not a number at all
        ("MJ2222222", "Peña"),  # a number nobody has
    ],
)
def test_a_wrong_pair_looks_like_an_unknown_order(s, orders, number, text):
    assert find(s, number, text) is None


def test_every_lookup_counts_and_the_eleventh_in_ten_minutes_is_refused(s, orders):
    # The limiter's windows are tested in tests/unit/test_limits.py; here, that lookups go through it.
    for n in range(10):  # found or not, every lookup counts
        found = find(s, "MJ4K7QX2", "Peña" if n % 2 else "wrong", now=NOW + timedelta(seconds=n))
        assert found is (orders[0] if n % 2 else None)
    with pytest.raises(TooManyLookups, match="try again in 7 minutes, or use the link"):
        find(s, "MJ4K7QX2", "Peña", now=NOW + timedelta(minutes=3, seconds=30))
    assert find(s, "MJ4K7QX2", "Peña", client="5.6.7.8", now=NOW + timedelta(minutes=4)) is orders[0]


def test_the_private_link_opens_only_its_own_order(s, orders):
    pena, cruz = orders
    assert order_from_link(s, pena.number, tracking_token(pena.number)) is pena
    assert order_from_link(s, pena.number, tracking_token(cruz.number)) is None
    assert order_from_link(s, pena.number, tracking_token(pena.number)[:-1]) is None
    assert order_from_link(s, pena.number, "") is None
    assert order_from_link(s, "MJ2222222", tracking_token("MJ2222222")) is None  # signed, but no such order
