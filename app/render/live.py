"""The picture service for the catalogue in force: published, the one before it, or a studio preview's.

Each distinct catalogue (a fingerprint of its published values) gets one CarPictures; price and colour
changes share the decoded layers of the version they came from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping

from app import db, settings
from app.catalog import Catalogue
from app.catalog.published import catalogue_from
from app.content import live, overlay, store
from app.render.drawing import DrawingProcess
from app.render.pictures import CarPictures

KEEP_SERVICES = 3  # the live catalogue, the one before it (pages open during a publish) and a preview

_lock = threading.Lock()
_services: OrderedDict[str, CarPictures] = OrderedDict()
_last_version: tuple = (None, "")  # (the values object, its catalogue version)
# This worker's drawing process (started by the warm-up at server start), shared by every catalogue's service.
_drawer = DrawingProcess()


def live_pictures() -> CarPictures:
    """The picture service for the catalogue in force (published, or the preview's)."""
    current = live.values()
    version = _version_of(current)
    with _lock:
        service = _services.get(version)
        if service is not None:
            _services.move_to_end(version)
            return service
    return _service_for(current, version)


def pictures_for_values(values: Mapping[str, Mapping]) -> CarPictures:
    """The picture service for the catalogue these published values make (a mailer's own read of them)."""
    version = overlay.catalogue_version(values, overlay.base_manifest()["asset_version"])
    with _lock:
        service = _services.get(version)
        if service is not None:
            return service
    return _service_for(values, version)


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


def pictures_in_hand(version: str) -> CarPictures | None:
    """The service for this asset version if this process has made it already: no database, no waiting,
    so the picture route asks on the event loop first and only goes to a thread for the rest."""
    with _lock:
        return _services.get(version)


def pictures_for_version(version: str) -> CarPictures | None:
    """The service that draws pictures of this asset version: live, recent, or the studio's preview."""
    if (service := pictures_in_hand(version)) is not None:
        return service
    current = live_pictures()
    if current.catalogue.asset_version == version:
        return current
    if not overlay.could_be_studio_version(version):
        return None  # not worth a database query (old or made-up URLs are common)
    with db.session() as s:
        drafts = store.draft_values(s)
    if _version_of(drafts) == version:
        return _service_for(drafts, version)
    return None


def _service_for(current: Mapping[str, Mapping], version: str) -> CarPictures:
    catalogue = catalogue_from(overlay.catalogue_values(current), live.layer_paths(current))
    # Price and colour changes draw with the same layers: share the decoded layers (65 MB) between them.
    layers_key = _layers_key(catalogue)
    with _lock:
        if version in _services:
            return _services[version]
        shared = next((s.layers for s in _services.values() if _layers_key(s.catalogue) == layers_key), None)
        service = CarPictures(catalogue, settings.data_dir() / "render-cache", layers=shared, drawer=_drawer)
        _services[version] = service
        while len(_services) > KEEP_SERVICES:
            _services.popitem(last=False)
    return service


def _layers_key(catalogue: Catalogue) -> tuple:
    drawn = tuple(sorted((o.id, o.models or ()) for o in catalogue.drawn_options))
    return (tuple(sorted(catalogue.layer_files.items())), drawn)
