"""Build codes: random, readable aloud, and forgiving about how people type them back."""

import pytest

from app.configurator.codes import ALPHABET, LENGTH, new_code, normalise_code


def test_alphabet_has_no_look_alike_characters() -> None:
    assert not set("01OIL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_codes_use_the_alphabet_and_are_unique() -> None:
    codes = [new_code() for _ in range(5000)]
    assert all(len(code) == LENGTH == 8 for code in codes)
    assert all(set(code) <= set(ALPHABET) for code in codes)
    assert len(set(codes)) == len(codes)
    # Every character turns up (5000 * 8 draws from 31), so no part of the alphabet is dead.
    assert set("".join(codes)) == set(ALPHABET)


def test_a_fresh_code_normalises_to_itself() -> None:
    code = new_code()
    assert normalise_code(code) == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABCD2345", "ABCD2345"),
        ("abcd2345", "ABCD2345"),
        ("abcd-2345", "ABCD2345"),
        (" AB CD 23 45 ", "ABCD2345"),
        ("ab-cd-23-45", "ABCD2345"),
        ("\tXYZW\n9876", "XYZW9876"),
    ],
)
def test_accepts_what_people_type(text: str, expected: str) -> None:
    assert normalise_code(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ABCD234O",  # O looks like 0
        "ABCD2340",
        "ABCD234I",
        "ABCD2341",
        "abcd234l",
        "ABCD234",  # too short
        "ABCD23456",  # too long
        "",
        "--------",
        "ABCD_2345",
        "ABCD.2345",
        "ÄBCD2345",
        "A" * 33,
        "ABCD2345" + " " * 40,
        None,
        12345678,
        b"ABCD2345",
    ],
)
def test_rejects_what_cannot_be_a_code(text) -> None:
    assert normalise_code(text) is None
