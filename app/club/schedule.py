"""The in-process mail schedule: send what is due every MOTORJOY_MAIL_EVERY_SECONDS, and survive any error."""

import asyncio
import logging

from app.club.commands import send_due
from app.club.delivery import MailSettings, MailSettingsError

log = logging.getLogger(__name__)


async def run_mail_schedule(url: str | None = None) -> None:
    """Run `send_due` in a worker thread, then sleep; returns at once when the schedule is off (0 seconds).

    Several app workers may each run this: claiming rows makes sure every mail still goes out once.
    """
    try:
        config = MailSettings.from_env()
    except MailSettingsError as error:
        log.error("club mail schedule not started: %s", error)
        return
    if config.every_seconds == 0:
        log.info("club mail schedule is off (MOTORJOY_MAIL_EVERY_SECONDS=0)")
        return
    while True:
        try:
            result = await asyncio.to_thread(send_due, url, config=config)
            log.info("club mail: %s", result.summary())
        except Exception:
            # A database or mail server hiccup must not stop the schedule: the next round tries again.
            log.exception("club mail round failed")
        await asyncio.sleep(config.every_seconds)
