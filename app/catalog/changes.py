"""What changed between a build as it was saved (or linked) and as it opens today, line by line, in people's words.

A saved build names its options by id and was priced on one price list; the catalogue may since have
repriced an option, retired a colour or changed a rule. `what_changed` compares the build as it was
asked for with the build it opens as (from `rules.nearest_valid`) and says, for each difference, which
option changed, by its name, what it cost then and now, what replaced it and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.catalog.model import Build, BuildError, Catalogue, Option
from app.catalog.pricing import money, quote


@dataclass(frozen=True)
class PriceList:
    """What everything cost on one version of the catalogue: enough to say "was £450"."""

    version: str
    currency: str
    base_prices: Mapping[str, int]  # model id -> base price
    options: Mapping[str, tuple[str, int]]  # option id -> (name, price) as they were then
    destination_charge: int


def price_list_of(catalogue: Catalogue) -> PriceList:
    """The catalogue's own price list (retired options included, at their last price)."""
    return PriceList(
        version=catalogue.asset_version,
        currency=catalogue.currency,
        base_prices={m.id: m.base_price for m in catalogue.models},
        options={o.id: (o.name, o.price) for o in (*catalogue.options, *catalogue.retired)},
        destination_charge=catalogue.destination_charge,
    )


def price_list_from_manifest(data: Mapping) -> PriceList:
    """The price list of a parsed manifest (as `app.content.overlay.manifest_with` gives it), unvalidated."""
    return PriceList(
        version=str(data["asset_version"]),
        currency=str(data["currency"]),
        base_prices={m["id"]: m["base_price"] for m in data["models"]},
        options={o["id"]: (o["name"], o["price"]) for o in data["options"]},
        destination_charge=data["destination_charge"],
    )


@dataclass(frozen=True)
class Asked:
    """A build as someone saved or linked it: raw ids (maybe no longer valid) and, if saved, its total then."""

    model: str
    choices: Mapping[str, str]
    hex: str | None = None
    total: int | None = None
    prices: PriceList | None = None  # the price list it was saved on, when we can still find it


@dataclass(frozen=True)
class BuildChange:
    """One difference, told to the customer: `sentence` says what and why, `was`/`now` the prices ("" if none)."""

    what: str  # the slot or price line it is about: "Colour", "17-inch turbine wheels", "Total"
    sentence: str
    was: str = ""
    now: str = ""
    kind: str = "price"  # retired | not_offered | unknown | rules | colour_code | model | price | total

    @property
    def prices(self) -> str:
        """'£450 → £0', or '' when there is nothing to compare."""
        return f"{self.was} → {self.now}" if self.was and self.now else self.now

    def text(self) -> str:
        """The whole line as one sentence (for places that show plain notes)."""
        if self.kind in ("price", "total"):
            return f"{self.sentence}: {self.was} → {self.now}."
        if self.was and self.now:
            return f"{self.sentence} (was {self.was}, now {self.now})."
        return f"{self.sentence}."


@dataclass
class _Context:
    catalogue: Catalogue
    asked: Asked
    build: Build
    lines: list[BuildChange] = field(default_factory=list)

    def money(self, amount: int | None) -> str:
        return "" if amount is None else money(amount, self.catalogue.currency)


def what_changed(catalogue: Catalogue, asked: Asked, build: Build) -> list[BuildChange]:
    """Every difference between `asked` and `build` (the build it opens as today), in slot order.

    Option swaps come first (each with its reason and both prices), then repriced options, the base
    price and the destination charge when the old price list is known, then the total when it moved.
    """
    context = _Context(catalogue, asked, build)
    _model_line(context)
    for slot in catalogue.choice_slots:
        wanted = asked.choices.get(slot)
        if wanted is not None and wanted != build.choice(slot):
            context.lines.append(_swap(context, slot, wanted))
    if asked.prices is not None and asked.model == build.model:
        _repriced(context, asked.prices)
    _total_line(context)
    return context.lines


def _model_line(context: _Context) -> None:
    asked, build = context.asked, context.build
    if asked.model != build.model:
        model = context.catalogue.model(build.model)
        shown = asked.model if len(asked.model) <= 40 else asked.model[:39] + "…"
        context.lines.append(
            BuildChange("Model", f"We couldn't find the model {shown!r}, so you have the {model.name}", kind="model")
        )


def _swap(context: _Context, slot: str, wanted: str) -> BuildChange:
    catalogue, build = context.catalogue, context.build
    after = catalogue.option(build.choice(slot))
    label = catalogue.slots[slot].label
    before = _known(catalogue, wanted)
    before_name, was = _then(context, wanted, before)
    now = context.money(after.price)
    if before is None:
        shown = wanted if len(wanted) <= 40 else wanted[:39] + "…"
        return BuildChange(label, f"We no longer have the option {shown!r}, so {_now_has(after)}", "", now, "unknown")
    if catalogue.retired_option(wanted) is not None:
        return BuildChange(label, f"{before_name} has left the range, so {_now_has(after)}", was, now, "retired")
    if before.custom:
        what = "a colour code" if context.asked.hex is None else "the colour code you picked"
        return BuildChange(label, f"We couldn't read {what}, so {_now_has(after)}", was, now, "colour_code")
    if before.slot != slot:
        why = f"{before_name} isn't a {label.lower()} option"
        return BuildChange(label, f"{why}, so {_now_has(after)}", was, now, "not_offered")
    model = catalogue.model(build.model)
    if not before.available_on(model.id):
        return BuildChange(
            label, f"The {model.name} doesn't offer {before_name}, so {_now_has(after)}", was, now, "not_offered"
        )
    return BuildChange(label, f"{_rule_reason(catalogue, before, build)}, so {_now_has(after)}", was, now, "rules")


def _known(catalogue: Catalogue, option_id: str) -> Option | None:
    try:
        return catalogue.known_option(option_id)
    except BuildError:
        return None


def _then(context: _Context, option_id: str, option: Option | None) -> tuple[str, str]:
    """The option's name and price when the build was saved (the old price list), else as we know it now."""
    prices = context.asked.prices
    if prices is not None and option_id in prices.options:
        name, price = prices.options[option_id]
        return name, context.money(price)
    if option is None:
        return option_id, ""
    return option.name, context.money(option.price)


def _now_has(option: Option) -> str:
    """'your car is now Chili Red' / 'your car now has the 17-inch turbine wheels'."""
    if option.slot == "colour":
        return f"your car is now {option.name}"
    bare = option.name.startswith("No ")
    return f"your car now has {option.name if bare else 'the ' + option.name}"


def _rule_reason(catalogue: Catalogue, before: Option, build: Build) -> str:
    """Why an option still offered had to go: the rule it breaks with the rest of the build."""
    chosen = set(build.option_ids)
    clash = next((catalogue.option(o) for o in build.option_ids if o in catalogue.clashes(before.id)), None)
    if clash is not None:
        return f"{before.name} can't go with {clash.name}"
    missing = next((r for r in before.requires if r not in chosen), None)
    if missing is not None:
        needed = _known(catalogue, missing)
        return f"{before.name} needs {needed.name if needed else missing}, which your car no longer has"
    return f"{before.name} no longer fits the rest of your build"


def _repriced(context: _Context, prices: PriceList) -> None:
    catalogue, build = context.catalogue, context.build
    model = catalogue.model(build.model)
    _price_line(context, f"{model.name} base price", prices.base_prices.get(model.id), model.base_price)
    for slot, option_id in build.choices:
        if context.asked.choices.get(slot) == option_id and option_id in prices.options:  # swaps said theirs
            option = catalogue.option(option_id)
            _price_line(context, option.name, prices.options[option_id][1], option.price)
    _price_line(context, "Destination charge", prices.destination_charge, catalogue.destination_charge)


def _price_line(context: _Context, label: str, then: int | None, now: int) -> None:
    if then is not None and then != now:
        context.lines.append(BuildChange(label, label, context.money(then), context.money(now)))


def _total_line(context: _Context) -> None:
    saved_total = context.asked.total
    total = quote(context.catalogue, context.build).total
    if saved_total is None or saved_total == total:
        return
    # Alone, the line must say why the total moved; after the lines that explain it, it just sums up.
    sentence = "Your total" if context.lines else "Prices have moved since you saved this build, so your total"
    context.lines.append(BuildChange("Total", sentence, context.money(saved_total), context.money(total), "total"))
