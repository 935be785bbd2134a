"""Encoded pictures kept three ways: an in-process LRU, a shared disk store, and one render per key at a time."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from app.files import write_atomically
from app.render.key import RenderKey

log = logging.getLogger(__name__)
Renderer = Callable[[RenderKey], bytes]
DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024


class PictureCache:
    """Get a picture's bytes by key: memory, then disk, then `render(key)` (once per key, however many ask).

    The disk store is shared by every worker process: files are named by a hash of the key (never
    by user text) and written to a temp file in the same folder then renamed, so a reader never sees
    half a file and concurrent writers of the same key simply both win.
    """

    def __init__(self, render: Renderer, directory: Path, max_memory_bytes: int = DEFAULT_MEMORY_BYTES) -> None:
        self._render = render
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_memory_bytes = max_memory_bytes
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._memory_bytes = 0
        self._lock = threading.Lock()
        self._in_flight: dict[str, Future] = {}

    def get(self, key: RenderKey) -> bytes:
        """The picture's bytes, rendering it only if neither memory nor disk has it."""
        digest = key.digest
        data = self.in_memory(key)
        if data is not None:
            return data
        data = self._single_flight(digest, lambda: self._read_disk(digest) or self._render_to_disk(key, digest))
        self._remember(digest, data)
        return data

    def in_memory(self, key: RenderKey) -> bytes | None:
        """The bytes if held in memory; never blocks on disk or rendering (the route's fast path)."""
        digest = key.digest
        with self._lock:
            data = self._memory.get(digest)
            if data is not None:
                self._memory.move_to_end(digest)
            return data

    def ensure_on_disk(self, key: RenderKey, render: Renderer | None = None) -> bool:
        """Render to disk only (not memory) unless already there; True if it rendered. For precompute."""
        digest = key.digest
        if self.path_for(digest).exists():
            return False
        self._single_flight(digest, lambda: self._read_disk(digest) or self._render_to_disk(key, digest, render))
        return True

    def path_for(self, digest: str) -> Path:
        # Two-level fan-out keeps directories small; the digest is hex, so no path tricks are possible.
        return self.directory / digest[:2] / f"{digest}.bin"

    @property
    def memory_bytes(self) -> int:
        return self._memory_bytes

    def _single_flight(self, digest: str, produce: Callable[[], bytes]) -> bytes:
        with self._lock:
            future = self._in_flight.get(digest)
            leader = future is None
            if leader:
                future = self._in_flight[digest] = Future()
        if not leader:
            return future.result()
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
            return self.path_for(digest).read_bytes()
        except FileNotFoundError:
            return None

    def _render_to_disk(self, key: RenderKey, digest: str, render: Renderer | None = None) -> bytes:
        data = (render or self._render)(key)
        try:
            write_atomically(self.path_for(digest), data)
        except OSError as exc:
            # A full or read-only disk costs a re-render later, never a failed request.
            log.warning("picture cache: cannot store %s: %s", digest, exc)
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
