"""Scheduled releases go live on time: every app process checks twice a minute (claims stop doubles)."""

import asyncio
import logging

from app.studio import desk

log = logging.getLogger(__name__)
EVERY_SECONDS = 30


async def run_release_schedule() -> None:
    while True:
        try:
            for outcome in await asyncio.to_thread(desk.publish_due):
                log.info("release: %s", outcome)
        except Exception:
            log.exception("publishing due releases failed; trying again shortly")
        await asyncio.sleep(EVERY_SECONDS)
