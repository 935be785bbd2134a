"""Small pieces shared by the plain HTTP routes (the stage feed, nudge reports): bounded JSON bodies."""

import json

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
