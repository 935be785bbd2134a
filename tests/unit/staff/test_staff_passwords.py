"""Passwords are stored as argon2id hashes and must be 10 to 256 characters."""

import pytest

from app.staff.passwords import PasswordError, hash_password, needs_rehash, verify_password


def test_hash_verifies_and_is_not_the_password():
    hashed = hash_password("correct horse battery")
    assert "correct horse battery" not in hashed
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse battery!")
    assert not needs_rehash(hashed)


def test_same_password_gets_a_different_salt_each_time():
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


@pytest.mark.parametrize("broken", ["", "not-a-hash", "$argon2id$v=19$m=1,t=1,p=1$xx$yy"])
def test_broken_hash_is_a_plain_false(broken):
    assert verify_password(broken, "correct horse battery") is False
    assert needs_rehash(broken)


def test_weaker_old_hash_needs_a_rehash():
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse battery")
    assert verify_password(weak, "correct horse battery")
    assert needs_rehash(weak)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10 characters"), ("x" * 257, "at most 256 characters")],
)
def test_password_rules_explain_themselves(password, message):
    with pytest.raises(PasswordError, match=message):
        hash_password(password)


def test_rule_edges_are_allowed():
    assert verify_password(hash_password("x" * 10), "x" * 10)
    assert verify_password(hash_password("x" * 256), "x" * 256)
    assert not verify_password(hash_password("x" * 256), "x" * 257)
