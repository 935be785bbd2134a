"""Per-visitor Reflex state for the single-process default: kept in memory, dropped soon after the visitor leaves.

Reflex's embedded default (the disk state manager) pickles every state to `.states/` and, after each
write, lists and stats every file there to expire old ones, so each event costs more the more visitors
came in the past hour, and it keeps every state in memory for that hour too. One process needs no
disk at all: a page (re)connect always hydrates and runs the page's on_load, which rebuilds what the
page shows from its URL and the browser's cookies and local storage, so a state lost to a restart or
to expiry is rebuilt, not missed.

`VisitorStates` is Reflex's memory state manager with a different expiry: a visitor's state stays
while their tab is connected (however idle: an open tracker must still answer its next click) and is
dropped `idle_seconds` after their last event once no tab is connected, checked in one sweep every
`sweep_seconds` (not one wake-up per visitor). After a sweep that frees many states the process gives
the freed memory back to the system. Several workers share state through Redis instead (Reflex's own
manager, chosen when `REFLEX_REDIS_URL` is set).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import dataclasses
import gc
import logging
import time
from collections.abc import Callable

from reflex.istate.manager.memory import StateManagerMemory

log = logging.getLogger(__name__)

DEFAULT_IDLE_SECONDS = 300
DEFAULT_SWEEP_SECONDS = 15
# Freeing this many states at once is worth a full collection and handing pages back to the system.
TRIM_AFTER = 200


def never_connected(_token: str) -> bool:
    return False


@dataclasses.dataclass
class VisitorStates(StateManagerMemory):
    """Reflex's in-memory state manager, expiring each visitor `idle_seconds` after they left."""

    token_expiration: int = DEFAULT_IDLE_SECONDS
    sweep_seconds: float = DEFAULT_SWEEP_SECONDS
    # Whether a client token has an open websocket (the app's token manager knows).
    is_connected: Callable[[str], bool] = never_connected

    def _purge_expired_tokens(self) -> float | None:
        """Drop idle, unlocked, disconnected visitors; the next deadline (None when nobody is left)."""
        now = time.time()
        next_deadline = None
        purged = 0
        for expires_at, token in list(self._token_expires_at.values()):
            if expires_at <= now:
                lock = self._states_locks.get(token.lock_key)
                busy = lock is not None and lock.locked()
                if not busy and not self.is_connected(token.ident):
                    self._purge_token(token)
                    purged += 1
                    continue
                # Connected or mid-event: alive, look again one idle period from now.
                expires_at = now + self.token_expiration
                self._token_expires_at[token.cache_key] = (expires_at, token)
            if next_deadline is None or expires_at < next_deadline:
                next_deadline = expires_at
        if purged >= TRIM_AFTER:
            give_memory_back()
        if purged:
            log.debug("visitor states: %d expired, %d kept", purged, len(self.states))
        return next_deadline

    async def _expire_states(self):
        """Sweep at most every `sweep_seconds` while anyone is tracked, then stop until the next visitor."""
        try:
            while True:
                if (next_deadline := self._purge_expired_tokens()) is None:
                    return
                await asyncio.sleep(max(self.sweep_seconds, next_deadline - time.time()))
        finally:
            if self._expiration_task is asyncio.current_task():
                self._expiration_task = None

    @property
    def visitors(self) -> int:
        """How many states are held now."""
        return len(self.states)


def give_memory_back() -> None:
    """Collect, then ask glibc to return freed heap pages to the system (a no-op elsewhere)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
