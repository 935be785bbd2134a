"""What the server hears of nudges: shown and answered, so marketing sees which lines land."""

import logging
import math
from datetime import UTC, datetime, timedelta

from sqlmodel import Field, SQLModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import db, limits
from app.content import live
from app.http import Refusal, client_address, json_body
from app.nudges.settings import NudgeSettings, browser_config, nudge_settings

ACTIONS = ("shown", "road", "snooze", "off")
MAX_BODY = 1024
# A browser sees at most three nudges a day and reports each twice (shown, answered); an hour's worth
# for a household or an office behind one address is generous, and the statistics can't be flooded.
REPORTS = limits.Rule(name="nudge-report", hits=30, per=timedelta(hours=1))
log = logging.getLogger(__name__)


class NudgeEvent(SQLModel, table=True):
    __tablename__ = "nudge_events"

    id: int | None = Field(default=None, primary_key=True)
    line: int  # its place in the pool when it was shown
    # The words shown: the pool may be edited later, and the report counts a line by what it said.
    # "" when unknown (reports from before this was kept, or a line no longer in the pool).
    line_text: str = Field(default="", max_length=200)
    action: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC), index=True)


class NudgeEventError(ValueError):
    """A report we won't store; the message says which part is wrong."""


def _nudge_settings() -> NudgeSettings:
    return nudge_settings(live.values())


def checked_event(payload: object) -> NudgeEvent:
    """The report to store. `text` (optional) is the line the browser showed: a tab opened before marketing
    edited the pool still names the right words, and words no longer in the pool are kept as unknown
    rather than counted against whatever line now sits at that place."""
    if not isinstance(payload, dict):
        raise NudgeEventError("Send a JSON object with 'action' and 'line'.")
    action, line, text = payload.get("action"), payload.get("line"), payload.get("text")
    pool = _nudge_settings().lines
    if action not in ACTIONS:
        raise NudgeEventError(f"action must be one of {', '.join(ACTIONS)}.")
    if not isinstance(line, int) or isinstance(line, bool) or not 0 <= line < len(pool):
        raise NudgeEventError("line must be the index of a line in the pool.")
    if text is not None and not isinstance(text, str):
        raise NudgeEventError("text must be the line that was shown.")
    if text is None:
        return NudgeEvent(line=line, line_text=pool[line], action=action)
    return NudgeEvent(line=line, line_text=text if text in pool else "", action=action)


async def record(request: Request) -> JSONResponse:
    try:
        event = checked_event(await json_body(request, MAX_BODY, "A nudge report is a few bytes, not this many."))
    except Refusal as refusal:
        return JSONResponse({"error": str(refusal)}, status_code=refusal.status)
    except NudgeEventError as error:
        return JSONResponse({"error": str(error)}, status_code=422)
    try:
        await run_in_threadpool(_store, event, client_address(request))
    except limits.Limited as limited:
        log.info("refused nudge report: client over %s hits per %s", REPORTS.hits, REPORTS.per)
        return JSONResponse(
            {"error": "Too many nudge reports from here."},
            status_code=429,
            headers={"Retry-After": str(math.ceil(limited.wait.total_seconds()))},
        )
    return JSONResponse({"ok": True})


def _store(event: NudgeEvent, client: str) -> None:
    with db.session() as s:
        limits.take(s, REPORTS, f"client:{client}")
        s.add(event)


async def config(_request: Request) -> JSONResponse:
    """The nudge settings in force now (pages are built once; the studio may publish new lines since)."""
    settings = await run_in_threadpool(_nudge_settings)
    fresh = browser_config(settings, "")
    return JSONResponse({k: v for k, v in fresh.items() if k != "api"}, headers={"Cache-Control": "no-cache"})


def nudge_routes() -> list[Route]:
    return [Route("/nudges/event", record, methods=["POST"]), Route("/nudges/config", config)]
