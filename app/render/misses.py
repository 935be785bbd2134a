"""How many never-seen pictures one client may have drawn: the shared limiter, and free refusals once limited.

Each miss costs a render (tens of milliseconds of CPU) and a place in the disk store, so a script
asking for endless new colours could burn the CPU and churn the store for everyone. Misses are
counted per client by `app.limits` (in the database, so every worker shares the count); once a
client is refused, this process remembers until when, so a flood of refusals costs no database
work. Hits never come here.
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
REMEMBER_AT_MOST = 10_000  # refused clients remembered per process; expired ones go first


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
        self._client_of = client_of
        self._db_url = db_url
        self._clock = clock
        self._refused_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> float:
        client = self._client_of(request)
        now = self._clock()
        with self._lock:
            until = self._refused_until.get(client, 0.0)
        if until > now:
            return until - now
        try:
            with db.session(self._db_url) as session:
                limits.take(session, self.rule, f"client:{client}")
        except limits.Limited as limited:
            wait = max(limited.wait.total_seconds(), 0.001)
            self._remember(client, now + wait)
            return wait
        except SQLAlchemyError:
            # A limiter that can't count must not take the pictures down with it.
            log.warning("picture miss limiter: database unavailable, letting the render through", exc_info=True)
        return 0.0

    def _remember(self, client: str, until: float) -> None:
        with self._lock:
            if len(self._refused_until) >= REMEMBER_AT_MOST:
                now = self._clock()
                for old in [c for c, t in self._refused_until.items() if t <= now]:
                    del self._refused_until[old]
                if len(self._refused_until) >= REMEMBER_AT_MOST:
                    self._refused_until.clear()  # all still limited: the database will say so again
            self._refused_until[client] = until
