"""Copy with {placeholders}: one strict substitute fills it, and the same rules check it when it is saved.

Copy is written by marketing, so it never reaches Python's `str.format`: that machinery follows
`{name.__class__}` or `{x[0]}` into the objects behind the values, and runs format specs and
conversions (`{x:>999999}`, `{x!r}`). Here a placeholder is a bare name and nothing else; `{{` and `}}`
are literal braces.
"""

import re
from collections.abc import Callable, Collection, Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class PlaceholderError(ValueError):
    """Copy whose placeholders we can't fill; the message names the one that's wrong."""


def _offer(allowed: Collection[str]) -> str:
    return ", ".join("{" + name + "}" for name in allowed) or "none"


def check(text: str, allowed: Collection[str]) -> None:
    """Refuse copy that `fill` couldn't fill with exactly these names: unknown names, `{a.b}`, `{a!r}`,
    `{x:y}`, and a brace without its partner."""
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is None:
            continue
        if not _NAME.fullmatch(name) or name not in allowed:
            raise PlaceholderError(f"{{{name}}} is not something we can fill in (you can use: {_offer(allowed)}).")
    if any(brace in _TOKEN.sub("", text) for brace in "{}"):
        raise PlaceholderError("a curly brace is missing its partner (write {{ or }} for a brace on its own).")


def fill(text: str, values: Mapping[str, str], escape: Callable[[str], str] = lambda value: value) -> str:
    """The copy with each {name} replaced by its `escape`d value, and "{{"/"}}" by a brace.

    Raises PlaceholderError for any placeholder that isn't a name in `values`; a lone brace stays as it is.
    """

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        if not _NAME.fullmatch(name) or name not in values:
            raise PlaceholderError(f"{{{name}}} isn't something this copy can fill in.")
        return escape(values[name])

    return _TOKEN.sub(replace, text)
