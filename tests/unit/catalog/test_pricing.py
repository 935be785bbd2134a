"""Prices: every line of the bill and its total, and how amounts are written."""

from pathlib import Path

import pytest

from app.catalog import Catalogue, load_catalogue
from app.catalog.pricing import PriceLine, money, quote


@pytest.fixture
def catalogue(layers_dir: Path) -> Catalogue:
    return load_catalogue(layers_dir)


def test_default_build_is_base_plus_free_options_plus_delivery(catalogue: Catalogue) -> None:
    bill = quote(catalogue, catalogue.build_from("estate"))
    assert bill.lines[0] == PriceLine("Estate base price", 23950)
    assert bill.lines[-1] == PriceLine("Destination charge", 995)
    # One line per choice slot, free ones included, in slot order.
    assert [line.option_id for line in bill.lines[1:-1]] == list(catalogue.build_from("estate").option_ids)
    assert bill.total == 23950 + 600 + 995  # turbine wheels are the estate's only paid default
    assert bill.currency == "GBP"


def test_options_add_their_prices(catalogue: Catalogue) -> None:
    build = catalogue.build_from(
        "hatch", {"colour": "midnight-black", "roof": "roof-black", "stripes": "stripes-black", "badge": "badge-sport"}
    )
    bill = quote(catalogue, build)
    assert bill.total == 19950 + 250 + 300 + 450 + 80 + 995
    assert PriceLine("Black bonnet stripes", 450, "stripes-black") in bill.lines


def test_custom_colour_line_names_the_code(catalogue: Catalogue) -> None:
    bill = quote(catalogue, catalogue.build_from("hatch", {"colour": "custom"}, hex="a1b2c3"))
    assert PriceLine("Any colour you like (#A1B2C3)", 900, "custom") in bill.lines
    assert bill.total == 19950 + 900 + 300 + 995


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (0, "GBP", "£0"),
        (995, "GBP", "£995"),
        (1000, "GBP", "£1,000"),
        (19950, "GBP", "£19,950"),
        (1234567, "GBP", "£1,234,567"),
        (-300, "GBP", "-£300"),
        (-12500, "GBP", "-£12,500"),
        (2500, "EUR", "€2,500"),
        (2500, "USD", "$2,500"),
        (2500, "CHF", "CHF 2,500"),
    ],
)
def test_money(amount: int, currency: str, expected: str) -> None:
    assert money(amount, currency) == expected
