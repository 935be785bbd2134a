"""POST /feed/events: where senders post stage events (see app.tracking.feed for the rules).

Every refusal is a 4xx with a JSON `{"error": ...}` the sender's developer can act on; bad input
never becomes a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import db
from app.http import Refusal, json_body
from app.tracking.feed import FeedAuthError, FeedError, IngestResult, authenticate, ingest

refused = logging.getLogger("app.refused")
MAX_BODY_BYTES = 256 * 1024  # about 1000 events; more is a bug or an attack
TOO_BIG = f"The body is over {MAX_BODY_BYTES // 1024} KB; send at most 1000 events per request."


def no_news(_numbers: Iterable[str]) -> None:
    return None


def feed_routes(on_news: Callable[[Iterable[str]], None] = no_news) -> list[Route]:
    """The routes to add next to the picture routes; `on_news(order numbers)` hears of every stored batch
    (once it is committed) and must not block: the app tells the open trackers from it."""

    async def post_events(request: Request) -> JSONResponse:
        try:
            token = _bearer_token(request)
            # Check the token before reading the body, so strangers can't make us read 256 KB.
            await run_in_threadpool(_check_token, token)
            payload = await json_body(request, MAX_BODY_BYTES, TOO_BIG)
            result = await run_in_threadpool(_ingest, token, payload)
        except Refusal as refusal:
            refused.info("refused feed request: %s", refusal, extra={"status": refusal.status, "reason": str(refusal)})
            headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
            return JSONResponse({"error": str(refusal)}, status_code=refusal.status, headers=headers)
        on_news(result.orders)
        return JSONResponse({"accepted": result.accepted, "duplicates": result.duplicates, "flagged": result.flagged})

    return [Route("/feed/events", post_events, methods=["POST"])]


def _bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refusal(401, "Send your feed token as 'Authorization: Bearer <token>'.")
    return token.strip()


def _check_token(token: str) -> None:
    with db.session() as s:
        try:
            authenticate(s, token)
        except FeedAuthError as error:
            raise Refusal(401, str(error)) from None


def _ingest(token: str, payload: object) -> IngestResult:
    try:
        with db.session(reads_then_writes=True) as s:  # it reads the orders and their timelines first
            return ingest(s, token, payload)
    except FeedAuthError as error:
        raise Refusal(401, str(error)) from None
    except FeedError as error:
        raise Refusal(422, str(error)) from None
    except IntegrityError:  # the same event_id posted by two requests at once; the retry sees a duplicate
        raise Refusal(409, "Another request stored some of these events just now; send the batch again.") from None
