"""Another connection that commits while the code under test is between its reads and its write.

On SQLite a transaction that has read can't start writing once another connection has committed
since: it fails at once ("database is locked"), whatever the busy timeout. Code that takes the write
lock first makes this writer wait instead, so it is given a moment, and must have finished by the end.
"""

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from app import db
from app.staff.models import Dealership


@contextmanager
def another_writer(url: str) -> Iterator[Callable[[], None]]:
    """`meanwhile()` has another connection (another worker, the club mail's thread) commit a write."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        writes: list[Future] = []

        def meanwhile() -> None:
            writes.append(thread.submit(_add_dealership, url, f"Motorjoy Meanwhile {len(writes)}"))
            time.sleep(0.3)  # done by now, unless it waits for the lock of the code under test

        yield meanwhile
        for write in writes:
            write.result(timeout=30)
        assert writes, "nothing called meanwhile(): the test no longer reaches the code it means to"


def run_before(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, meanwhile: Callable[[], None]) -> None:
    """Make `owner.name` call `meanwhile()` before itself: its caller has read by then, and writes after."""
    original = getattr(owner, name)

    def patched(*args, **kwargs):
        meanwhile()
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, patched)


def _add_dealership(url: str, name: str) -> None:
    with db.session(url) as s:
        s.add(Dealership(name=name, city="Leeds"))
