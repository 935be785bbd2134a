"""One browser tab's websocket to a Reflex backend, speaking what the built front end (utils/state.js) speaks.

The tab connects to the `/_event` socket.io namespace with its token in the query and its first event
(`hydrate_and_load`, which runs the page's on_load on the server) in the CONNECT packet; then it sends
`{"name": "<state path>.<handler>", "payload": {...}, "router_data": {...}}` as `event` messages and
receives `{"delta": {state: {var_rx_state_: value}}, "events": [...]}` updates.
"""

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import socketio

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"
BUILD_STATE = f"{ROOT_STATE}.app___configurator___state____build_state"
Delta = dict[str, dict[str, Any]]


def var(name: str) -> str:
    """The key a state var has in a delta."""
    return f"{name}_rx_state_"


class ReflexTab:
    """A tab open on `path`: the state the server has sent so far, merged, and a way to send events."""

    def __init__(self, backend_url: str, path: str, token: str | None = None, timeout: float = 20) -> None:
        self.backend_url = backend_url.rstrip("/")
        self.path = path
        self.token = token or str(uuid.uuid4())
        self.timeout = timeout
        self.state: Delta = {}
        self.events: list[dict[str, Any]] = []  # every event the server sent the page, in order (e.g. `_redirect`)
        self._updates: asyncio.Queue[Delta] = asyncio.Queue()
        self._sio = socketio.AsyncClient(reconnection=False)
        self._sio.on("event", self._on_update, namespace=NAMESPACE)

    async def open(self, boot: str = f"{ROOT_STATE}.hydrate_and_load", storage: dict[str, Any] | None = None) -> None:
        """Connect with `boot` as the first event: by default what a page load sends, returning once the
        page's on_load has run; or `hydrate` alone, returning with the whole state and running nothing.

        `storage` is what the browser holds in cookies and session storage, by full var name (state
        path + "." + var), sent with the page load as the front end does."""
        await self._sio.connect(
            f"{self.backend_url}?token={self.token}",
            transports=["websocket"],
            socketio_path=NAMESPACE,
            namespaces=[NAMESPACE],
            auth={"event": self._event(boot, {"vars": storage} if storage else {})},
            wait_timeout=self.timeout,
        )
        loaded = boot.endswith(".hydrate_and_load")
        await self.wait_for(lambda delta: delta.get(ROOT_STATE, {}).get(var("is_hydrated")) is loaded)

    async def send(self, handler: str, wait_for_var: tuple[str, str], **payload: Any) -> Delta:
        """Send `handler` (a full name) and wait for the update that changes `wait_for_var` (state, var)."""
        state, name = wait_for_var
        await self.emit(handler, **payload)
        return await self.wait_for(lambda delta: var(name) in delta.get(state, {}))

    async def emit(self, handler: str, **payload: Any) -> None:
        """Send `handler` (a full name) and wait for nothing, as a click whose answer may never come."""
        await self._sio.emit("event", self._event(handler, payload), namespace=NAMESPACE)

    async def wait_for(self, done: Callable[[Delta], bool]) -> Delta:
        """The first update from now on for which `done(delta)` holds (TimeoutError after `timeout`)."""
        async with asyncio.timeout(self.timeout):
            while True:
                delta = await self._updates.get()
                if done(delta):
                    return delta

    def value(self, state: str, name: str) -> Any:
        return self.state.get(state, {}).get(var(name))

    async def close(self) -> None:
        await self._sio.disconnect()

    def _event(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "payload": payload, "router_data": {"pathname": self.path, "asPath": self.path}}

    async def _on_update(self, update: dict[str, Any]) -> None:
        delta = update.get("delta") or {}
        self.events.extend(update.get("events") or [])
        for state, values in delta.items():
            self.state.setdefault(state, {}).update(values)
        # Events for the server (not the page's own, like `_call_script`) go back, as the front end does.
        for event in update.get("events") or []:
            if not event["name"].startswith("_"):
                back = self._event(event["name"], event.get("payload") or {})
                await self._sio.emit("event", back, namespace=NAMESPACE)
        self._updates.put_nowait(delta)
