"""What a build costs, line by line: the one place prices are added up (pages only display them)."""

from dataclasses import dataclass

from app.catalog.model import Build, Catalogue

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


@dataclass(frozen=True)
class PriceLine:
    """One line of the bill; `option_id` is empty for the base price and the destination charge."""

    label: str
    amount: int
    option_id: str = ""


@dataclass(frozen=True)
class Quote:
    """The full price of a build: every line and their total, in whole currency units."""

    lines: tuple[PriceLine, ...]
    currency: str

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def quote(catalogue: Catalogue, build: Build) -> Quote:
    """Base price, one line per chosen option (free ones too: the buyer sees every choice), delivery."""
    model = catalogue.model(build.model)
    lines = [PriceLine(f"{model.name} base price", model.base_price)]
    for option_id in build.option_ids:
        option = catalogue.option(option_id)
        name = f"{option.name} ({build.hex})" if option.custom else option.name
        lines.append(PriceLine(name, option.price, option.id))
    lines.append(PriceLine("Destination charge", catalogue.destination_charge))
    return Quote(tuple(lines), catalogue.currency)


def money(amount: int, currency: str) -> str:
    """£19,950 / -£300: whole units, thousands separated, the sign before the symbol."""
    symbol = CURRENCY_SYMBOLS.get(currency, currency + " ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,}"
