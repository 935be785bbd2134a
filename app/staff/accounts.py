"""Staff sign-in, sessions and permissions: plain Python that the pages and the CLI call.

Every function takes the caller's SQLModel session and leaves committing to the caller, with one
exception: a failed sign-in commits its failure count before raising, because the SignInError would
otherwise roll the count back as it unwinds the caller's `db.session()` block.
"""

import base64
import contextlib
import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlmodel import Session, col, delete, select, update

from app import db, limits, settings
from app.staff.models import ROLES, Dealership, StaffSession, StaffUser
from app.staff.passwords import PasswordError, hash_password, needs_rehash, verify_password

SESSION_LIFETIME = timedelta(hours=12)  # one working day; the desk signs in again tomorrow
# Typos are human: five failures per client every quarter of an hour cost nothing.
SIGN_IN_FAILURES = limits.Rule(name="sign-in", hits=5, per=timedelta(minutes=15))
# Per account the limit is ten times higher: one attacker can't lock the owner out, only a spread attack
# reaches it, and the owner's own browser (a device token) still gets past it.
ACCOUNT_FAILURES = limits.Rule(name="sign-in-account", hits=50, per=timedelta(minutes=15))
MAX_EMAIL = 254  # the longest address SMTP allows, and staff_users.email's length

NO_MATCH = "That email and password don't match."
NOT_ALLOWED = "You're not allowed to see this."
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class AccountError(ValueError):
    """A staff account that can't be created as asked; the message is for the operator."""


class SignInError(ValueError):
    """A refused sign-in; the message is safe to show on the sign-in page as it is."""


class NotAllowed(PermissionError):
    """The signed-in person (or nobody) may not see or do this."""

    def __init__(self, message: str = NOT_ALLOWED) -> None:
        super().__init__(message)


def _now(now: datetime | None) -> datetime:
    return _as_utc(now) if now else datetime.now(UTC)


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything Motorjoy stores is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_hash(token: str) -> str:
    """What the sessions table keeps instead of the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- accounts -------------------------------------------------------------------------------------


def create_user(
    session: Session,
    email: str,
    name: str,
    role: str,
    password: str,
    dealership_name: str | None = None,
) -> StaffUser:
    """Add a staff user after checking everything first, so a refusal writes nothing."""
    email = normalise_email(email)
    name = name.strip()
    if not _EMAIL.match(email) or len(email) > MAX_EMAIL:
        raise AccountError(f"“{email}” doesn't look like an email address.")
    if not name:
        raise AccountError("Give the person a name, so colleagues know who did what.")
    if role not in ROLES:
        raise AccountError(f"Unknown role “{role}”; choose one of {', '.join(ROLES)}.")
    dealership_id = _dealership_for(session, role, dealership_name)
    if session.exec(select(StaffUser.id).where(StaffUser.email == email)).first() is not None:
        raise AccountError(f"There is already a staff account for {email}.")
    try:
        password_hash = hash_password(password)
    except PasswordError as error:
        raise AccountError(str(error)) from None
    user = StaffUser(email=email, name=name, role=role, dealership_id=dealership_id, password_hash=password_hash)
    session.add(user)
    session.flush()
    return user


def _dealership_for(session: Session, role: str, dealership_name: str | None) -> int | None:
    """Dealers belong to exactly one existing dealership; nobody else belongs to one."""
    dealership_name = (dealership_name or "").strip()
    if role != "dealer":
        if dealership_name:
            raise AccountError("Only dealers belong to a dealership; leave the dealership out.")
        return None
    if not dealership_name:
        raise AccountError("A dealer needs a dealership (for example “Motorjoy Glasgow”).")
    dealership = session.exec(select(Dealership).where(Dealership.name == dealership_name)).first()
    if dealership is None:
        known = ", ".join(session.exec(select(Dealership.name).order_by(Dealership.name)).all()) or "none yet"
        raise AccountError(f"No dealership called “{dealership_name}” (known: {known}).")
    return dealership.id


# --- signing in and out ---------------------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    """A real argon2 hash to check unknown emails against, so they take as long as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def sign_in(
    session: Session, email: str, password: str, client_id: str, now: datetime | None = None, device: str = ""
) -> str:
    """Check the password and start a session; returns the token for the browser's cookie.

    Failures are limited per client first (`client_id`: IP address or browser id), so one attacker
    slows only themselves. The account-wide limit is much higher and only stops attacks spread over
    many clients; even then the owner gets in from a browser they signed in with before (`device`,
    from `device_token`). An empty `client_id` is limited per account at the per-client rate.
    """
    now = _now(now)
    email = normalise_email(email)
    # No account has an address past the column's 254 characters: such a try counts against the
    # client only, and costs no password hash (each one would otherwise burn server CPU).
    too_long = len(email) > MAX_EMAIL
    rules = _failure_rules(email, client_id, too_long)
    if client_id and device_matches(device, email):
        rules.pop(f"email:{email}", None)  # the owner's own browser: only its own client limit applies
    wait = max((limits.wait_for(session, rule, key, now) for key, rule in rules.items()), default=timedelta(0))
    if wait > timedelta(0):
        raise SignInError(f"Too many tries. Take a breather and try again in {limits.wait_in_words(wait)}.")

    user = None if too_long else session.exec(select(StaffUser).where(StaffUser.email == email)).first()
    matches = not too_long and verify_password(user.password_hash if user else _dummy_hash(), password)
    if user is None or not matches or not user.active:
        for key, rule in _failure_rules(email, client_id, too_long).items():  # a device still counts
            limits.count(session, rule, key, now)
        session.commit()  # the error below must not roll the count back
        raise SignInError(NO_MATCH)

    # This client starts afresh; a spread attack's account-wide count stays, or each sign-in by the
    # owner would hand the attackers a fresh allowance.
    if client_id:
        limits.forget(session, SIGN_IN_FAILURES, f"client:{client_id}")
    else:
        limits.forget(session, SIGN_IN_FAILURES, f"email:{email}")
    if needs_rehash(user.password_hash):
        # An old password from before today's rules keeps its old hash; it still works.
        with contextlib.suppress(PasswordError):
            user.password_hash = hash_password(password)
        session.add(user)
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=token_hash(token),
            user_id=db.id_of(user),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
            last_seen_at=now,
        )
    )
    session.flush()
    return token


def _failure_rules(email: str, client_id: str, too_long: bool) -> dict[str, limits.Rule]:
    """Where a failed sign-in counts: the client, and the account (at the per-client rate without a client)."""
    rules = {f"client:{client_id}": SIGN_IN_FAILURES} if client_id else {}
    if not too_long:
        rules[f"email:{email}"] = ACCOUNT_FAILURES if client_id else SIGN_IN_FAILURES
    return rules


def device_token(email: str) -> str:
    """What a browser keeps after signing in to this account: it lets the owner past a spread attack's
    account-wide limit (never past their own client's limit, and never without the password)."""
    return _device_token(settings.secret_key(), normalise_email(email))


def device_matches(device: str, email: str) -> bool:
    """Whether `device` came from `device_token` for this account, under any key still accepted."""
    given = (device or "").encode()
    keys = settings.secret_keys()
    return bool(given) and any(hmac.compare_digest(_device_token(key, email).encode(), given) for key in keys)


def _device_token(key: bytes, email: str) -> str:
    digest = hmac.new(key, f"staff-device:{email}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def current_user(session: Session, token: str | None, now: datetime | None = None) -> StaffUser | None:
    """The active staff user a token belongs to, or None; notes when they were last seen."""
    if not token:
        return None
    now = _now(now)
    hashed = token_hash(token)
    # Noted first, before any read: every staff action reads, then writes, in this session. On SQLite a
    # transaction that has read can't start writing once another connection has committed since (it
    # fails at once: "database is locked"); writing first takes the lock, or waits for it.
    session.exec(update(StaffSession).where(col(StaffSession.token_hash) == hashed).values(last_seen_at=now))
    staff_session = session.exec(select(StaffSession).where(StaffSession.token_hash == hashed)).first()
    if staff_session is None:
        return None
    if _as_utc(staff_session.expires_at) <= now:
        session.delete(staff_session)  # tidy up; the browser will be asked to sign in again
        return None
    user = session.get(StaffUser, staff_session.user_id)
    if user is None or not user.active:
        return None
    return user


def sign_out(session: Session, token: str | None) -> None:
    """End the session the token belongs to; signing out twice is fine."""
    if token:
        session.exec(delete(StaffSession).where(col(StaffSession.token_hash) == token_hash(token)))


# --- permissions ----------------------------------------------------------------------------------


def require_role(user: StaffUser | None, *roles: str) -> StaffUser:
    """The user, if they are active and have one of the roles; admins may do everything."""
    if user is None or not user.active or (user.role != "admin" and user.role not in roles):
        raise NotAllowed()
    return user


def can_see_dealership(user: StaffUser | None, dealership_id: int | None) -> bool:
    """Whether the user may see a dealership's orders: admins all, dealers their own, marketing none."""
    if user is None or not user.active:
        return False
    if user.role == "admin":
        return True
    return user.role == "dealer" and user.dealership_id is not None and user.dealership_id == dealership_id
