"""The server's answers render without holding the page up: a picked option's picture swaps first.

Reflex's client applies each update from the server inside the websocket's message handler, so React
renders it as an urgent update: one uninterrupted task. On /build that task (the price, the bill, the
cards whose state changed) lands just as the predicted picture (assets/predict.js) finishes loading, and
the picture's load, decode and swap each wait for the main thread until it is done. Applied inside
React's `startTransition`, the same render is done in slices that yield to the browser every few
milliseconds, so the picture (and any key the visitor presses) goes first; the result is the same.

This plugin makes that one change to Reflex's `utils/state.js` as the front end is compiled. If a
Reflex upgrade reshapes the code it looks for, compiling fails and says so, rather than quietly
building without it.
"""

from typing import Any

import reflex as rx

STATE_JS = "utils/state.js"
REACT_IMPORT = 'import { useCallback, useEffect, useRef, useState } from "react";'
APPLY_DELTA = """        for (const substate in delta) {
          dispatch[substate](delta[substate]);
        }"""
MARK = "// motorjoy: answers render as a transition"


class ReflexClientChanged(RuntimeError):
    """Reflex's state.js no longer has the code this plugin changes."""


def answers_as_transitions(source: str) -> str:
    """`source` (Reflex's state.js) with each server update applied inside `startTransition`."""
    if MARK in source:
        return source  # compiled before: the file on disk already has it
    if REACT_IMPORT not in source or source.count(APPLY_DELTA) != 1:
        raise ReflexClientChanged(
            f"{STATE_JS} has changed shape in this Reflex version; update app/ui/answers_yield.py to match it."
        )
    wrapped = f"        {MARK}\n        startTransition(() => {{\n" + _indent(APPLY_DELTA) + "\n        });"
    source = source.replace(REACT_IMPORT, REACT_IMPORT.replace("{ ", "{ startTransition, "), 1)
    return source.replace(APPLY_DELTA, wrapped, 1)


def _indent(code: str) -> str:
    return "\n".join("  " + line for line in code.splitlines())


class AnswersYield(rx.plugins.Plugin):
    """Reflex plugin: server updates render as React transitions (see the module's docstring)."""

    def pre_compile(self, **context: Any) -> None:
        context["add_modify_task"](STATE_JS, answers_as_transitions)
