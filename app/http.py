"""Small pieces shared by the plain HTTP routes (the stage feed, nudge reports, pages): bounded JSON bodies, who
asked, the front end's built pages."""

import json
import os

from starlette.requests import Request


class Refusal(Exception):
    """An HTTP answer other than success: the status and a short message for the sender."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def json_body(request: Request, limit: int, too_big: str) -> object:
    """The parsed JSON body, refused (413) as soon as it passes `limit` bytes rather than after reading it all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refusal(413, too_big)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:  # a missing or lying Content-Length ends up here
            raise Refusal(413, too_big)
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, absurd nesting
        raise Refusal(400, "The body is not JSON.") from None


def trusted_proxy_hops() -> int:
    """How many reverse proxies in front of the app append to X-Forwarded-For: Reflex's own setting.

    `REFLEX_TRUSTED_PROXY_HOPS` (0 by default: the header is ignored, since any client can send it).
    Reflex resolves the websocket's client the same way, so pages and plain routes agree on who asked.
    """
    text = os.environ.get("REFLEX_TRUSTED_PROXY_HOPS", "0").strip()
    return int(text) if text.isdigit() else 0


def client_address(request: Request) -> str:
    """The visitor's address: the socket's peer, or, behind N trusted proxies, the Nth entry from the
    right of X-Forwarded-For (the one our own outermost proxy wrote; anything left of it is the client's say)."""
    peer = request.client.host if request.client else ""
    hops = trusted_proxy_hops()
    if hops:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return peer


_page_cache: dict[str, tuple[float, str]] = {}


def front_end_page(name: str) -> str | None:
    """A page of the front end's production build by file name (`build.html`), re-read when a new build
    replaces it; None without a production build (dev mode)."""
    from reflex import constants
    from reflex.utils import prerequisites

    path = prerequisites.get_web_dir() / constants.Dirs.STATIC / name
    try:
        modified = path.stat().st_mtime
        cached = _page_cache.get(str(path))
        if cached is None or cached[0] != modified:
            _page_cache[str(path)] = (modified, path.read_text(encoding="utf-8"))
        return _page_cache[str(path)][1]
    except OSError:
        return None
