"""What customers see right now: the published values, cached per process, or a preview's drafts.

Every server reads the same database, so every server shows the same version. Each process keeps the
values in memory and asks the database for the latest revision at most every `RECHECK_SECONDS`.
On an event loop that question is asked aside (the loop's default thread pool) while the values in
hand answer: asked inline, it held a worker's event loop for a database round trip every two seconds,
and each time the picks waiting behind it answered late.
Inside `previewing()`, `values()` answers with the drafts applied, so a preview is the real page.
Pages read the values here and hand them to the plain cores (which take content as arguments).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlmodel import Session, col, select

from app import db, settings
from app.content import store
from app.content.journey import Journey, journey_with
from app.content.journey import journey as shipped_journey
from app.content.models import LayerUpload
from app.files import write_atomically

log = logging.getLogger(__name__)
RECHECK_SECONDS = 2.0

_preview: ContextVar[Mapping[str, Mapping] | None] = ContextVar("studio_preview", default=None)
_published: dict = {"revision": -1, "values": {}, "checked": 0.0, "forgotten": 0}
_rechecking = threading.Lock()  # held while a recheck runs aside
_writing = threading.Lock()  # a recheck's answer and a forget don't interleave


def published_values(url: str | None = None) -> Mapping[str, Mapping]:
    """The published values, re-read when another process (or this one) has published since."""
    if time.monotonic() - _published["checked"] < RECHECK_SECONDS:
        return _published["values"]
    loop = _running_loop()
    if loop is None or _published["revision"] < 0:  # off the loop, or nothing in hand yet: read now
        _recheck(url)
    elif _rechecking.acquire(blocking=False):  # else a recheck is already under way
        _published["checked"] = time.monotonic()  # the next few reads mustn't ask again meanwhile
        loop.run_in_executor(None, _recheck_aside, url, _published["forgotten"])
    return _published["values"]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _recheck(url: str | None, forgotten: int | None = None) -> None:
    """Read the values again if the revision moved; `forgotten`: unless forgotten since (a newer read won)."""
    with db.session(url) as s:
        latest = store.revision(s)
        values = store.published_values(s) if latest != _published["revision"] else None
    with _writing:
        if forgotten is not None and forgotten != _published["forgotten"]:
            return
        if values is not None:
            _published["values"], _published["revision"] = values, latest
        _published["checked"] = time.monotonic()


def _recheck_aside(url: str | None, forgotten: int) -> None:
    try:
        _recheck(url, forgotten)
    except Exception:  # the values in hand stay; the next read after RECHECK_SECONDS asks again
        log.warning("published values: the recheck failed; keeping the values in hand", exc_info=True)
    finally:
        _rechecking.release()


def forget_published() -> None:
    """Make the next read go to the database, and wait for it (after this process publishes, and in tests)."""
    with _writing:
        _published["checked"] = 0.0
        _published["revision"] = -1
        _published["forgotten"] += 1


def values() -> Mapping[str, Mapping]:
    """The values in force for this request: a preview's drafts, or what is published."""
    preview = _preview.get()
    return preview if preview is not None else published_values()


@contextmanager
def previewing(draft_values: Mapping[str, Mapping]) -> Iterator[None]:
    """Within the block, `values()` answers with `draft_values` (see `preview_values`)."""
    token = _preview.set(draft_values)
    try:
        yield
    finally:
        _preview.reset(token)


def journey() -> Journey:
    """The journey in force: journey.toml with the published (or previewed) stage stories."""
    return journey_with(shipped_journey(), values())


def preview_values(s: Session) -> dict[str, dict]:
    """What a preview shows: the published values with every draft laid over them."""
    return store.draft_values(s)


def announcement() -> str:
    return values().get("announcement", {}).get("text", "")


def layer_paths(current: Mapping[str, Mapping]) -> dict[str, Path]:
    """Each uploaded layer in use, on this server's disk (written from the database the first time)."""
    wanted = {v["sha256"] for k, v in current.items() if k.startswith("layer:")}
    paths = {sha: _layer_file(sha) for sha in wanted}
    missing = [sha for sha, path in paths.items() if not path.exists()]
    if missing:
        with db.session() as s:
            for upload in s.exec(select(LayerUpload).where(col(LayerUpload.sha256).in_(missing))).all():
                keep_layer_file(upload.sha256, upload.png)
    return paths


def keep_layer_file(sha256: str, png: bytes) -> None:
    """Put an uploaded layer on this server's disk, where the renderer reads layers from."""
    path = _layer_file(sha256)
    if not path.exists():
        write_atomically(path, png)


def _layer_file(sha256: str) -> Path:
    return settings.data_dir() / "studio-layers" / f"{sha256}.png"
