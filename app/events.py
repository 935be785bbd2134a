"""What happened, announced by the feature where it happened; the club listens and decides what to mail.

Orders and the tracker never write mail: they announce an order placed, a stage reached or a stage
overdue, inside the caller's transaction, and each listener reacts in that same transaction (so an
order and its confirmation are stored together or not at all). The club subscribes itself when its
package is imported (app/club/__init__.py); every process that writes orders imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session


@dataclass(frozen=True)
class OrderPlaced:
    order_id: int


@dataclass(frozen=True)
class StageReached:
    order_id: int
    stage: str
    at: datetime  # when the news arrived (the feed's clock is not ours)


@dataclass(frozen=True)
class StageOverdue:
    order_id: int
    stage: str
    at: datetime


Event = OrderPlaced | StageReached | StageOverdue
Listener = Callable[[Session, Event], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Call `listener` for every announced event from now on (once, however often this is called)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def announce(session: Session, event: Event) -> None:
    """Tell every listener what happened, in the caller's transaction."""
    for listener in list(_listeners):
        listener(session, event)
