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

`SharedVisitorStates` is that Redis manager, letting go of each visitor's state tree as soon as it is
written back. A worker holds a visitor's tree for up to 5 s (the oplock) or one event, writes it to
Redis, and drops it. Each state points at its parent and the parent at it, so a dropped tree was a
cycle that only a full collection frees: at 400 visitors on two workers, a census of one full
collection's garbage found 2,244 such trees among its 139,593 objects, and each worker's full
collection, about every 100 s, held its event loop 200-320 ms. Cutting the children's links to
their parents once the tree is written lets reference counting free it at once. Nothing uses a tree
after it is written back, except a background event's proxy, which reads its state outside the lock;
no handler of ours is a background one, and a test keeps it so.
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
from typing import Unpack

from reflex.istate.manager import StateModificationContext
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import TOKEN_TYPE, StateToken
from reflex.state import BaseState

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


@dataclasses.dataclass
class SharedVisitorStates(StateManagerRedis):
    """Reflex's Redis state manager, letting go of each state tree once it is written back (see above)."""

    @classmethod
    def like(cls, manager: StateManagerRedis) -> SharedVisitorStates:
        """This manager, with the client and settings Reflex gave `manager` (which has served nothing yet)."""
        return cls(
            redis=manager.redis,
            token_expiration=manager.token_expiration,
            lock_expiration=manager.lock_expiration,
            lock_warning_threshold=manager.lock_warning_threshold,
            oplock_hold_time_ms=manager.oplock_hold_time_ms,
        )

    # StateManagerRedis.set_state's own signature, which its base's overloads (a str token too) don't match.
    async def set_state(  # type: ignore[override]
        self,
        token: StateToken[TOKEN_TYPE],
        state: TOKEN_TYPE,
        *,
        lock_id: bytes | None = None,
        **context: Unpack[StateModificationContext],
    ) -> None:
        await super().set_state(token, state, lock_id=lock_id, **context)
        # Every caller in Reflex's manager drops the tree it wrote, except one it still holds for a lease.
        if isinstance(state, BaseState) and self._cached_states.get(self._coerce_token(token).lock_key) is not state:
            let_go(state)


def let_go(state: BaseState) -> None:
    """Cut every substate's link to its parent in `state`'s tree, so reference counting frees the tree."""
    parents = [state._get_root_state()]
    while parents:
        parent = parents.pop()
        for child in parent.substates.values():
            if child.parent_state is parent:
                object.__setattr__(child, "parent_state", None)
            parents.append(child)
