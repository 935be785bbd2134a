"""Order numbers and private tracking links: readable, unguessable, and not one after the other.

A tracking link carries the second it was made, signed with the order number, so its lifetime can be
told without a table of links (see `tracking.lookup.link_open_until`). Links made before that carry
no time: they are exactly the 24-character signature, and still open under the same rule.
"""

import hashlib
import hmac
import re
import secrets
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import UTC, datetime

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


_SIGNATURE_LENGTH = 24  # characters: 18 bytes of HMAC-SHA256, URL-safe base64
_STAMP = re.compile(r"[0-9a-z]{1,7}")  # seconds since 1970 in base 36: six characters today, seven to year 4453


def tracking_token(number: str, key: bytes | None = None, issued: datetime | None = None) -> str:
    """A signature of the order number and the second the link was made, then that second (base 36).

    Whoever holds the link may follow that one car; nobody guesses it, and nobody moves its date."""
    stamp = _base36(int((issued or datetime.now(UTC)).timestamp()))
    return _signature(f"track:{number}:{stamp}", key) + stamp


def tracking_link(number: str, issued: datetime | None = None) -> str:
    return f"/track/{number}/{tracking_token(number, issued=issued)}"


@dataclass(frozen=True)
class SignedLink:
    """A tracking link we signed: `issued` is when it was made, None for links from before they said."""

    issued: datetime | None


def read_tracking_token(number: str, token: str) -> SignedLink | None:
    """The link's facts if we signed `token` for this order with any key still accepted (a rotated key
    keeps mailed links open); None for anything forged, cut short or another order's.

    Signatures are compared as bytes: compare_digest refuses non-ASCII text, and a hand-edited link
    may carry some."""
    token = token if isinstance(token, str) else ""
    signature, stamp = token[:_SIGNATURE_LENGTH], token[_SIGNATURE_LENGTH:]
    if stamp and not _STAMP.fullmatch(stamp):
        return None
    message = f"track:{number}:{stamp}" if stamp else f"track:{number}"  # older links signed the number alone
    given = signature.encode()
    if not any(hmac.compare_digest(_signature(message, key).encode(), given) for key in settings.secret_keys()):
        return None
    return SignedLink(datetime.fromtimestamp(int(stamp, 36), UTC) if stamp else None)


def token_matches(number: str, token: str) -> bool:
    """Whether the token was signed by us for this order (whatever its age)."""
    return read_tracking_token(number, token) is not None


def _signature(message: str, key: bytes | None) -> str:
    digest = hmac.new(key or settings.secret_key(), message.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:18]).decode()


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not number:
            return digits
