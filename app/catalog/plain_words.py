"""A catalogue problem told in marketing's words: names, not ids or manifest positions (plain Python).

The manifest loader words a problem for whoever edits `layers/manifest.toml` ("options[17]
'mirrors-black': …; set its models to match"). A studio change can break the catalogue too, and
marketing can't edit the manifest: they drop a rule, or keep a colour. So each problem the studio can
cause is told here from what it is about (`Problem.kind`, `Problem.about`), with the fix they can make.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from app.catalog.manifest import Problem

RULE_FIELD = {"requires": "Needs", "excludes": "Can't go with"}


@dataclass(frozen=True)
class Names:
    """What to call things: options and models by id, slots by id; `retired` options are still named."""

    options: Mapping[str, str]
    models: Mapping[str, str]
    slots: Mapping[str, str]
    retired: frozenset[str] = field(default_factory=frozenset)

    def option(self, option_id: str) -> str:
        return self.options.get(option_id, option_id.replace("-", " "))

    def model(self, model_id: str) -> str:
        return self.models.get(model_id, model_id.capitalize())

    def slot(self, slot_id: str) -> str:
        return self.slots.get(slot_id, slot_id.replace("_", " ")).lower()


def in_plain_words(problem: str, names: Names) -> str:
    """The problem as marketing would say it; one the studio can't cause gets its ids swapped for names."""
    kind = getattr(problem, "kind", "")
    about = getattr(problem, "about", ())
    if kind in _SAYINGS:
        return _SAYINGS[kind](names, *about)
    return _names_for_ids(str(problem), names)


def _rule_self(n: Names, option: str, rule: str) -> str:
    if rule == "requires":
        return f"{n.option(option)} can't need itself: take it out of its own “Needs”."
    return f"{n.option(option)} can't rule itself out: take it out of its own “Can't go with”."


def _rule_unknown(n: Names, option: str, rule: str, other: str) -> str:
    a = n.option(option)
    verb = "needs" if rule == "requires" else "can't go with"
    if other in n.retired:
        return f"{a} {verb} {n.option(other)}, which is retired: drop the rule, or offer {n.option(other)} again."
    return (
        f"{a} {verb} “{other}”, but no option is called that: check the spelling in its “{RULE_FIELD[rule]}” "
        "(each option's id is at the end of its address in the studio)."
    )


def _rule_same_slot(n: Names, option: str, other: str) -> str:
    a, b = n.option(option), n.option(other)
    return f"{a} needs {b}, but a car has only one of those, so nobody could choose {a}: drop the rule."


def _rule_both(n: Names, option: str, other: str) -> str:
    a, b = n.option(option), n.option(other)
    return f"{a} both needs and can't go with {b}: keep one of the two rules."


def _unreachable_needs(n: Names, option: str, model: str, *missing: str) -> str:
    a, car = n.option(option), n.model(model)
    needed = " and ".join(n.option(m) for m in missing)
    return (
        f"{a} needs {needed}, which the {car} doesn't have, but {a} is offered on the {car} too: "
        f"nobody could choose it there. Drop the rule, or make it need something every model has."
    )


def _unreachable(n: Names, option: str, model: str) -> str:
    a, car = n.option(option), n.model(model)
    return f"With these rules no {car} could have {a}: loosen one of its “Needs” or “Can't go with”."


def _defaults_break(n: Names, model: str, sentence: str) -> str:
    return f"The {n.model(model)} as it comes as standard would break a rule ({sentence.rstrip('.')}): change the rule."


def _default_gone(n: Names, model: str, option: str) -> str:
    return f"{n.option(option)} is what the {n.model(model)} comes in as standard, so it can't be retired."


def _slot_empty(n: Names, model: str, slot: str) -> str:
    return f"The {n.model(model)} would have no {n.slot(slot)} left to choose: keep at least one."


_SAYINGS: dict[str, Callable[..., str]] = {
    "rule_self": _rule_self,
    "rule_unknown": _rule_unknown,
    "rule_same_slot": _rule_same_slot,
    "rule_both": _rule_both,
    "unreachable_needs": _unreachable_needs,
    "unreachable": _unreachable,
    "defaults_break": _defaults_break,
    "default_gone": _default_gone,
    "slot_empty": _slot_empty,
}


def _names_for_ids(text: str, names: Names) -> str:
    """'options[17] 'mirrors-black': …' -> 'Black mirror caps: …', and any other quoted known id by its name."""
    text = re.sub(r"options\[\d+\] '([a-z0-9-]+)'", lambda m: names.option(m.group(1)), text)
    text = re.sub(r"models\[\d+\] '([a-z0-9-]+)'", lambda m: f"The {names.model(m.group(1))}", text)
    known = {**names.options, **{k: f"the {v}" for k, v in names.models.items()}}
    return re.sub(r"'([a-z0-9-]+)'", lambda m: known.get(m.group(1), m.group(0)), text)


def names_of(manifest: Mapping, retired: frozenset[str] = frozenset()) -> Names:
    """The names a parsed manifest gives (its options before any were retired)."""
    return Names(
        options={o["id"]: o["name"] for o in manifest.get("options", []) if isinstance(o, dict) and "id" in o},
        models={m["id"]: m["name"] for m in manifest.get("models", []) if isinstance(m, dict) and "id" in m},
        slots={k: v.get("label", k) for k, v in manifest.get("slots", {}).items() if isinstance(v, dict)},
        retired=retired,
    )


__all__ = ["Names", "Problem", "in_plain_words", "names_of"]
