"""Order numbers and private tracking links: readable, unguessable, and not one after the other."""

import hashlib
import hmac
import re
import secrets
from base64 import urlsafe_b64encode

from app import settings
from app.configurator.codes import ALPHABET

PREFIX = "MJ"
_NUMBER = re.compile(f"{PREFIX}[{ALPHABET}]{{6}}")


def new_order_number() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(6))


def normalise_order_number(text: str) -> str | None:
    """The number as stored (upper case, spaces/dashes dropped), or None if it can't be one."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    cleaned = re.sub(r"[\s-]", "", text).upper()
    return cleaned if _NUMBER.fullmatch(cleaned) else None


def tracking_token(number: str, key: bytes | None = None) -> str:
    """A signature of the order number: whoever holds the link may follow that one car, nobody guesses it."""
    digest = hmac.new(key or settings.secret_key(), f"track:{number}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:18]).decode()


def tracking_link(number: str) -> str:
    return f"/track/{number}/{tracking_token(number)}"


def token_matches(number: str, token: str) -> bool:
    """Whether the token was signed by any key still accepted (a rotated key keeps mailed links open).

    Compared as bytes: compare_digest refuses non-ASCII text, and a hand-edited link may carry some.
    """
    given = (token or "").encode()
    return any(hmac.compare_digest(tracking_token(number, key).encode(), given) for key in settings.secret_keys())
