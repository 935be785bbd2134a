"""What a published version changed, in sentences that name the field and the thing (history diffs).

"Price of 17-inch dish wheels: £900 → £1,000", "Needs of Black mirror caps: added Tan soft top",
"Chili Red retired", and for copy a word diff: "Announcement: “Summer” → “Spring”". Plain Python:
`changes` gets both values, the item, and the options' names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from app.catalog.pricing import money
from app.studio.items import Item, ItemField

# Copy this short (in words, both sides) reads best whole; longer copy is told word by word.
WHOLE_UP_TO = 12


def changes(item: Item, before: Mapping | None, after: Mapping, names: Mapping[str, str]) -> list[str]:
    """One sentence per changed field; `before` None is the item as shipped."""
    before = before if before is not None else item.default
    subject = _subject(item, after)
    said: list[str] = []
    for spec in item.fields:
        old, new = before.get(spec.name, _empty(spec)), after.get(spec.name, _empty(spec))
        if old != new:
            said.extend(_field_change(spec, subject, old, new, names))
    return said


def _subject(item: Item, value: Mapping) -> str:
    # A colour is named by what it is called now (marketing may have renamed it, or added it).
    return str(value.get("name") or item.subject)


def _empty(spec: ItemField):
    return {"lines": [], "ids": [], "check": False, "number": 0}.get(spec.widget, "")


def _field_name(spec: ItemField) -> str:
    """The label without its hint: "Price (£)" -> "Price", "Needs (option ids, comma-separated)" -> "Needs"."""
    return re.sub(r"\s*\(.*?\)\s*$", "", spec.label)


def _field_change(spec: ItemField, subject: str, old, new, names: Mapping[str, str]) -> list[str]:
    field = _field_name(spec) + (f" of {subject}" if subject else "")
    if spec.widget == "check":
        return [_switch(spec, subject, bool(new))]
    if spec.widget == "number":
        return [f"{field}: {_number(spec, old)} → {_number(spec, new)}"]
    if spec.widget == "colour":
        return [f"{field}: {old} → {new}"]
    if spec.widget == "ids":
        return [f"{field}: {_ids_change(old, new, names)}"]
    if spec.widget == "lines":
        return [f"{field}: {line}" for line in _lines_change(list(old), list(new))]
    if spec.name == "sha256":
        return [f"{field}: a new picture ({str(new)[:8]})" if new else f"{field}: the shipped picture again"]
    if not old:
        return [f"{field}: set to “{new}”"]
    if not new:
        return [f"{field}: cleared (was “{old}”)"]
    return [f"{field}: {_words_change(str(old), str(new))}"]


def _switch(spec: ItemField, subject: str, on: bool) -> str:
    if spec.name == "retired":
        return f"{subject or 'The colour'} retired: no longer offered" if on else f"{subject} offered again"
    return f"{_field_name(spec)}: {'on' if on else 'off'}"


def _number(spec: ItemField, value) -> str:
    return money(int(value), "GBP") if "(£)" in spec.label else f"{int(value):,}"


def _ids_change(old, new, names: Mapping[str, str]) -> str:
    added = [names.get(i, i) for i in new if i not in old]
    removed = [names.get(i, i) for i in old if i not in new]
    parts = ([f"added {', '.join(added)}"] if added else []) + ([f"removed {', '.join(removed)}"] if removed else [])
    return "; ".join(parts) or "reordered"


def _lines_change(old: list[str], new: list[str]) -> list[str]:
    said = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            said += [f"line {j1 + k + 1} {_words_change(old[i1 + k], new[j1 + k])}" for k in range(i2 - i1)]
            continue
        said += [f"removed “{line}”" for line in old[i1:i2]]
        said += [f"added “{line}”" for line in new[j1:j2]]
    return said


def _words_change(old: str, new: str) -> str:
    """A readable word diff: whole for short copy, else each changed stretch with the word before it."""
    a, b = old.split(), new.split()
    if max(len(a), len(b)) <= WHOLE_UP_TO:
        return f"“{old}” → “{new}”"
    said = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        before = f" after “{a[i1 - 1]}”" if i1 else " at the start"
        if tag == "replace":
            said.append(f"“{' '.join(a[i1:i2])}” → “{' '.join(b[j1:j2])}”")
        elif tag == "delete":
            said.append(f"removed “{' '.join(a[i1:i2])}”{before}")
        elif tag == "insert":
            said.append(f"added “{' '.join(b[j1:j2])}”{before}")
    return "; ".join(said) or "spacing only"
