"""How many never-seen pictures one client may have drawn: the shared limiter, and free refusals once limited.

Each miss costs a render (tens of milliseconds of CPU) and a place in the disk store, so a script
asking for endless new colours could burn the CPU and churn the store for everyone. Misses are
counted per client by `app.limits` (in the database, so every worker shares the count); once a
client is refused, this process remembers until when, so a flood of refusals costs no database
work. Hits never come here.

A worker takes a client's misses from the database a few at a time (a lease: a tenth of the limit,
at most `LEASE_AT_MOST`) and hands them out itself. One count is a write transaction costing the
worker about 3 ms of CPU under the interpreter lock the event loop needs, more than the rest of a
miss costs the worker now that pictures are drawn aside. A client still gets no more misses in a
window than the limit, whichever workers serve it, since every lease was counted; what a worker
leaves unused when the window ends is lost, so a client served by several workers may be slowed a
little sooner.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request

from app import db, limits

log = logging.getLogger(__name__)
REMEMBER_AT_MOST = 10_000  # clients (refused, or with a lease) remembered per process; expired ones go first
LEASE_AT_MOST = 20  # misses taken at once: a tenth of the limit, at most this many


def client_host(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class MissLimiter:
    """`limiter(request)`: 0 when the client may have one more picture drawn (counted), else seconds to wait."""

    def __init__(
        self,
        per_minute: int,
        client_of: Callable[[Request], str] = client_host,
        db_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rule = limits.Rule(name="new-pictures", hits=per_minute, per=timedelta(minutes=1))
        self.lease = max(1, min(per_minute // 10, LEASE_AT_MOST))
        self._client_of = client_of
        self._db_url = db_url
        self._clock = clock
        # By client: (misses left of its lease, until when). No misses left means refused until then.
        self._known: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> float:
        known = self.from_memory(request)
        return known if known is not None else self._from_database(self._client_of(request), self._clock())

    def from_memory(self, request: Request) -> float | None:
        """The answer when this process knows it (a lease with misses left, or a refusal still running),
        counting the miss as `limiter(request)` would; None when only the database can say. For the
        event loop: no database, no waiting."""
        client = self._client_of(request)
        now = self._clock()
        with self._lock:
            left, until = self._known.get(client, (0, 0.0))
            if until <= now:
                return None
            if not left:
                return until - now
            if left > 1:
                self._known[client] = (left - 1, until)
            else:
                del self._known[client]
            return 0.0

    def _from_database(self, client: str, now: float) -> float:
        try:
            with db.session(self._db_url) as session:
                grant = limits.take_up_to(session, self.rule, f"client:{client}", self.lease)
        except limits.Limited as limited:
            wait = max(limited.wait.total_seconds(), 0.001)
            self._remember(client, 0, now + wait)
            return wait
        except SQLAlchemyError:
            # A limiter that can't count must not take the pictures down with it.
            log.warning("picture miss limiter: database unavailable, letting the render through", exc_info=True)
            return 0.0
        if grant.hits > 1:  # this miss takes one; the rest last as long as the window they were counted in
            self._remember(client, grant.hits - 1, now + grant.lasts.total_seconds())
        return 0.0

    def _remember(self, client: str, left: int, until: float) -> None:
        with self._lock:
            if len(self._known) >= REMEMBER_AT_MOST:
                now = self._clock()
                for old in [c for c, (_, then) in self._known.items() if then <= now]:
                    del self._known[old]
                if len(self._known) >= REMEMBER_AT_MOST:
                    self._known.clear()  # all still running: the database will say so again
            self._known[client] = (left, until)
