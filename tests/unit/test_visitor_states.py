"""The single-process state manager: visitors' state in memory, dropped once they have left and gone idle."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

from app.visitor_states import VisitorStates


def token(ident: str) -> BaseStateToken:
    return BaseStateToken(ident=ident, cls=State)


def age(manager: VisitorStates, seconds: float) -> None:
    """Pretend every tracked visitor's last event was `seconds` earlier than it was."""
    for key, (expires_at, tok) in list(manager._token_expires_at.items()):
        manager._token_expires_at[key] = (expires_at - seconds, tok)


def test_a_visitor_who_left_is_dropped_after_the_idle_time_and_a_connected_one_is_kept():
    connected = {"open-tab"}
    manager = VisitorStates(token_expiration=60, is_connected=connected.__contains__)

    async def scenario():
        for ident in ("open-tab", "left", "recent"):
            async with manager.modify_state(token(ident)) as state:
                state.is_hydrated = True
        age(manager, 61)
        async with manager.modify_state(token("recent")):
            pass  # an event just now: a fresh idle period
        manager._purge_expired_tokens()
        kept = {key.split("/")[0] for key in manager.states}
        await manager.close()
        return kept

    assert asyncio.run(scenario()) == {"open-tab", "recent"}


def test_a_connected_visitor_keeps_their_state_through_any_idle_time():
    manager = VisitorStates(token_expiration=60, is_connected=lambda ident: True)

    async def scenario():
        async with manager.modify_state(token("idle-tracker")) as state:
            state.is_hydrated = True
        for _ in range(3):
            age(manager, 3600)
            manager._purge_expired_tokens()
        state = await manager.get_state(token("idle-tracker"))
        await manager.close()
        return state.is_hydrated

    assert asyncio.run(scenario()) is True


def test_a_state_in_use_is_never_dropped_under_its_event():
    manager = VisitorStates(token_expiration=60)

    async def scenario():
        async with manager.modify_state(token("busy")):
            age(manager, 120)
            manager._purge_expired_tokens()
            held = manager.visitors
        await manager.close()
        return held

    assert asyncio.run(scenario()) == 1


def test_the_sweep_stops_when_everyone_has_gone_and_writes_nothing_to_disk(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    manager = VisitorStates(token_expiration=1, sweep_seconds=0.05)

    async def scenario():
        for n in range(50):
            async with manager.modify_state(token(f"visitor-{n}")) as state:
                state.is_hydrated = True
        deadline = time.monotonic() + 10
        while manager.visitors and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        return manager.visitors, manager._expiration_task

    visitors, task = asyncio.run(scenario())
    assert visitors == 0
    assert task is None
    assert list(tmp_path.iterdir()) == []


def test_the_app_keeps_visitors_in_memory_when_no_redis_is_set(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "REFLEX_REDIS_URL"}
    env |= {"MOTORJOY_DATA_DIR": str(tmp_path), "MOTORJOY_VISITOR_IDLE_SECONDS": "42"}
    probe = "from app.app import app; m = app.state_manager; print(type(m).__name__, m.token_expiration)"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["VisitorStates", "42"], done.stderr
