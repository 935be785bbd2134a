"""What customers see right now: the shipped files with the studio's published values laid over them.

Every server reads the same database, so every server shows the same version. Each process keeps the
values in memory and asks the database for the latest revision at most every `RECHECK_SECONDS`.
Inside `previewing()`, the same accessors answer with the drafts applied, so a preview is the real page.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlmodel import select

from app import db, settings
from app.files import write_atomically
from app.nudges.settings import NudgeSettings, env_overrides
from app.render.pictures import CarPictures
from app.studio import content, overlay
from app.studio.models import LayerUpload
from app.tracking.journey import Journey
from app.tracking.journey import journey as base_journey

RECHECK_SECONDS = 2.0
KEEP_SERVICES = 3  # the live catalogue, the one before it (pages open during a publish) and a preview

_preview: ContextVar[Mapping[str, Mapping] | None] = ContextVar("studio_preview", default=None)
_lock = threading.Lock()
_published: dict = {"revision": -1, "values": {}, "checked": 0.0}
_services: OrderedDict[str, CarPictures] = OrderedDict()
_last_version: tuple = (None, "")  # (the values object, its catalogue version)


def published_values(url: str | None = None) -> Mapping[str, Mapping]:
    """The published values, re-read when another process (or this one) has published since."""
    if time.monotonic() - _published["checked"] < RECHECK_SECONDS:
        return _published["values"]
    with db.session(url) as s:
        latest = content.revision(s)
        if latest != _published["revision"]:
            _published["values"] = content.published_values(s)
            _published["revision"] = latest
    _published["checked"] = time.monotonic()
    return _published["values"]


def forget_published() -> None:
    """Make the next read go to the database (after this process publishes, and in tests)."""
    _published["checked"] = 0.0


def values() -> Mapping[str, Mapping]:
    """The values in force for this request: a preview's drafts, or what is published."""
    preview = _preview.get()
    return preview if preview is not None else published_values()


@contextmanager
def previewing(draft_values: Mapping[str, Mapping]) -> Iterator[None]:
    """Within the block, every accessor here answers with `draft_values` (see content.draft_values)."""
    token = _preview.set(draft_values)
    try:
        yield
    finally:
        _preview.reset(token)


def journey() -> Journey:
    return overlay.journey_with(base_journey(), values())


def nudge_settings() -> NudgeSettings:
    """The nudge settings in force; the environment's overrides (tests use seconds) win."""
    return env_overrides(overlay.nudges_with(NudgeSettings(), values()))


def announcement() -> str:
    return values().get("announcement", {}).get("text", "")


def live_pictures() -> CarPictures:
    """The picture service for the catalogue in force (published, or the preview's)."""
    current = values()
    version = _version_of(current)
    with _lock:
        service = _services.get(version)
        if service is not None:
            _services.move_to_end(version)
            return service
    return _service_for(current, version)


def _version_of(current: Mapping[str, Mapping]) -> str:
    # Every configurator event asks many times; the published values stay one object until they change.
    global _last_version
    last = _last_version  # one read: another thread may replace it meanwhile
    if last[0] is not current:
        last = _last_version = (current, overlay.catalogue_version(current, overlay.base_manifest()["asset_version"]))
    return last[1]


def warm_up() -> None:
    """At server start: decode the live catalogue's layers and precompute common pictures, in a thread."""
    live_pictures().start()


def pictures_for_version(version: str) -> CarPictures | None:
    """The service that draws pictures of this asset version: live, recent, or the studio's preview."""
    with _lock:
        if version in _services:
            return _services[version]
    live = live_pictures()
    if live.catalogue.asset_version == version:
        return live
    if not overlay.could_be_studio_version(version):
        return None  # not worth a database query (old or made-up URLs are common)
    with db.session() as s:
        drafts = content.draft_values(s)
    if _version_of(drafts) == version:
        return _service_for(drafts, version)
    return None


def check(candidate: Mapping[str, Mapping]) -> None:
    """The store's `check`: these values must make a valid catalogue (ValueError explains why not)."""
    overlay.check_catalogue(overlay.catalogue_values(candidate), _layer_paths(candidate))


def _service_for(current: Mapping[str, Mapping], version: str) -> CarPictures:
    catalogue = overlay.catalogue_from(overlay.catalogue_values(current), _layer_paths(current))
    # Price and colour changes draw with the same layers: share the decoded layers (65 MB) between them.
    layers_key = _layers_key(catalogue)
    with _lock:
        if version in _services:
            return _services[version]
        shared = next((s.layers for s in _services.values() if _layers_key(s.catalogue) == layers_key), None)
        service = CarPictures(catalogue, settings.data_dir() / "render-cache", layers=shared)
        _services[version] = service
        while len(_services) > KEEP_SERVICES:
            _services.popitem(last=False)
    return service


def _layers_key(catalogue) -> tuple:
    drawn = tuple(sorted((o.id, o.models or ()) for o in catalogue.options if o.draws))
    return (tuple(sorted(catalogue.layer_files.items())), drawn)


def _layer_paths(current: Mapping[str, Mapping]) -> dict[str, Path]:
    """Each uploaded layer in use, on this server's disk (written from the database the first time)."""
    wanted = {v["sha256"] for k, v in current.items() if k.startswith("layer:")}
    paths = {sha: _layer_file(sha) for sha in wanted}
    missing = [sha for sha, path in paths.items() if not path.exists()]
    if missing:
        with db.session() as s:
            for upload in s.exec(select(LayerUpload).where(LayerUpload.sha256.in_(missing))).all():
                keep_layer_file(upload.sha256, upload.png)
    return paths


def keep_layer_file(sha256: str, png: bytes) -> None:
    """Put an uploaded layer on this server's disk, where the renderer reads layers from."""
    path = _layer_file(sha256)
    if not path.exists():
        write_atomically(path, png)


def _layer_file(sha256: str) -> Path:
    return settings.data_dir() / "studio-layers" / f"{sha256}.png"
