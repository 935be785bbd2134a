"""What the configurator shows for a build, as plain data: option groups, price rows, the picture."""

from dataclasses import dataclass, field

from app.catalog import Build, Catalogue, Option
from app.catalog.pricing import money, quote
from app.catalog.rules import why_not
from app.render import CarPictures


@dataclass
class OptionCard:
    """One option as the customer sees it; `blocked` says why it can't be picked right now."""

    id: str
    name: str
    price: str
    description: str
    swatch: str = ""
    blocked: str = ""
    fix: str = ""  # the one-click change that makes it possible, e.g. "Switch Chili Red to Pepper White (+£0)"


@dataclass
class OptionGroup:
    slot: str
    label: str
    selected: str
    detail: str = ""  # what the chosen option is, for the curious buyer
    options: list[OptionCard] = field(default_factory=list)


@dataclass
class PriceRow:
    label: str
    amount: str


# "Any colour you like" shows the whole wheel until it is the colour chosen.
RAINBOW = "conic-gradient(#e63946, #f4a261, #e9c46a, #2a9d8f, #457b9d, #8e44ad, #e63946)"


def _swatch(option: Option, build: Build) -> str:
    if option.custom:
        return build.hex if build.choice(option.slot) == option.id else RAINBOW
    return option.hex or ""


def price_text(amount: int, currency: str) -> str:
    return "Included" if amount == 0 else f"+{money(amount, currency)}"


def option_groups(catalogue: Catalogue, build: Build) -> list[OptionGroup]:
    groups = []
    for slot in catalogue.choice_slots:
        chosen = catalogue.option(build.choice(slot))
        group = OptionGroup(slot, catalogue.slots[slot].label, chosen.id, chosen.description)
        for option in catalogue.options_for(build.model, slot):
            blocked = why_not(catalogue, build, option.id)
            group.options.append(
                OptionCard(
                    id=option.id,
                    name=option.name,
                    price=price_text(option.price, catalogue.currency),
                    description=option.description,
                    swatch=_swatch(option, build),
                    blocked=blocked.reason if blocked else "",
                    fix=blocked.fix.describe() if blocked and blocked.fix else "",
                )
            )
        groups.append(group)
    return groups


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
