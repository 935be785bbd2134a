"""Refuses websocket events whose arguments no page of ours would send, before any handler runs.

Reflex calls a handler with whatever the event's payload holds, so a hostile client (or a tab left
open across a release whose handlers changed) could reach a handler with arguments missing, extra or
of the wrong type and end in a handler error. This checks the payload against the handler's own
signature: every required argument present, none unknown, each of its annotated type; a form (a
`dict`) holds only what a browser's form sends (text, a tick, a number, a list of texts). Reflex's
`setvar` is refused outright: the app never sends it, and without automatic setters it can only fail.

A refused event changes nothing; the visitor sees a kind message and the refusal is logged.
"""

import functools
import inspect
import logging
import math
import types
import typing
from typing import Any

import reflex as rx
from reflex.event import Event
from reflex.state import BaseState, State, StateUpdate
from reflex_base.utils.form import FORM_DATA_ENTRIES_KEY

log = logging.getLogger("app.refused")
REFUSED = rx.toast.info(
    "That didn't come from this page as we know it, so nothing changed.",
    description="If the page has been open a long time, reload it and try again.",
    id="event-refused",
    position="top-center",
)


class EventGuard(rx.Middleware):
    """Reflex middleware: events with arguments a page can't send never reach their handler."""

    async def preprocess(self, app: Any, state: BaseState, event: Any) -> Any:
        problem = event_problem(event.name, event.payload)
        if problem is None:
            return None
        log.info("refused event %s: %s", event.name[-120:], problem)
        return StateUpdate(events=Event.from_event_type(REFUSED))


def event_problem(name: str, payload: Any) -> str | None:
    """Why this event can't have come from one of our pages, or None when its arguments fit."""
    state_name, _, handler_name = name.rpartition(".")
    if handler_name == "setvar":
        return "setvar is never sent by this app"
    try:
        cls = State.get_class_substate(state_name)
    except (ValueError, AttributeError, KeyError):
        return None  # not a state of ours: Reflex answers it (or not) itself
    handler = cls.event_handlers.get(handler_name)
    if handler is None or not cls.__module__.startswith("app."):
        return None  # Reflex's own events (hydration, page loads, client storage) are its business
    if not isinstance(payload, dict):
        return "the arguments are not a mapping"
    return arguments_problem(handler.fn, payload)


def arguments_problem(fn: Any, payload: dict[str, Any]) -> str | None:
    parameters, hints = _signature(fn)
    known = {p.name for p in parameters}
    if unknown := sorted(set(payload) - known):
        return f"unknown arguments {unknown[:5]}"
    for parameter in parameters:
        if parameter.name not in payload:
            if parameter.default is inspect.Parameter.empty:
                return f"missing argument {parameter.name!r}"
            continue
        if not fits(payload[parameter.name], hints.get(parameter.name, Any)):
            return f"argument {parameter.name!r} is not a {hints.get(parameter.name)}"
    return None


@functools.cache  # a handler's signature doesn't change; reading it took 2.5% of a busy worker's event loop
def _signature(fn: Any) -> tuple[list[inspect.Parameter], dict[str, Any]]:
    """The handler's parameters (without self) and their resolved annotations."""
    parameters = list(inspect.signature(fn).parameters.values())[1:]
    try:
        hints = typing.get_type_hints(fn)
    except (NameError, TypeError):  # an annotation that can't be resolved here: check names and counts only
        hints = {}
    return parameters, hints


def fits(value: Any, annotation: Any) -> bool:
    """Whether a value decoded from the websocket's JSON is of the annotated type."""
    if annotation is Any or annotation is inspect.Parameter.empty:
        return True
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in args)
    if annotation is type(None):
        return value is None
    if annotation is dict or origin is dict:
        if not isinstance(value, dict):
            return False
        # The front end sends a form as its ordered entries, {"__reflex_form_data__": [[name, value], ...]}.
        entries = value.get(FORM_DATA_ENTRIES_KEY) if len(value) == 1 else None
        pairs = entries if isinstance(entries, list) else list(value.items())
        return all(
            isinstance(pair, list | tuple) and len(pair) == 2 and isinstance(pair[0], str) and is_form_value(pair[1])
            for pair in pairs
        )
    if annotation is list or origin is list:
        return isinstance(value, list) and all(fits(item, args[0] if args else Any) for item in value)
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True  # an annotation we can't check here: the handler's own checks apply


def is_form_value(value: Any) -> bool:
    """What a browser's form sends for one field: text, a tick box, a number, or a list of texts."""
    if isinstance(value, str | bool) or value is None:
        return True
    if isinstance(value, int | float):
        return math.isfinite(value) and abs(value) < 2**63
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
