"""Creating staff accounts, signing in and out, throttling, sessions and permissions."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import SQLModel, select

from app import db
from app.limits import RateLimit
from app.staff.accounts import (
    ACCOUNT_FAILURES,
    NO_MATCH,
    NOT_ALLOWED,
    SESSION_LIFETIME,
    SIGN_IN_FAILURES,
    AccountError,
    NotAllowed,
    SignInError,
    can_see_dealership,
    create_user,
    current_user,
    device_token,
    require_role,
    sign_in,
    sign_out,
    token_hash,
)
from app.staff.models import ROLES, Dealership, StaffSession, StaffUser
from tests.unit.staff.conftest import T0

PW = "a long enough password"


def make(s, email="dana@motorjoy.example", role="dealer", dealership="Motorjoy Glasgow", password=PW):
    return create_user(s, email, "Dana", role, password, dealership_name=dealership if role == "dealer" else None)


# --- create_user ----------------------------------------------------------------------------------


def test_create_user_lower_cases_email_and_hashes_password(s):
    user = make(s, email="  Dana@MotorJoy.Example ")
    assert user.id is not None
    assert user.email == "dana@motorjoy.example"
    assert user.password_hash != PW and user.password_hash.startswith("$argon2id$")
    assert user.active
    glasgow = s.exec(select(Dealership).where(Dealership.name == "Motorjoy Glasgow")).one()
    assert user.dealership_id == glasgow.id


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "not-an-email"}, "doesn't look like an email"),
        ({"email": "a@b"}, "doesn't look like an email"),
        ({"role": "boss"}, "Unknown role"),
        ({"dealership": None}, "needs a dealership"),
        ({"dealership": "Motorjoy Atlantis"}, "No dealership called"),
        ({"password": "short"}, "at least 10 characters"),
        ({"name": "  "}, "Give the person a name"),
    ],
)
def test_create_user_refuses_clearly_and_writes_nothing(s, kwargs, message):
    args = {
        "email": "x@motorjoy.example",
        "name": "X",
        "role": "dealer",
        "password": PW,
        "dealership": "Motorjoy Leeds",
    } | kwargs
    with pytest.raises(AccountError, match=message):
        create_user(s, args["email"], args["name"], args["role"], args["password"], args["dealership"])
    assert s.exec(select(StaffUser)).all() == []


def test_non_dealer_with_a_dealership_is_refused(s):
    with pytest.raises(AccountError, match="Only dealers"):
        create_user(s, "m@motorjoy.example", "M", "marketing", PW, dealership_name="Motorjoy Leeds")


def test_duplicate_email_is_refused_whatever_its_case(s):
    make(s)
    with pytest.raises(AccountError, match="already a staff account"):
        make(s, email="DANA@motorjoy.example")
    assert len(s.exec(select(StaffUser)).all()) == 1


def test_failed_create_in_a_block_leaves_the_database_untouched(db_url):
    with pytest.raises(AccountError), db.session(db_url) as s:
        create_user(s, "bad", "X", "admin", PW)
    with db.session(db_url) as s:
        assert s.exec(select(StaffUser)).all() == []


# --- sign_in --------------------------------------------------------------------------------------


def test_sign_in_returns_a_token_that_is_stored_only_as_a_hash(s):
    user = make(s)
    token = sign_in(s, "DANA@motorjoy.example", PW, "client-1", now=T0)
    assert len(token) >= 40
    stored = s.exec(select(StaffSession)).one()
    assert stored.token_hash == token_hash(token) != token
    assert stored.user_id == user.id
    assert current_user(s, token, now=T0) == user


def test_each_sign_in_gets_a_fresh_token(s):
    make(s)
    assert sign_in(s, "dana@motorjoy.example", PW, "c", now=T0) != sign_in(s, "dana@motorjoy.example", PW, "c", now=T0)


def test_unknown_email_and_wrong_password_get_the_same_message(s):
    make(s)
    with pytest.raises(SignInError) as unknown:
        sign_in(s, "nobody@motorjoy.example", PW, "c1", now=T0)
    with pytest.raises(SignInError) as wrong:
        sign_in(s, "dana@motorjoy.example", "wrong password!", "c2", now=T0)
    assert str(unknown.value) == str(wrong.value) == NO_MATCH


def test_unknown_email_still_checks_a_password(s, monkeypatch):
    """Timing: an unknown email costs one argon2 verification too."""
    from app.staff import accounts

    calls = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    with pytest.raises(SignInError):
        sign_in(s, "nobody@motorjoy.example", PW, "c", now=T0)
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_inactive_user_cannot_sign_in(s):
    user = make(s)
    user.active = False
    s.add(user)
    with pytest.raises(SignInError, match=NO_MATCH):
        sign_in(s, user.email, PW, "c", now=T0)


def test_failures_survive_the_error_unwinding_the_callers_block(db_url, s):
    make(s)
    s.commit()
    with pytest.raises(SignInError), db.session(db_url) as other:
        sign_in(other, "dana@motorjoy.example", "wrong password!", "c", now=T0)
    with db.session(db_url) as fresh:
        counts = {row.key: row.hits for row in fresh.exec(select(RateLimit))}
    assert counts == {"email:dana@motorjoy.example": 1, "client:c": 1}


def test_old_hash_is_upgraded_on_sign_in(s):
    from argon2 import PasswordHasher

    user = make(s)
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PW)
    s.add(user)
    old = user.password_hash
    sign_in(s, user.email, PW, "c", now=T0)
    assert user.password_hash != old and "m=65536" in user.password_hash


# --- throttling -----------------------------------------------------------------------------------


def fail(s, email, client, now, times=1):
    for _ in range(times):
        with pytest.raises(SignInError, match=NO_MATCH):
            sign_in(s, email, "wrong password!", client, now=now)


def test_sixth_try_waits_without_checking_the_password(s, monkeypatch):
    from app.staff import accounts

    make(s)
    fail(s, "dana@motorjoy.example", "c", T0, times=5)
    monkeypatch.setattr(accounts, "verify_password", lambda *_: pytest.fail("password checked while throttled"))
    with pytest.raises(SignInError, match=r"Too many tries\. .* try again in 15 minutes\."):
        sign_in(s, "dana@motorjoy.example", PW, "c", now=T0)
    monkeypatch.undo()
    assert sign_in(s, "dana@motorjoy.example", PW, "c", now=T0 + timedelta(minutes=15))


def test_success_clears_the_clients_count_but_not_the_accounts(s):
    make(s)
    fail(s, "dana@motorjoy.example", "c", T0, times=4)
    sign_in(s, "dana@motorjoy.example", PW, "c", now=T0)
    # The account-wide count stays, or each sign-in by the owner would reset a spread attack's allowance.
    assert [(r.rule, r.key) for r in s.exec(select(RateLimit))] == [("sign-in-account", "email:dana@motorjoy.example")]
    fail(s, "dana@motorjoy.example", "c", T0, times=4)  # four more are free again
    assert sign_in(s, "dana@motorjoy.example", PW, "c", now=T0)


def test_one_client_trying_many_emails_is_throttled(s):
    make(s)
    for n in range(5):
        fail(s, f"guess{n}@motorjoy.example", "attacker", T0)
    with pytest.raises(SignInError, match="Too many tries"):
        sign_in(s, "dana@motorjoy.example", PW, "attacker", now=T0)
    # Dana on her own computer is not punished for the attacker's guesses.
    assert sign_in(s, "dana@motorjoy.example", PW, "dana-laptop", now=T0)


@pytest.fixture
def spread_limit(monkeypatch):
    """The account-wide limit at 8 instead of 50, so the test makes 8 slow password checks, not 50."""
    from app import limits
    from app.staff import accounts

    rule = limits.Rule(ACCOUNT_FAILURES.name, 8, ACCOUNT_FAILURES.per)
    monkeypatch.setattr(accounts, "ACCOUNT_FAILURES", rule)
    return rule


def test_one_account_tried_from_many_clients_is_throttled(s, spread_limit):
    make(s)
    for n in range(spread_limit.hits):
        fail(s, "dana@motorjoy.example", f"bot-{n}", T0)
    with pytest.raises(SignInError, match="Too many tries"):
        sign_in(s, "dana@motorjoy.example", PW, "fresh-client", now=T0)


def test_one_attacker_cant_lock_the_owner_out(s):
    make(s)
    fail(s, "dana@motorjoy.example", "attacker", T0, times=SIGN_IN_FAILURES.hits)
    with pytest.raises(SignInError, match="Too many tries"):
        sign_in(s, "dana@motorjoy.example", PW, "attacker", now=T0)
    assert sign_in(s, "dana@motorjoy.example", PW, "dana-laptop", now=T0)  # the owner, from her own client
    assert ACCOUNT_FAILURES.hits >= 5 * SIGN_IN_FAILURES.hits  # it takes many clients to close the account


def test_the_owners_browser_gets_past_a_spread_attack_but_not_past_its_own_limit(s, spread_limit):
    make(s)
    device = device_token("Dana@Motorjoy.example")
    for n in range(spread_limit.hits):
        fail(s, "dana@motorjoy.example", f"bot-{n}", T0)
    with pytest.raises(SignInError, match="Too many tries"):
        sign_in(s, "dana@motorjoy.example", PW, "dana-laptop", now=T0, device="forged" + device[6:])
    assert sign_in(s, "dana@motorjoy.example", PW, "dana-laptop", now=T0, device=device)
    for _ in range(SIGN_IN_FAILURES.hits):
        with pytest.raises(SignInError, match=NO_MATCH):
            sign_in(s, "dana@motorjoy.example", "wrong password!", "dana-laptop", now=T0, device=device)
    with pytest.raises(SignInError, match="Too many tries"):  # the device skips the account limit only
        sign_in(s, "dana@motorjoy.example", PW, "dana-laptop", now=T0, device=device)
    with pytest.raises(SignInError, match="Too many tries"):  # and the account is still closed to strangers
        sign_in(s, "dana@motorjoy.example", PW, "fresh-client", now=T0)


# --- sessions -------------------------------------------------------------------------------------


def test_current_user_refreshes_last_seen_and_expires(s):
    user = make(s)
    token = sign_in(s, user.email, PW, "c", now=T0)
    later = T0 + timedelta(hours=3)
    assert current_user(s, token, now=later) == user
    assert s.exec(select(StaffSession)).one().last_seen_at.replace(tzinfo=later.tzinfo) == later
    assert current_user(s, token, now=T0 + SESSION_LIFETIME) is None


@pytest.mark.parametrize("token", [None, "", "made-up-token"])
def test_current_user_is_none_for_missing_or_unknown_tokens(s, token):
    make(s)
    sign_in(s, "dana@motorjoy.example", PW, "c", now=T0)
    assert current_user(s, token, now=T0) is None


def test_deactivated_user_loses_their_session(s):
    user = make(s)
    token = sign_in(s, user.email, PW, "c", now=T0)
    user.active = False
    s.add(user)
    assert current_user(s, token, now=T0) is None


def test_sign_out_ends_only_that_session_and_is_idempotent(s):
    user = make(s)
    phone = sign_in(s, user.email, PW, "phone", now=T0)
    desk = sign_in(s, user.email, PW, "desk", now=T0)
    sign_out(s, phone)
    sign_out(s, phone)
    sign_out(s, None)
    assert current_user(s, phone, now=T0) is None
    assert current_user(s, desk, now=T0) == user


# --- permissions ----------------------------------------------------------------------------------


def staff(role, dealership_id=None, active=True):
    return StaffUser(id=1, email=f"{role}@x.example", name=role, role=role, dealership_id=dealership_id,
                     password_hash="", active=active)  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("needed", [("dealer",), ("marketing",), ("admin",), ("dealer", "marketing")])
def test_require_role_for_every_combination(role, needed):
    user = staff(role, dealership_id=1 if role == "dealer" else None)
    if role == "admin" or role in needed:
        assert require_role(user, *needed) is user
    else:
        with pytest.raises(NotAllowed, match=NOT_ALLOWED):
            require_role(user, *needed)


@pytest.mark.parametrize("role", ROLES)
def test_require_role_refuses_nobody_and_inactive(role):
    with pytest.raises(NotAllowed):
        require_role(None, role)
    with pytest.raises(NotAllowed):
        require_role(staff(role, active=False), role)


def test_can_see_dealership():
    assert can_see_dealership(staff("admin"), 1) and can_see_dealership(staff("admin"), 2)
    assert can_see_dealership(staff("dealer", dealership_id=1), 1)
    assert not can_see_dealership(staff("dealer", dealership_id=1), 2)
    assert not can_see_dealership(staff("dealer", dealership_id=None), None)
    assert not can_see_dealership(staff("marketing"), 1)
    assert not can_see_dealership(staff("admin", active=False), 1)
    assert not can_see_dealership(None, 1)


def test_an_email_longer_than_the_column_is_throttled_per_client_and_costs_no_hash(s, monkeypatch):
    from app.staff import accounts

    make(s)
    monkeypatch.setattr(accounts, "verify_password", lambda *_: pytest.fail("hashed a password for a 300-char email"))
    long_email = "a" * 300 + "@motorjoy.example"
    fail(s, long_email, "attacker", T0, times=5)
    with pytest.raises(SignInError, match="Too many tries"):
        sign_in(s, long_email, PW, "attacker", now=T0)
    monkeypatch.undo()
    with pytest.raises(SignInError, match="Too many tries"):  # the same client can't switch to a real account
        sign_in(s, "dana@motorjoy.example", PW, "attacker", now=T0)
    assert sign_in(s, "dana@motorjoy.example", PW, "dana-laptop", now=T0)


def test_a_staff_action_waits_for_another_writer_instead_of_failing(tmp_path):
    # SQLite: a transaction that has read can't start writing once another connection has committed
    # since. Every staff action reads who is signed in, then writes; it must wait, not fail.
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    SQLModel.metadata.create_all(db.engine(url))
    try:
        with db.session(url) as setup:
            token = sign_in(setup, make(setup, role="marketing").email, PW, "c")
        with ThreadPoolExecutor(max_workers=1) as thread, db.session(url) as s:
            assert current_user(s, token) is not None
            other = thread.submit(_add_dealership, url, "Motorjoy Leeds")  # e.g. the club mail's thread
            time.sleep(0.3)
            s.add(Dealership(name="Motorjoy Glasgow", city="Glasgow"))  # the action itself
            s.flush()
        other.result(timeout=30)
        with db.session(url) as s:
            assert {d.name for d in s.exec(select(Dealership))} == {"Motorjoy Glasgow", "Motorjoy Leeds"}
    finally:
        db.dispose(url)


def _add_dealership(url: str, name: str) -> None:
    with db.session(url) as s:
        s.add(Dealership(name=name, city="Leeds"))
