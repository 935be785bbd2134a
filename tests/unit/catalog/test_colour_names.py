"""A customer's own paint is named with an everyday colour word."""

import pytest

from app.catalog.colour_names import NAMED_COLOURS, colour_name


@pytest.mark.parametrize(
    ("hex_code", "name"),
    [("#2A9D8F", "teal"), ("#12345A", "navy"), ("#FF0000", "red"), ("#FFFFFF", "white"), ("#0000FF", "blue")],
)
def test_nearest_everyday_name(hex_code: str, name: str):
    assert colour_name(hex_code) == name


def test_every_named_shade_is_called_by_its_own_name():
    for name, hex_code in NAMED_COLOURS.items():
        assert colour_name(hex_code) == name
