"""Comparing saved builds: two or three codes in, side-by-side summaries out (plain Python)."""

import re

from sqlmodel import Session

from app.configurator.builds import open_saved
from app.configurator.panel import BuildSummary, build_summary
from app.render import CarPictures

MAX_BUILDS = 3


class CompareError(ValueError):
    """Codes we can't compare; the message is for the customer."""


def split_codes(text: str) -> list[str]:
    """Codes as typed: separated by commas, spaces or new lines; duplicates dropped, order kept."""
    codes = [c for c in re.split(r"[\s,;]+", (text or "")[:200]) if c]
    return list(dict.fromkeys(code.upper() for code in codes))


def compare(session: Session, pictures: CarPictures, text: str) -> list[BuildSummary]:
    codes = split_codes(text)
    if not 2 <= len(codes) <= MAX_BUILDS:
        raise CompareError(f"Give two or three build codes to compare (you gave {len(codes)}).")
    summaries, missing = [], []
    for code in codes:
        opened = open_saved(session, pictures.catalogue, code)
        if opened is None:
            missing.append(code[:12])
        else:
            summaries.append(build_summary(pictures, code, *opened))
    if missing:
        raise CompareError(f"We couldn't find {', '.join(missing)}. Check the code on your saved build's page.")
    return summaries
