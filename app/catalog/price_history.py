"""The price list a build was saved on, found again from the studio's publishing history.

A saved build records the catalogue version it was priced on (`asset_version`): the manifest's version
plus a fingerprint of the studio's published catalogue values (`app.content.overlay.catalogue_version`).
Published versions are never changed or deleted, so replaying them in order meets every catalogue that
was ever live; the one whose fingerprint matches is the price list the build was saved on.
"""

from __future__ import annotations

import json
import threading

from sqlmodel import Session, col, or_, select

from app.catalog.changes import PriceList, price_list_from_manifest
from app.content.models import ContentVersion
from app.content.overlay import (
    CATALOGUE_KINDS,
    base_manifest,
    catalogue_version,
    could_be_studio_version,
    manifest_with,
)

# Once found, a version's price list never changes (history is append-only): keep the ones asked for.
_found: dict[str, PriceList] = {}
_lock = threading.Lock()
KEEP = 64


def price_list_at(session: Session, version: str) -> PriceList | None:
    """The price list of catalogue `version`, or None if it was never live here (another manifest, made up)."""
    base = base_manifest()
    if version == base["asset_version"]:
        return price_list_from_manifest(manifest_with(base, {}))
    if not could_be_studio_version(version):
        return None
    with _lock:
        if version in _found:
            return _found[version]
    found = _replay(session, version)
    if found is not None:
        with _lock:
            if len(_found) >= KEEP:
                _found.pop(next(iter(_found)))
            _found[version] = found
    return found


def _replay(session: Session, version: str) -> PriceList | None:
    base = base_manifest()
    rows = session.exec(
        select(ContentVersion.key, ContentVersion.value)
        .where(or_(*(col(ContentVersion.key).startswith(f"{kind}:") for kind in CATALOGUE_KINDS)))
        .order_by(col(ContentVersion.id))
    ).all()
    values: dict[str, dict] = {}
    for key, value in rows:
        values[key] = json.loads(value)
        if catalogue_version(values, base["asset_version"]) == version:
            return price_list_from_manifest(manifest_with(base, values))
    return None


def forget() -> None:
    """Drop what was found (tests that rebuild the history)."""
    with _lock:
        _found.clear()
