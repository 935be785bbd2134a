"""Encoded pictures kept three ways: an in-process LRU, a bounded disk store shared by workers, one render per key."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from pathlib import Path

import diskcache

from app.render.key import PictureKey

log = logging.getLogger(__name__)
Renderer = Callable[[PictureKey], bytes]
DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024
DEFAULT_DISK_BYTES = 300 * 1024 * 1024
# How long the event loop's read of the disk store may wait for SQLite before it gives the look to a thread.
GLANCE_WAIT_S = 0.02
# How often the pictures the event loop read are marked as used in the store (its least-recently-used order).
MARK_USED_EVERY_S = 2.0


class StoreBusy(Exception):
    """The disk store didn't answer a glance at once (a rare lock of its index): look from a thread."""


class PictureCache:
    """Get a picture's bytes by key: memory, then disk, then `render(key)` (once per key, however many ask).

    The disk store (diskcache: an SQLite index beside the files) is shared by every worker process on
    the machine and holds at most `max_disk_bytes`: each write evicts the least recently used pictures
    past the limit, whichever worker used them. Entries are keyed by a hash of the render key (never by
    user text); a picture is only visible once written whole.
    """

    def __init__(
        self,
        render: Renderer,
        directory: Path,
        max_memory_bytes: int = DEFAULT_MEMORY_BYTES,
        max_disk_bytes: int = DEFAULT_DISK_BYTES,
    ) -> None:
        self._render = render
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_memory_bytes = max_memory_bytes
        self.max_disk_bytes = max_disk_bytes
        self._disk = open_disk_store(self.directory, max_disk_bytes)
        self._glances = open_disk_store(self.directory, max_disk_bytes, timeout=GLANCE_WAIT_S)
        self._glances.reset("eviction_policy", "none", update=False)  # this handle only: a read, not a write
        self._glanced: set[str] = set()  # found by a glance, to mark as used
        self._marking: threading.Timer | None = None
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._memory_bytes = 0
        self._lock = threading.Lock()
        self._in_flight: dict[str, Future] = {}
        self._drawing_aside: dict[str, asyncio.Future[bytes]] = {}  # the event loop's own single flight

    def get(self, key: PictureKey) -> bytes:
        """The picture's bytes, rendering it only if neither memory nor disk has it."""
        data = self.stored(key)
        return data if data is not None else self.draw(key)

    def draw(self, key: PictureKey) -> bytes:
        """The bytes of a picture `stored` just found missing: rendered once, however many ask.

        Another request of this process may have drawn it since (memory), or another worker (the
        disk, read once more inside the single flight); the first look at the disk isn't repeated."""
        data = self.in_memory(key)
        if data is not None:
            return data
        digest = key.digest
        data = self._single_flight(digest, lambda: self._read_disk(digest) or self._render_to_disk(key, digest))
        self._remember(digest, data)
        return data

    async def draw_aside(self, key: PictureKey, draw: Callable[[], Awaitable[bytes]]) -> bytes:
        """`draw`'s bytes for a picture `stored` just found missing, awaited on the event loop: once per key
        however many ask, the drawing going on for the others when one of them stops waiting. `draw`
        stores the picture on disk itself (see app.render.drawing), so no thread of this process waits.
        The disk isn't read again first (that would take a thread): another worker drawing the same
        picture at the same moment draws the same bytes twice, which is rarer than a miss."""
        data = self.in_memory(key)
        if data is not None:
            return data
        digest = key.digest
        drawing = self._drawing_aside.get(digest)
        if drawing is None:
            drawing = self._drawing_aside[digest] = asyncio.ensure_future(draw())
            drawing.add_done_callback(lambda done: self._drawn_aside(digest, done))
        data = await asyncio.shield(drawing)
        self._remember(digest, data)
        return data

    def _drawn_aside(self, digest: str, drawing: asyncio.Future[bytes]) -> None:
        if self._drawing_aside.get(digest) is drawing:
            del self._drawing_aside[digest]
        if not drawing.cancelled():
            drawing.exception()  # its waiters, if any are left, get it; none left is no "never retrieved" noise

    def in_memory(self, key: PictureKey) -> bytes | None:
        """The bytes if held in memory; never blocks on disk or rendering (the route's fast path)."""
        digest = key.digest
        with self._lock:
            data = self._memory.get(digest)
            if data is not None:
                self._memory.move_to_end(digest)
            return data

    def stored(self, key: PictureKey) -> bytes | None:
        """The bytes from memory or disk, or None when only a render could answer (a miss)."""
        data = self.in_memory(key)
        if data is None and (data := self._read_disk(key.digest)) is not None:
            self._remember(key.digest, data)
        return data

    def glance(self, key: PictureKey) -> bytes | None:
        """The bytes from the disk store (for a key `in_memory` just missed), or None when the store hasn't
        got them; StoreBusy when SQLite didn't answer at once (then ask `stored` in a thread). Never writes
        or waits on a writer: for the event loop."""
        digest = key.digest
        try:
            data = self._glances.get(digest)
        except (diskcache.Timeout, sqlite3.OperationalError) as busy:
            # A read without a transaction reports a locked index as SQLite's own error; the look in a
            # thread waits for it, and logs any other failure there.
            raise StoreBusy(digest) from busy
        except (OSError, sqlite3.Error) as exc:
            log.warning("picture cache: cannot read %s: %r", digest, exc)
            return None
        if data is not None:
            self._remember(digest, data)
            self._mark_used_soon(digest)
        return data

    def _mark_used_soon(self, digest: str) -> None:
        with self._lock:
            self._glanced.add(digest)
            if self._marking is None:
                self._marking = threading.Timer(MARK_USED_EVERY_S, self.mark_used_now)
                self._marking.daemon = True
                self._marking.start()

    def mark_used_now(self) -> None:
        """Mark what glances found as just used, in one transaction (a read through the LRU handle does it).
        Waits for the store's write lock: never on the event loop."""
        with self._lock:
            glanced, self._glanced = self._glanced, set()
            marking, self._marking = self._marking, None
        if marking is not None:
            marking.cancel()  # (a no-op when it is the timer's own thread calling)
        if not glanced:
            return
        try:
            with self._disk.transact():
                for digest in glanced:
                    self._disk.get(digest)
        except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
            log.warning("picture cache: cannot mark %d pictures as used: %r", len(glanced), exc)

    def on_disk(self, key: PictureKey) -> bool:
        return key.digest in self._disk

    def ensure_on_disk(self, key: PictureKey, render: Renderer | None = None) -> bool:
        """Render to disk only (not memory) unless already there; True if it rendered. For precompute."""
        digest = key.digest
        if digest in self._disk:
            return False
        self._single_flight(digest, lambda: self._read_disk(digest) or self._render_to_disk(key, digest, render))
        return True

    @property
    def memory_bytes(self) -> int:
        return self._memory_bytes

    @property
    def disk_bytes(self) -> int:
        """What the disk store takes now (its files and index), which writes keep under `max_disk_bytes`."""
        return self._disk.volume()

    def close(self) -> None:
        self.mark_used_now()
        self._disk.close()
        self._glances.close()

    def _single_flight(self, digest: str, produce: Callable[[], bytes]) -> bytes:
        with self._lock:
            running = self._in_flight.get(digest)
            if running is None:
                future: Future[bytes] = Future()
                self._in_flight[digest] = future
        if running is not None:
            return running.result()
        try:
            data = produce()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(data)
            return data
        finally:
            with self._lock:
                del self._in_flight[digest]

    def _read_disk(self, digest: str) -> bytes | None:
        try:
            return self._disk.get(digest)
        except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
            log.warning("picture cache: cannot read %s: %r", digest, exc)
            return None

    def _render_to_disk(self, key: PictureKey, digest: str, render: Renderer | None = None) -> bytes:
        data = (render or self._render)(key)
        store_on_disk(self._disk, digest, data)
        return data

    def _remember(self, digest: str, data: bytes) -> None:
        if len(data) > self.max_memory_bytes:
            return
        with self._lock:
            if digest in self._memory:
                return
            self._memory[digest] = data
            self._memory_bytes += len(data)
            while self._memory_bytes > self.max_memory_bytes:
                _, evicted = self._memory.popitem(last=False)
                self._memory_bytes -= len(evicted)


def open_disk_store(directory: Path, max_bytes: int, timeout: float = 10) -> diskcache.Cache:
    """The disk store in `directory`, as every process using it opens it (web workers, drawing processes)."""
    return diskcache.Cache(
        str(directory),
        size_limit=max_bytes,
        eviction_policy="least-recently-used",
        # Evict on every write, a few at a time, so the store never runs far past its limit.
        cull_limit=16,
        # Not the default 60 s: on a starved machine a reader or writer waits for the index a while,
        # then the picture is drawn (read) or served unstored (write) instead of waiting on.
        timeout=timeout,
    )


def store_on_disk(disk: diskcache.Cache, digest: str, data: bytes) -> None:
    try:
        disk.set(digest, data)
    except (OSError, sqlite3.Error, diskcache.Timeout) as exc:
        # A full, read-only or busy disk costs a re-render later, never a failed request.
        log.warning("picture cache: cannot store %s: %r", digest, exc)
