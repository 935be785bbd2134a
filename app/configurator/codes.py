"""Build codes: short, unguessable, and easy to read aloud (no 0/O, 1/I/L)."""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8  # 31^8 ≈ 8.5e11 codes: far too many to guess one that exists
_CODE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(text: str) -> str | None:
    """The code as stored (upper case, spaces and dashes dropped), or None if it can't be one."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    cleaned = re.sub(r"[\s-]", "", text).upper()
    return cleaned if _CODE.fullmatch(cleaned) else None
