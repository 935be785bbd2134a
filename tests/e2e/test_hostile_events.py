"""Hostile websocket events at every public event handler of every state: none may end in a handler error.

The real backend runs as its own process on a demo database; two tabs speak Reflex's websocket to it,
one anonymous and one signed in as an admin (who passes every role check, so the staff handlers get
past their door). Every public handler of every state class of the app (found by walking Reflex's
state tree, so a new handler is covered without touching this file) is sent payloads a browser never
would: wrong types, None, huge and control-character strings, deep dicts, huge and negative numbers,
NaN, missing and extra arguments, forms whose fields are all of these.

After each event a sentinel event is sent and awaited: Reflex handles one tab's events in order, so
when the sentinel's update arrives the hostile event is done (an event that changes nothing sends
no update at all, so there is nothing else to wait for). A handler error shows in the server's
log ("event handler failed", app.ui.errors) and as the "handler-failed" toast in the tab.
"""

import asyncio
import inspect
import math
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.reflex_socket import ReflexTab, var
from tests.servers import BIN, run_quietly, start_backend

FAILED = "event handler failed"
DEEP: dict[str, Any] = {}
for _ in range(60):
    DEEP = {"a": DEEP}
HOSTILE: list[Any] = [
    None,
    True,
    0,
    -1,
    -(10**30),
    10**30,
    1.5,
    math.nan,
    math.inf,
    "",
    "x" * 50_000,  # past every field's limit; a whole form of them still fits one websocket message
    "\x00\x07\x1b[31m\u202e\u200b\ufeff\ud7ff",
    "<script>alert(1)</script>{name.__class__}",
    "../../../../etc/passwd",
    [],
    [1, "two", None],
    {},
    DEEP,
]
SKIPPED = {
    # Reflex's own machinery, not the app's handlers: run by the front end itself on hydration and
    # page loads (their payloads are Reflex's business and tested there).
    "hydrate",
    "hydrate_and_load",
    "on_load_internal",
    "update_vars_internal",
    "set_is_hydrated",
    "handle_frontend_exception",
}


@dataclass(frozen=True)
class Target:
    state: str  # the state's full name
    handler: str
    params: tuple[str, ...]
    form_keys: tuple[str, ...]  # the fields a `form` handler reads, from its source


def targets() -> list[Target]:
    """Every public event handler of every state the app defines, with what it takes."""
    from reflex.state import State

    import app.app  # noqa: F401  (registers every page's states)

    found, seen = [], set()
    todo = [State]
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())  # Python's own record: needs no Reflex context in this thread
        for name, handler in cls.event_handlers.items():
            if name.startswith("_") or name in SKIPPED:
                continue
            fn = handler.fn
            params = tuple(list(inspect.signature(fn).parameters)[1:])
            try:
                source = inspect.getsource(fn)
            except (OSError, TypeError):
                source = ""
            keys = tuple(sorted(set(re.findall(r"""form(?:\.get\(|\[)["'](\w+)["']""", source))))
            found.append(Target(cls.get_full_name(), name, params, keys))
    return sorted(found, key=lambda t: (t.state, t.handler))


def payloads(target: Target) -> Iterator[dict[str, Any]]:
    """What a hostile client sends: each hostile value for every argument, nothing, and too much."""
    yield {}
    yield {"unexpected": 1}
    yield {**dict.fromkeys(target.params, "x"), "unexpected": DEEP}
    for value in HOSTILE:
        yield dict.fromkeys(target.params, value) if target.params else {"form": value}
    for value in HOSTILE:  # forms whose every field is hostile
        if target.form_keys:
            yield {p: dict.fromkeys(target.form_keys, value) for p in target.params}


@pytest.fixture(scope="module")
def backend(tmp_path_factory) -> Iterator[tuple[str, Path, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("hostile")
    env = {k: v for k, v in os.environ.items() if k not in ("REFLEX_REDIS_URL", "PYTHONPATH")}
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        MOTORJOY_DATA_DIR=str(tmp / "data"),
        REFLEX_DB_URL=f"sqlite:///{tmp / 'motorjoy.db'}",
        REFLEX_USE_GRANIAN="true",
        GRANIAN_WORKERS="1",
        MOTORJOY_MAIL_EVERY_SECONDS="0",
        MOTORJOY_PICTURE_MISSES_PER_MINUTE="100000",
        REFLEX_CHECK_LATEST_VERSION="false",
    )
    run_quietly([str(BIN / "motorjoy"), "demo"], env)
    log = tmp / "backend.log"
    server = start_backend(env, log)
    try:
        yield f"http://127.0.0.1:{server.port}", log, env
    finally:
        server.stop()


async def attack(backend_url: str, log: Path, storage: dict[str, str] | None) -> list[str]:
    """Every hostile payload at every handler from one tab; what ended in a handler error."""
    from reflex.state import UpdateVarsInternalState

    from app.signin.state import StaffState

    tab = ReflexTab(backend_url, "/", timeout=60)
    await tab.open(storage=storage)
    sentinel_state = StaffState.get_full_name()
    sentinel = f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal"
    failures, count = [], 0
    for target in targets():
        for payload in payloads(target):
            count += 1
            seen, toasts = len(log.read_text(errors="replace")), len(tab.events)
            await tab.emit(f"{target.state}.{target.handler}", **payload)
            # Done when the sentinel's update arrives (one tab's events run in order).
            # The sentinel: the browser storing a cookie (the staff device cookie, read only at sign-in).
            mark = f"sentinel {count}"
            await tab.emit(sentinel, vars={f"{sentinel_state}.device": mark})
            await tab.wait_for(lambda delta, mark=mark: delta.get(sentinel_state, {}).get(var("device")) == mark)
            errors = log.read_text(errors="replace")[seen:].count(FAILED)
            toast = any("handler-failed" in str(e) for e in tab.events[toasts:])
            if errors or toast:
                shown = {k: (repr(v)[:60]) for k, v in payload.items()}
                failures.append(f"{target.state.rsplit('.', 1)[-1]}.{target.handler}({shown})")
    await tab.close()
    assert count > 500  # every handler was reached many times
    return failures


def run(coroutine):
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_no_hostile_event_ends_in_a_handler_error_for_a_visitor(backend):
    url, log, _ = backend
    failures = run(attack(url, log, None))
    assert not failures, f"{len(failures)} handler errors:\n" + "\n".join(failures)


def test_no_hostile_event_ends_in_a_handler_error_for_a_signed_in_admin(backend):
    from app.db import session
    from app.signin.state import StaffState
    from app.staff.accounts import sign_in
    from app.staff.demo import DEMO_PASSWORD

    url, log, env = backend
    with session(env["REFLEX_DB_URL"]) as s:
        cookie = sign_in(s, "admin@motorjoy.example", DEMO_PASSWORD, "hostile-test")
    failures = run(attack(url, log, {f"{StaffState.get_full_name()}.token": cookie}))
    assert not failures, f"{len(failures)} handler errors:\n" + "\n".join(failures)
