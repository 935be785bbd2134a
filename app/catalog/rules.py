"""Option rules (`requires` / `excludes` in the manifest): what breaks them, why, and the smallest fix.

Rules only ever link a few slots (stripes with colour, mirror caps with roof...), so every search
here enumerates just the slots joined by rules to the ones in question ("rule groups"); the rest of
the build can't matter. At the manifest's size that is a few dozen combinations, not millions.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.catalog.model import Build, BuildError, Catalogue, Option, normalise_hex
from app.catalog.pricing import money, quote

# ---------------------------------------------------------------- public types


@dataclass(frozen=True)
class Change:
    """One slot switched by a fix: option ids, plus their names so the change can be told to a customer."""

    slot: str
    before: str
    after: str
    before_name: str = ""
    after_name: str = ""

    def describe(self) -> str:
        return f"{self.before_name or self.before} to {self.after_name or self.after}"


@dataclass(frozen=True)
class Fix:
    """A valid build reached from the current one.

    `changes` lists every slot that differs, the chosen option's own slot included; `price_delta` is the
    whole difference in the total. `chosen` is the option the fix makes room for ("" when just repairing).
    """

    build: Build
    changes: tuple[Change, ...]
    price_delta: int
    currency: str = "GBP"
    chosen: str = ""

    @property
    def other_changes(self) -> tuple[Change, ...]:
        """The changes the customer didn't ask for: the ones to tell them about."""
        return tuple(c for c in self.changes if c.after != self.chosen)

    def describe(self) -> str:
        """'Switch Chili Red to Pepper White (total +£400)': the extra changes and what the total moves by."""
        return self.wording(self.switches(), self.total_change())

    def switches(self) -> str:
        """'Chili Red to Pepper White': the changes the customer didn't ask for (all of them when repairing)."""
        return _and([c.describe() for c in self.other_changes or self.changes])

    def total_change(self) -> str:
        """'+£400', '-£50', '+£0'."""
        sign = "+" if self.price_delta >= 0 else ""
        return f"{sign}{money(self.price_delta, self.currency)}"

    @staticmethod
    def wording(switches: str, total_change: str) -> str:
        # /build puts a fix together from its parts in the browser (app.configurator.panel.CardStates).
        return f"Switch {switches} (total {total_change})"


@dataclass(frozen=True)
class Blocked:
    """Why an option can't be chosen as things stand, and the smallest fix (None: no fix on this model)."""

    reason: str
    fix: Fix | None


# ---------------------------------------------------------------- checking a build


def problems(catalogue: Catalogue, build: Build) -> list[str]:
    """Customer-readable reasons `build` breaks the rules; empty means it is fine."""
    return [_sentence(catalogue, v) for v in _violations(catalogue, build.option_ids)]


def _violations(catalogue: Catalogue, option_ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """("requires", a, missing) and ("excludes", a, b) for each broken rule; each clashing pair once."""
    # Called for every option on every pick (why_not per card on /build): a plain loop that skips the
    # many options with no rule at once, rather than generators built for each.
    ids = [i for i in option_ids if isinstance(i, str)]
    chosen, found, pairs = set(ids), list[tuple[str, str, str]](), set[frozenset[str]]()
    ruled = catalogue.ruled()
    for option_id in ids:
        option = ruled.get(option_id)
        if option is None:  # unknown, or bound by no rule of its own
            continue
        for required in option.requires:
            if required not in chosen:
                found.append(("requires", option_id, required))
        for other in option.excludes:
            if other in chosen:
                pair = frozenset((option_id, other))
                if pair not in pairs:
                    pairs.add(pair)
                    found.append(("excludes", option_id, other))
    return found


def _sentence(catalogue: Catalogue, violation: tuple[str, str, str]) -> str:
    # "can't go with/without" reads right whether an option's name is singular or plural.
    kind, a, b = violation
    if kind == "requires":
        return f"{_name(catalogue, a)} can't go without the {_name(catalogue, b)}."
    return f"{_name(catalogue, a)} can't go with {_name(catalogue, b)}."


# ---------------------------------------------------------------- choosing one option


def why_not(catalogue: Catalogue, build: Build, option_id: str) -> Blocked | None:
    """None if choosing `option_id` leaves a valid build; else the reason and the smallest fix.

    Smallest: fewest other slots changed, then the smallest price difference, then manifest order.
    """
    option = _option_or_none(catalogue, option_id)
    if option is None:
        return Blocked(f"There is no option called {_short(option_id)}.", None)
    if option.slot not in catalogue.choice_slots:
        return Blocked(f"{option.name} can't be chosen.", None)
    if not option.available_on(build.model):
        return Blocked(_only_on(catalogue, option), None)
    current = dict(build.choices)
    wanted = {**current, option.slot: option.id}
    broken = _violations(catalogue, _in_order(catalogue, wanted))
    if not broken:
        return None
    reason = " ".join(dict.fromkeys(_reason(catalogue, option.id, current, v) for v in broken))
    slots = _groups_of(catalogue, {option.slot} | _slots_of(catalogue, broken))
    best = _smallest(catalogue, build.model, current, {option.slot: option.id}, slots)
    return Blocked(reason, None if best is None else _fix(catalogue, build, best, option.id))


def choose(catalogue: Catalogue, build: Build, option_id: str) -> tuple[Build, list[str]]:
    """Apply a choice; if it clashes, apply the smallest fix and say what else changed.

    Raises BuildError (customer-readable) only when the option can't be had on this model at all.
    """
    blocked = why_not(catalogue, build, option_id)
    if blocked is None:
        option = catalogue.option(option_id)
        choices = {**dict(build.choices), option.slot: option.id}
        return _build(catalogue, build.model, choices, build.hex), []
    if blocked.fix is None:
        raise BuildError(blocked.reason)
    name = catalogue.option(option_id).name
    return blocked.fix.build, [f"To fit the {name}, we switched {c.describe()}." for c in blocked.fix.other_changes]


def _reason(catalogue: Catalogue, target: str, current: Mapping[str, str], violation: tuple[str, str, str]) -> str:
    """A broken rule told from the chosen option's side: "Not with Chili Red." / "Needs the Chequered roof."."""
    kind, a, b = violation
    if kind == "excludes" and target in (a, b):
        return f"Not with {_name(catalogue, b if a == target else a)}."
    if kind == "requires" and a == target:
        return f"Needs the {_name(catalogue, b)}."
    return _sentence(catalogue, violation)


def _only_on(catalogue: Catalogue, option: Option) -> str:
    names = [m.name for m in catalogue.models if option.available_on(m.id)]
    return f"Only on the {_and(names, ' and the ')}." if names else f"{option.name} isn't offered on any model."


# ---------------------------------------------------------------- repairing untrusted input


def nearest_valid(
    catalogue: Catalogue, model_id: object, choices: object, hex: object = None
) -> tuple[Build, list[str]]:
    """The closest valid build to whatever came in (a tampered URL, an old saved build), with notes.

    Never raises: unknown model -> first model; unknown, retired, unavailable or misplaced option ->
    the model's default; unreadable colour code -> the default colour; then rules fixed minimally.
    """
    try:
        return _nearest_valid(catalogue, model_id, choices, hex)
    except Exception:  # a last resort: the defaults are validated at load, so this always works
        model = catalogue.models[0]
        return catalogue.build_from(model.id), ["We couldn't read that build, so here is the standard car."]


def _nearest_valid(catalogue: Catalogue, model_id: object, raw: object, hex: object) -> tuple[Build, list[str]]:
    notes: list[str] = []
    model = next((m for m in catalogue.models if isinstance(model_id, str) and m.id == model_id), None)
    if model is None:
        model = catalogue.models[0]
        if model_id is not None:
            notes.append(f"We couldn't find the model {_short(model_id)}, so you have the {model.name}.")
    raw = raw if isinstance(raw, Mapping) else {}
    choices = {}
    for slot in catalogue.choice_slots:
        default = catalogue.option(model.defaults[slot])
        value = raw.get(slot)
        option = _option_or_none(catalogue, value) if isinstance(value, str) else None
        choices[slot] = default.id
        if value is None or (option is not None and option.slot == slot and option.available_on(model.id)):
            choices[slot] = default.id if option is None else option.id
        elif option is None:
            notes.append(f"We couldn't find the option {_short(value)}, so you have {_the(default)}.")
        elif option.slot != slot:
            label = catalogue.slots[slot].label.lower()
            notes.append(f"We couldn't use {option.name} as your {label}, so you have {_the(default)}.")
        else:
            notes.append(f"The {model.name} doesn't offer {option.name}, so you have {_the(default)}.")
    paint = None
    if catalogue.option(choices["colour"]).custom:
        default = catalogue.option(model.defaults["colour"])
        try:
            paint = normalise_hex(hex)
        except BuildError:
            choices["colour"] = default.id
            what = "a colour code" if hex is None else f"the colour code {_short(hex)}"
            notes.append(f"We couldn't read {what}, so you have {default.name}.")
    build = _build(catalogue, model.id, choices, paint)
    broken = _violations(catalogue, build.option_ids)
    if broken:
        slots = _groups_of(catalogue, _slots_of(catalogue, broken))
        best = _smallest(catalogue, model.id, dict(build.choices), {}, slots)
        if best is None:  # only if the manifest skipped validation; the defaults are known good
            return catalogue.build_from(model.id), [*notes, "We couldn't fit those options together."]
        fix = _fix(catalogue, build, best)
        said = " ".join(_sentence(catalogue, v) for v in broken)[:-1]  # drop the full stop: the note goes on
        notes.append(f"{said}, so we switched {_and([c.describe() for c in fix.changes])}.")
        build = fix.build
    return build, notes


# ---------------------------------------------------------------- searching (shared with manifest validation)


def rule_groups(catalogue: Catalogue) -> list[tuple[str, ...]]:
    """Choice slots joined by any rule, as groups in slot order; slots no rule touches are left out."""
    parent = {slot: slot for slot in catalogue.choice_slots}

    def root(slot: str) -> str:
        while parent[slot] != slot:
            slot = parent[slot]
        return slot

    touched = set()
    for option in catalogue.options:
        for other_id in (*option.requires, *option.excludes):
            other = _option_or_none(catalogue, other_id)
            if other is None or option.slot not in parent or other.slot not in parent:
                continue
            touched |= {option.slot, other.slot}
            parent[root(option.slot)] = root(other.slot)
    groups: dict[str, list[str]] = {}
    for slot in catalogue.choice_slots:
        if slot in touched:
            groups.setdefault(root(slot), []).append(slot)
    return [tuple(group) for group in groups.values()]


def reachable(catalogue: Catalogue, model_id: str) -> set[str]:
    """Ids of the options offered on the model that at least one valid build of it contains."""
    offered = {o.id for o in catalogue.options if o.available_on(model_id) and o.slot in catalogue.choice_slots}
    for group in rule_groups(catalogue):
        menus = [[o.id for o in catalogue.options_for(model_id, slot)] for slot in group]
        seen: set[str] = set()
        for combo in itertools.product(*menus):
            if not _violations(catalogue, combo):
                seen.update(combo)
        offered -= {o for menu in menus for o in menu} - seen
    return offered


def _smallest(
    catalogue: Catalogue, model_id: str, current: Mapping[str, str], fixed: Mapping[str, str], slots: set[str]
) -> dict[str, str] | None:
    """The valid choices with fewest changes outside `fixed`, then least price change, then manifest order."""
    order = {o.id: i for i, o in enumerate(catalogue.options)}
    free = [s for s in catalogue.choice_slots if s in slots and s not in fixed]
    # The custom colour needs the customer's code, so a fix never switches *to* it.
    menus = [[o.id for o in catalogue.options_for(model_id, s) if not o.custom or o.id == current.get(s)] for s in free]
    old_price = sum(catalogue.option(i).price for i in current.values())
    best, best_key = None, None
    for combo in itertools.product(*menus):
        choices = {**current, **fixed, **dict(zip(free, combo, strict=True))}
        ids = _in_order(catalogue, choices)
        if _violations(catalogue, ids):
            continue
        changed = [choices[s] for s in free if choices[s] != current.get(s)]
        price = sum(catalogue.option(i).price for i in ids)
        key = (len(changed), abs(price - old_price), [order[i] for i in ids])
        if best_key is None or key < best_key:
            best, best_key = choices, key
    return best


def _fix(catalogue: Catalogue, build: Build, choices: Mapping[str, str], chosen: str = "") -> Fix:
    new = _build(catalogue, build.model, choices, build.hex)
    changes = tuple(
        Change(slot, old, choices[slot], _name(catalogue, old), _name(catalogue, choices[slot]))
        for slot, old in build.choices
        if choices[slot] != old
    )
    delta = quote(catalogue, new).total - quote(catalogue, build).total
    return Fix(new, changes, delta, catalogue.currency, chosen)


def _build(catalogue: Catalogue, model_id: str, choices: Mapping[str, str], hex: str | None) -> Build:
    """build_from, carrying the paint code along only while the colour is the custom one."""
    custom = catalogue.option(choices["colour"]).custom
    return catalogue.build_from(model_id, choices, hex if custom else None)


def _groups_of(catalogue: Catalogue, slots: set[str]) -> set[str]:
    found = set(slots)
    for group in rule_groups(catalogue):
        if found & set(group):
            found |= set(group)
    return found


def _slots_of(catalogue: Catalogue, violations: list[tuple[str, str, str]]) -> set[str]:
    return {catalogue.option(i).slot for v in violations for i in v[1:] if _option_or_none(catalogue, i)}


# ---------------------------------------------------------------- small helpers


def _in_order(catalogue: Catalogue, choices: Mapping[str, str]) -> list[str]:
    return [choices[s] for s in catalogue.choice_slots if s in choices]


def _option_or_none(catalogue: Catalogue, option_id: object) -> Option | None:
    if not isinstance(option_id, str):
        return None
    try:
        return catalogue.option(option_id)
    except BuildError:
        return None


def _name(catalogue: Catalogue, option_id: str) -> str:
    option = _option_or_none(catalogue, option_id)
    return option.name if option else option_id


def _short(value: object) -> str:
    """Quote untrusted input for a note, cut short so a junk URL can't flood the page."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _the(option: Option) -> str:
    """'the White roof', but 'Chili Red' and 'No badge bar': colours and "no X" take no article."""
    bare = option.slot == "colour" or option.name.startswith("No ")
    return option.name if bare else f"the {option.name}"


def _and(items: list[str], last: str = " and ") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + last + items[-1]
