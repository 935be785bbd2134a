"""What the configurator shows for a build, as plain data: option groups, price rows, the picture."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from app.catalog import Build, Catalogue
from app.catalog.changes import BuildChange
from app.catalog.pricing import PriceLine, money, quote
from app.catalog.rules import Fix, problems, rule_groups, why_not
from app.configurator.prediction import catalogue_json
from app.render import CarPictures

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class OptionCard:
    """One option as the customer sees it, the same whatever else is chosen (sent once per model)."""

    id: str
    name: str
    price: str
    description: str
    swatch: str = ""
    custom: bool = False  # its swatch is the customer's paint once chosen


@dataclass
class OptionGroup:
    slot: str
    label: str
    options: list[OptionCard] = field(default_factory=list)


@dataclass
class PriceRow:
    label: str
    amount: str


@dataclass
class CardStates:
    """What changes on the cards with each pick: why the blocked options can't be picked, and their fixes.

    Sent on every pick that changes them, and Reflex sends a changed value whole, so it is kept small:
    each sentence once in `words` ("Needs the Chequered roof.", "Chili Red to Pepper White"), and by
    blocked option id, [why (an index into `words`)] or, when a one-click fix makes it possible,
    [why, the fix's switches (an index), the fix's total change ("+£400")]. One reason often blocks a
    whole group (every other roof "can't go without the Chequered roof"), and the switches repeat too.
    """

    words: list[str] = field(default_factory=list)
    blocked: dict[str, list[int | str]] = field(default_factory=dict)

    def word(self, text: str) -> int:
        if text not in self.words:
            self.words.append(text)
        return self.words.index(text)

    def reason(self, option_id: str) -> str:
        """Why the option can't be picked now ("" if it can)."""
        card = self.blocked.get(option_id)
        return self.words[int(card[0])] if card else ""

    def fix(self, option_id: str) -> str:
        """The fix's button, e.g. "Switch Chili Red to Pepper White (total +£0)" ("" if there is none)."""
        card = self.blocked.get(option_id, [])
        return Fix.wording(self.words[int(card[1])], str(card[2])) if len(card) == 3 else ""


@dataclass
class ChangeRow:
    """One thing that changed since a build was saved or linked: the sentence, and 'was → now' if priced."""

    sentence: str
    prices: str = ""
    aria: str = ""  # the prices read out in words: "was £350, now £0"


def change_rows(changes: list[BuildChange]) -> list[ChangeRow]:
    rows = []
    for change in changes:
        spoken = f"was {change.was}, now {change.now}" if change.was and change.now else change.now
        rows.append(
            ChangeRow(change.sentence + ("" if change.kind in ("price", "total") else "."), change.prices, spoken)
        )
    return rows


# "Any colour you like" shows the whole wheel until it is the colour chosen.
RAINBOW = "conic-gradient(#e63946, #f4a261, #e9c46a, #2a9d8f, #457b9d, #8e44ad, #e63946)"
# Keys of the bill's fixed lines beside the option ids (which never contain a colon).
BASE_LINE, DESTINATION_LINE = ":base", ":destination"


def price_text(amount: int, currency: str) -> str:
    return "Included" if amount == 0 else f"+{money(amount, currency)}"


def option_groups(catalogue: Catalogue, model_id: str) -> list[OptionGroup]:
    """The option panel of a model: every slot and its options, as they look whatever is chosen."""
    groups = []
    for slot in catalogue.choice_slots:
        group = OptionGroup(slot, catalogue.slots[slot].label)
        for option in catalogue.options_for(model_id, slot):
            swatch = RAINBOW if option.custom else option.hex or ""
            price = price_text(option.price, catalogue.currency)
            group.options.append(OptionCard(option.id, option.name, price, option.description, swatch, option.custom))
        groups.append(group)
    return groups


class ModelPanel(NamedTuple):
    """What /build sends once per page for a model: the same for every visitor of one catalogue."""

    groups: list[OptionGroup]
    details: dict[str, str]
    bill: dict[str, PriceRow]
    catalogue_data: str


CATALOGUES_KEPT = 4  # the live catalogue and the studio's previews open at once


class PerCatalogue(Generic[K, V]):
    """Values worked out from a catalogue, made once and kept for the last few catalogues seen.

    A catalogue isn't hashable, and is the same object until a publish, so it is matched by identity
    (and kept alive by its entry, so no other takes its id)."""

    def __init__(self, catalogues_kept: int = CATALOGUES_KEPT) -> None:
        self._kept = catalogues_kept
        self._entries: list[tuple[Catalogue, dict[K, V]]] = []

    def get(self, catalogue: Catalogue, key: K, make: Callable[[], V]) -> V:
        values = self._values(catalogue)
        if key not in values:
            values[key] = make()
        return values[key]

    def _values(self, catalogue: Catalogue) -> dict[K, V]:
        for seen, values in self._entries:
            if seen is catalogue:
                return values
        self._entries.append((catalogue, {}))
        del self._entries[: -self._kept]
        return self._entries[-1][1]


_PANELS = PerCatalogue[str, ModelPanel]()


def model_panel(catalogue: Catalogue, model_id: str) -> ModelPanel:
    """The model's option panel, details, bill lines and catalogue data, made once and shared.

    Every visitor's state held its own copy: about 70 option cards, price rows and groups each, which
    made up 14% of the objects a full garbage collection walked at 200 visitors (13,400 of 95,400),
    and the collection stands the event loop still. Nothing changes them after they are made, so every
    visitor of the same catalogue and model holds the same objects."""
    return _PANELS.get(
        catalogue,
        model_id,
        lambda: ModelPanel(
            option_groups(catalogue, model_id),
            option_details(catalogue, model_id),
            bill_lines(catalogue, model_id),
            catalogue_json(catalogue),
        ),
    )


def option_details(catalogue: Catalogue, model_id: str) -> dict[str, str]:
    """What each option of the model is, shown under its group once chosen, by option id."""
    return {o.id: o.description for o in catalogue.options if o.available_on(model_id) and o.description}


def card_states(catalogue: Catalogue, build: Build) -> CardStates:
    """Which options can't be picked onto `build` now, why, and the fix for each.

    Worked out with the catalogue's rules on every pick: a third of a millisecond of the event loop
    for each (the largest part of a pick, 18% of a scaled worker's busy time at 400 visitors). Yet
    whether an option is blocked, why, and what its fix switches and costs depend only on the choices
    in its own rule group (slots no rule joins are groups of one), and a model has few such
    combinations (at most 32 in a group today): each is worked out once per catalogue and shared."""
    states = CardStates()
    if problems(catalogue, build):  # a broken build blocks options in every group: no sharing
        cards = _cards(catalogue, build, catalogue.choice_slots)
    else:
        cards = _CARDS.get(catalogue, build.model, lambda: _ModelCards(catalogue)).of(build)
    for option_id, reason, switches, total_change in cards:
        card: list[int | str] = [states.word(reason)]
        if switches:
            card += [states.word(switches), total_change]
        states.blocked[option_id] = card
    return states


# A blocked option's card: (option id, why, the fix's switches, its total change); no fix: "", "".
BlockedCard = tuple[str, str, str, str]


def _cards(catalogue: Catalogue, build: Build, slots: Iterable[str]) -> list[BlockedCard]:
    """The blocked options of these slots on `build`, in the panel's order, straight from the rules."""
    found = []
    for slot in slots:
        for option in catalogue.options_for(build.model, slot):
            blocked = why_not(catalogue, build, option.id)
            if blocked:
                fix = blocked.fix
                found.append((option.id, blocked.reason, *((fix.switches(), fix.total_change()) if fix else ("", ""))))
    return found


class _ModelCards:
    """The blocked cards of one model's valid builds, by slot, worked out per rule group and its choices as met."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.group_of: dict[str, tuple[str, ...]] = {slot: (slot,) for slot in catalogue.choice_slots}
        for group in rule_groups(catalogue):
            self.group_of.update(dict.fromkeys(group, group))
        self._known: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[str, list[BlockedCard]]] = {}

    def of(self, build: Build) -> list[BlockedCard]:
        cards = []
        for slot in self.catalogue.choice_slots:
            group = self.group_of[slot]
            key = (group, tuple(build.choice(s) for s in group))
            if key not in self._known:
                self._known[key] = {s: _cards(self.catalogue, build, [s]) for s in group}
            cards += self._known[key][slot]
        return cards


_CARDS = PerCatalogue[str, _ModelCards]()


def bill_lines(catalogue: Catalogue, model_id: str) -> dict[str, PriceRow]:
    """Every line the model's bill can have, by option id (and BASE_LINE, DESTINATION_LINE): sent once,
    so a pick only has to send the build. The custom colour's line adds the paint code, as `quote` does."""
    model = catalogue.model(model_id)
    build = catalogue.build_from(model_id)
    lines = {BASE_LINE: quote(catalogue, build).lines[0], DESTINATION_LINE: quote(catalogue, build).lines[-1]}
    for option in catalogue.options:
        if option.available_on(model.id) and option.slot in catalogue.choice_slots:
            lines[option.id] = PriceLine(option.name, option.price, option.id)
    return {key: PriceRow(line.label, money(line.amount, catalogue.currency)) for key, line in lines.items()}


def price_rows(catalogue: Catalogue, build: Build) -> tuple[list[PriceRow], str]:
    """Every line of the bill and the total, formatted; the sums come from the catalogue's quote."""
    bill = quote(catalogue, build)
    rows = [PriceRow(line.label, money(line.amount, bill.currency)) for line in bill.lines]
    return rows, money(bill.total, bill.currency)


@dataclass
class BuildSummary:
    """A saved build at a glance, for comparing side by side."""

    code: str
    title: str
    alt: str
    total: str
    paths: list[str] = field(default_factory=list)
    lines: list[PriceRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_summary(pictures: CarPictures, code: str, build: Build, nickname: str, notes: list[str]) -> BuildSummary:
    catalogue = pictures.catalogue
    model = catalogue.model(build.model)
    paths, alt = pictures.paths_and_alt(build, model.views[0])
    rows, total = price_rows(catalogue, build)
    title = f"{nickname} · {model.name}" if nickname else model.name
    return BuildSummary(code, title, alt, total, paths, rows, notes)
