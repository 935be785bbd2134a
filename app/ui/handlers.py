"""`event`: Reflex's `rx.event` decorator as mypy can read it (the handler's own argument types, checked).

Reflex types `rx.event` with overloads on `__new__`, which pyright follows and mypy does not; to mypy
every handler looks like "EventNamespace" and no call to one is checked. At run time this is rx.event.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reflex as rx

if TYPE_CHECKING:
    from reflex_base.event import EventCallback
    from typing_extensions import TypeVarTuple, Unpack

    Args = TypeVarTuple("Args")

    def event(handler: Callable[[Any, Unpack[Args]], Any]) -> EventCallback[*Args]: ...

else:
    event = rx.event
