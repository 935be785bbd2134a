"""The floor for the load benchmark: a bare python-socketio server under Granian replaying the app's own bytes.

It speaks just enough of Reflex's `/_event` protocol for tests/reflex_socket.py's ReflexTab: on connect
it sends the updates the real app sent for a page load, and on every event it sends the updates the
real app sent for one option pick. `/build` answers with the real page's HTML and any `/car/...` with
one real picture. No state, no rendering, no database: what is left is the server, the socket and the
bytes on the wire, so the app's figures divided by these say what the app itself costs.

    MOTORJOY_ECHO_RECORDING=recording.json granian --interface asgi tests.bench.echo_server:app

The recording is made by `record()` from a running app (load.py does this before each floor run).
"""

import asyncio
import base64
import json
import os
from pathlib import Path

import socketio
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

NAMESPACE = "/_event"


def load_recording() -> dict:
    return json.loads(Path(os.environ["MOTORJOY_ECHO_RECORDING"]).read_text())


RECORDING = load_recording() if "MOTORJOY_ECHO_RECORDING" in os.environ else {}
PICTURE = base64.b64decode(RECORDING.get("picture", ""))

# Configured as Reflex configures its own server: websocket only, handlers inline on the receive loop.
sio = socketio.AsyncServer(
    async_mode="asgi",
    cors_allowed_origins="*",
    transports=["websocket"],
    allow_upgrades=False,
    async_handlers=False,
)


async def _send_all(sid: str, updates: list[dict]) -> None:
    for update in updates:
        await sio.emit("event", update, to=sid, namespace=NAMESPACE)


@sio.on("connect", namespace=NAMESPACE)
async def connect(sid, environ, auth=None):
    # After the connect handler returns, so the client is in the namespace when the updates arrive.
    asyncio.get_running_loop().call_soon(lambda: asyncio.ensure_future(_send_all(sid, RECORDING["hydrate"])))


@sio.on("event", namespace=NAMESPACE)
async def event(sid, data):
    await _send_all(sid, RECORDING["pick"])


async def page(_request):
    return HTMLResponse(RECORDING["page"])


async def picture(_request):
    return Response(PICTURE, media_type="image/webp", headers={"Cache-Control": "public, max-age=31536000, immutable"})


async def ping(_request):
    return PlainTextResponse("pong")


http = Starlette(routes=[Route("/build", page), Route("/car/{rest:path}", picture), Route("/ping", ping)])
app = socketio.ASGIApp(sio, other_asgi_app=http, socketio_path=NAMESPACE)


async def record(base: str, path: str, pick: tuple[str, dict], wait_for: tuple[str, str], picture_of) -> dict:
    """Open one tab on the running app at `base`, pick once, and keep every byte it was sent."""
    import aiohttp

    from tests.reflex_socket import ReflexTab

    tab = ReflexTab(base, path)
    updates: list[dict] = []
    original = tab._on_update

    async def keep(update):
        updates.append(update)
        await original(update)

    tab._sio.handlers[NAMESPACE]["event"] = keep
    await tab.open()
    await asyncio.sleep(0.5)  # the page load's trailing updates
    hydrate, updates[:] = list(updates), []
    handler, payload = pick
    await tab.send(handler, wait_for, **payload)
    await asyncio.sleep(0.5)
    await tab.close()
    async with aiohttp.ClientSession() as http_session:
        async with http_session.get(base + path.split("?")[0]) as response:
            html = await response.text()
        async with http_session.get(base + picture_of(tab)) as response:
            picture_bytes = await response.read()
    return {
        "page": html,
        "hydrate": [_quiet(update) for update in hydrate],
        "pick": [_quiet(update) for update in updates],
        "picture": base64.b64encode(picture_bytes).decode(),
    }


def _quiet(update: dict) -> dict:
    # Events the tab would send back would be answered with another pick: replay only the page's own.
    events = [event for event in update.get("events") or [] if event["name"].startswith("_")]
    return {**update, "events": events}
