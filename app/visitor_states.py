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

`SharedVisitorStates` also keeps a visitor's lease while they use it. Reflex's manager lets a lease go
after one hold (5 s): with a pick every 2 s, a new lease started every two or three picks, four Redis
round trips before its pick (the lock, two counts of contenders, the state) and two at its end. After
a hold with an event, this one writes the touched states behind and renews the lock in one round trip,
and holds on; after a hold without one it lets go, as Reflex does. At 400 visitors this took the
round trips from 2.5 to 1.05 a pick (README, "Speed"). Its `_create_lease_break_task` is Reflex
0.10.1's with that loop (`_hold`) in place of one sleep; a test pins the Reflex version.
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
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Unpack, cast

from redis.exceptions import RedisError
from reflex.istate.manager import StateModificationContext
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import TOKEN_TYPE, BaseStateToken, StateToken
from reflex.state import BaseState
from reflex_base.utils.exceptions import LockExpiredError

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


# Reflex's fenced save, renewing the lock too. KEYS: the lock, then the state keys. ARGV: the lock id, the
# states' expiry (s), the lock's (ms), then the pickled states in KEYS order. nil when the lock isn't ours.
_SAVE_AND_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return nil
end
for i = 2, #KEYS do
    redis.call('SET', KEYS[i], ARGV[i + 2], 'EX', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""


@dataclasses.dataclass
class SharedVisitorStates(StateManagerRedis):
    """Reflex's Redis state manager, letting go of each state tree once it is written back, and keeping
    a visitor's lease while they use it (see above)."""

    # Events each lease has served from the worker's copy: a lease renews itself while this moves.
    _uses: dict[str, int] = dataclasses.field(default_factory=dict, init=False)

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

    @contextlib.asynccontextmanager
    async def _get_state_cached(self, token: StateToken[TOKEN_TYPE]) -> AsyncIterator[TOKEN_TYPE | None]:
        async with super()._get_state_cached(token) as state:
            if state is not None:
                self._uses[token.lock_key] = self._uses.get(token.lock_key, 0) + 1
            yield state

    async def _create_lease_break_task(
        self,
        token: StateToken[TOKEN_TYPE],
        lock_id: bytes,
        cleanup_ctx: contextlib.AsyncExitStack,
        **context: Unpack[StateModificationContext],
    ) -> asyncio.Task | None:
        """Reflex 0.10.1's lease, renewed while the visitor uses it (`_hold`); the rest as Reflex has it."""
        self._ensure_lock_task()
        lock_key = token.lock_key

        async def do_flush() -> None:
            if (state_lock := self._cached_states_locks.get(lock_key)) is None:
                log.warning("State lock for %s missing while finalizing lease.", lock_key)
                return
            async with state_lock:
                state = self._cached_states.pop(lock_key, None)
                try:
                    if state:
                        await self.set_state(token, state, lock_id=lock_id, **context)
                finally:
                    if self._local_leases.get(lock_key) is task:
                        self._local_leases.pop(lock_key, None)
                    self._uses.pop(lock_key, None)

        async def lease_breaker() -> None:
            cancelled_error: asyncio.CancelledError | None = None
            async with cleanup_ctx:
                try:
                    await self._hold(token, lock_id, **context)
                except asyncio.CancelledError as err:
                    cancelled_error = err
                    # Another worker wants the state: if an event holds it now, give that event the
                    # lock's full time to finish before the flush below hands the state over.
                    state_lock = self._cached_states_locks.get(lock_key)
                    if state_lock is not None and state_lock.locked():
                        await self._try_extend_lock(self._lock_key(token))
                try:
                    await asyncio.shield(do_flush())
                except Exception as e:
                    if not isinstance(e, asyncio.CancelledError):
                        asyncio.get_running_loop().call_exception_handler({
                            "message": "Exception in Redis State Manager lease breaker",
                            "exception": e,
                        })
                    raise
                finally:
                    if cancelled_error is not None:
                        raise cancelled_error

        existing_task = None
        if (state_lock := self._cached_states_locks.get(lock_key)) is not None:
            async with state_lock:
                if (existing_task := self._local_leases.get(lock_key)) is not None:
                    existing_task.cancel()
            if existing_task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await existing_task
        if not self._lock_updates_subscribed.is_set():
            # Only a contention notice breaks a lease early: until the subscriber listens, no lease.
            return None
        if (state_lock := self._cached_states_locks.get(lock_key)) is None:
            async with self._state_manager_lock:
                if (state_lock := self._cached_states_locks.get(lock_key)) is None:
                    state_lock = self._cached_states_locks[lock_key] = asyncio.Lock()
        async with state_lock:
            if lock_key not in self._local_leases and await self._n_lock_contenders(self._lock_key(token)) == 0:
                self._local_leases[lock_key] = task = asyncio.create_task(
                    lease_breaker(), name=f"reflex_lease_breaker|{lock_key}|{lock_id.decode()}"
                )
                self._cached_states[lock_key] = await self.get_state(token)
                return task
        return None

    async def _hold(self, token: StateToken[TOKEN_TYPE], lock_id: bytes, **context: Unpack[StateModificationContext]):
        """Hold the lease for one hold time, and again for as long as each hold saw an event (see the
        module's docstring), the state written behind and the lock renewed after each busy hold: a worker
        killed outright still loses at most one hold's changes and frees the visitor within the lock's
        expiry, as with Reflex's single hold."""
        lock_key = token.lock_key
        while True:
            uses = self._uses.get(lock_key, 0)
            await asyncio.sleep(self.oplock_hold_time_ms / 1000)
            if self._uses.get(lock_key, 0) == uses:
                return  # a whole hold without an event: let go
            try:
                await asyncio.shield(self._write_behind(token, lock_id, **context))
            except LockExpiredError:
                return  # the lock was lost (a stalled worker): the flush after this reports it, as Reflex's does
            except RedisError:
                # Redis out of reach a moment: let go, so the flush after this tries once more with the
                # same state (and Reflex reports it if that fails too); holding on would risk more changes.
                log.warning("visitor states: writing %s behind failed; letting the lease go", lock_key, exc_info=True)
                return

    async def _write_behind(
        self, token: StateToken[TOKEN_TYPE], lock_id: bytes, **context: Unpack[StateModificationContext]
    ) -> None:
        lock_key = token.lock_key
        if (state_lock := self._cached_states_locks.get(lock_key)) is None:
            return
        async with state_lock:  # not in the middle of an event
            state = self._cached_states.get(lock_key)
            if not (isinstance(token, BaseStateToken) and isinstance(state, BaseState)):
                # Not a page's state tree (none of ours leases one): written and renewed as Reflex would.
                if state is not None:
                    await self.set_state(token, state, lock_id=lock_id, **context)
                await self._try_extend_lock(self._lock_key(token))
                return
            writes = self._collect_state_writes(token, state)
            # One round trip, as Reflex's fenced save: nothing is written unless the lock is still ours.
            renewed = await cast("Callable[..., Awaitable[int | None]]", self.redis.eval)(
                _SAVE_AND_RENEW,
                1 + len(writes),
                self._lock_key(token),
                *(key for key, _ in writes),
                lock_id,
                self.token_expiration,
                self.lock_expiration,
                *(pickled for _, pickled in writes),
            )
            if renewed is None:
                raise LockExpiredError(f"The lock on {lock_key} was lost before the state was written behind.")
            # Written: the next write behind (or the last flush) writes only what changes after this.
            for written in _tree(state):
                object.__setattr__(written, "_was_touched", False)


def _tree(state: BaseState) -> list[BaseState]:
    """Every state of `state`'s tree that this worker holds."""
    states, unvisited = [], [state._get_root_state()]
    while unvisited:
        states.append(parent := unvisited.pop())
        unvisited.extend(parent.substates.values())
    return states


def let_go(state: BaseState) -> None:
    """Cut every substate's link to its parent in `state`'s tree, so reference counting frees the tree."""
    for parent in _tree(state):
        for child in parent.substates.values():
            if child.parent_state is parent:
                object.__setattr__(child, "parent_state", None)
