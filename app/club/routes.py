"""/club/unsubscribe/{token}: leave (or rejoin) one kind of club mail, with one button and no sign-in.

GET (and HEAD, which link scanners send) only shows the page; only a POST changes anything: the
button, or a mail client's RFC 8058 one-click unsubscribe (`List-Unsubscribe=One-Click` to the same
address).
"""

import html
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from app import db
from app.club.preferences import TOPICS, holds_address, opt_back_in, opt_out, opted_out, read_unsubscribe_token

MAX_FORM_BYTES = 2048
NOT_OURS = (
    "We couldn't read this unsubscribe link. It may have been cut short when it was copied: "
    "try the link in the mail itself, or reply to any club mail and we'll sort it out by hand."
)
# An unsubscribe link lives as long as we hold its address (club.preferences.holds_address).
NOTHING_HELD = (
    "We no longer hold this address, so nothing more will be sent to it and there is nothing to "
    "unsubscribe from. If club mail reaches you anyway, reply to it and we'll stop it by hand."
)


def unsubscribe_routes(url: str | None = None) -> list[Route]:
    """The route to add to the app's Starlette; `url` points it at another database (tests)."""

    async def page(request: Request) -> HTMLResponse:
        found = read_unsubscribe_token(request.path_params["token"])
        if found is None:
            return HTMLResponse(_page("Link not recognised", f"<p>{html.escape(NOT_OURS)}</p>"), status_code=404)
        email, topic = found
        if not await run_in_threadpool(_held, url, email):
            return HTMLResponse(_page("Nothing to unsubscribe", f"<p>{html.escape(NOTHING_HELD)}</p>"), status_code=410)
        if request.method != "POST":  # GET, and the HEAD Starlette answers for every GET route
            left = await run_in_threadpool(_is_out, url, email, topic)
            return HTMLResponse(_choice_page(email, topic, left))
        body = await request.body()
        action = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace")).get("action", ["unsubscribe"])[0]
        await run_in_threadpool(_record, url, email, topic, action == "resubscribe")
        return HTMLResponse(_choice_page(email, topic, action != "resubscribe", just_changed=True))

    return [Route("/club/unsubscribe/{token}", page, methods=["GET", "POST"])]


def _held(url: str | None, email: str) -> bool:
    with db.session(url) as s:
        return holds_address(s, email)


def _is_out(url: str | None, email: str, topic: str) -> bool:
    with db.session(url) as s:
        return opted_out(s, email, topic)


def _record(url: str | None, email: str, topic: str, back_in: bool) -> None:
    with db.session(url, reads_then_writes=True) as s:  # looks for the opt-out, then adds or removes it
        (opt_back_in if back_in else opt_out)(s, email, topic)


def masked(email: str) -> str:
    """Enough of the address to recognise it, not enough to harvest it from a forwarded link."""
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"


def _choice_page(email: str, topic: str, left: bool, just_changed: bool = False) -> str:
    what, who = html.escape(TOPICS[topic]), html.escape(masked(email))
    if left:
        title = "You're off the list" if just_changed else "Already unsubscribed"
        text = f"No more {what} to {who}. Other club mail, if you get any, carries its own link. Changed your mind?"
        button = ("resubscribe", "Send them again after all")
    else:
        title = "Welcome back" if just_changed else "Stop this kind of mail?"
        text = (
            f"You're back on the list for {what} at {who}. We'll keep it friendly and rare."
            if just_changed
            else f"One click and we'll stop sending {what} to {who}. Nothing else changes."
        )
        button = ("unsubscribe", "Unsubscribe")
    form = (
        f'<form method="post"><input type="hidden" name="action" value="{button[0]}">'
        f'<button type="submit">{button[1]}</button></form>'
    )
    return _page(title, f'<p role="status">{text}</p>{form}')


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>{html.escape(title)} · Motorjoy Club</title>
<style>
body{{margin:0;background:#F9F9F8;color:#21201C;font:17px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}}
main{{max-width:32rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;border:1px solid #E9E8E6}}
.brand{{color:#D13415;font-weight:700;margin:0 0 .5rem}} h1{{font-size:1.5rem;margin:0 0 .75rem}}
button{{font:inherit;padding:.7rem 1.2rem;border-radius:8px;border:0;background:#D13415;color:#fff;cursor:pointer}}
button:focus-visible{{outline:3px solid #21201C;outline-offset:3px}}
</style></head>
<body><main><p class="brand">Motorjoy Club</p><h1>{html.escape(title)}</h1>{body}</main></body></html>
"""
