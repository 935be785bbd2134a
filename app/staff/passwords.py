"""Staff password hashing with argon2id, and the few rules a new password must meet."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 copes with more, but a cap stops someone feeding it megabytes per try

# The library defaults are argon2id with parameters its authors keep current (RFC 9106).
_hasher = PasswordHasher()


class PasswordError(ValueError):
    """A new password that doesn't meet the rules; the message is for the person choosing it."""


def check_password_rules(password: str) -> None:
    """Raise PasswordError unless the password is 10 to 256 characters long."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"The password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordError(f"The password can be at most {MAX_LENGTH} characters.")


def hash_password(password: str) -> str:
    """A salted argon2id hash of a password that meets the rules."""
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches; False (never an exception) for a mismatch or a broken hash."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's, so sign-in can upgrade it."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True
