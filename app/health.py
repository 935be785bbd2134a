"""GET /_health: Reflex's own check (the database answers, Redis answers) plus one real write.

A database can answer a SELECT while it can't store anything (the disk is full, the file or the
server went read-only), and then every save fails. So each check also commits a one-row heartbeat
for this server; `db_writable` says whether that worked. 200 when all is well, else 503, so a load
balancer takes the server out of rotation.
"""

import json
import logging
import socket
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Field, SQLModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import db

log = logging.getLogger(__name__)


class HealthBeat(SQLModel, table=True):
    """When each server last managed to write to the database (from its /_health checks)."""

    __tablename__ = "health_beats"

    server: str = Field(primary_key=True, max_length=255)
    beat_at: datetime


def database_writable(url: str | None = None) -> bool:
    """Whether a real write commits right now; a failure is logged with its reason."""
    try:
        # merge reads the beat, then writes it: with the write lock taken first, a commit by another
        # connection in between makes this wait, not fail (a 503 would take a healthy server out).
        with db.session(url, reads_then_writes=True) as s:
            s.merge(HealthBeat(server=socket.gethostname()[:255], beat_at=datetime.now(UTC)))
    except SQLAlchemyError as error:
        log.error("health: the database can't write (%s)", str(error).splitlines()[0])
        return False
    return True


async def health(request: Request) -> JSONResponse:
    from reflex.app import health as reflex_health

    answer = await reflex_health(request)
    status = json.loads(bytes(answer.body))
    status["db_writable"] = await run_in_threadpool(database_writable)
    status["status"] = all(status.values())
    return JSONResponse(status, status_code=200 if status["status"] else 503)


def health_routes() -> list[Route]:
    """Placed before Reflex's own /_health, which it extends."""
    return [Route("/_health", health, methods=["GET"])]
