"""What marketing can edit: every item's key, its fields, its default (from the files) and its checks.

An item's value is a small JSON object. Keys say what the item is: `narrative:at_sea`, `explainer`,
`nudge`, `announcement`, `mail:birthday`, `model:hatch`, `option:chili-red`, `layer:hatch:side:wheels-star`.
Values are parsed from the studio's form (strings) by field type, so the editor is one generic form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app import placeholders
from app.catalog import Catalogue, normalise_hex
from app.catalog.model import BuildError
from app.content.markdown import CopyError, check_copy

ID = re.compile(r"[a-z0-9][a-z0-9-]{1,39}")


@dataclass(frozen=True)
class ItemField:
    """One field of an item's form; `widget` says how the text from the form becomes a value."""

    name: str
    label: str
    widget: str  # line | text | lines | number | check | colour | ids
    help: str = ""
    max_chars: int = 300
    low: int = 0
    high: int = 1_000_000
    optional: bool = False
    placeholders: tuple[str, ...] = ()  # the {names} this copy may use


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    group: str  # Copy | Catalogue
    fields: tuple[ItemField, ...]
    default: Mapping
    subject: str = ""  # the thing a catalogue item prices or rules ("the Hatch", "Chili Red"), for history


NARRATIVE = (
    ItemField(
        "variants",
        "Stories (one per line)",
        "lines",
        "A buyer sees one of these a day, with {name} as the car's nickname. "
        "*italic*, **bold** and [links](https://…) work.",
        max_chars=300,
        high=6,
        placeholders=("name",),
    ),
)
EXPLAINER = (
    ItemField("text", "Why the official tracker can lag", "text", "Markdown: *italic*, **bold**, lists, links.", 1500),
    ItemField("video_url", "Video link (optional)", "line", "An https:// link to a short video.", 300, optional=True),
)
NUDGE = (
    ItemField("lines", "Nudge lines (one per line)", "lines", "One is picked at random for each nudge.", 160, high=20),
    ItemField("threshold_minutes", "Minutes of active time before a nudge", "number", low=1, high=240),
    ItemField("snooze_minutes", "Minutes a snooze lasts", "number", low=1, high=60),
)
ANNOUNCEMENT = (
    ItemField(
        "text", "Announcement", "text", "A line across the top of the home page. Empty hides it.", 280, optional=True
    ),
)
MAIL = (
    ItemField("subject", "Subject", "line", max_chars=120),
    ItemField(
        "body", "Body", "text", "Markdown. The placeholders in {curly braces} are filled in for each owner.", 4000
    ),
)
MODEL = (ItemField("base_price", "Base price (£)", "number", low=1000, high=500_000),)
OPTION = (
    ItemField("price", "Price (£)", "number", high=50_000),
    ItemField("requires", "Needs (option ids, comma-separated)", "ids", optional=True),
    ItemField("excludes", "Can't go with (option ids, comma-separated)", "ids", optional=True),
)
COLOUR = (
    ItemField("name", "Colour name", "line", max_chars=40),
    ItemField("hex", "Colour", "colour"),
    ItemField("price", "Price (£)", "number", high=50_000),
    ItemField("retired", "Retired (no longer offered)", "check"),
)


def studio_items(catalogue: Catalogue, journey, nudge_defaults, mail_defaults: Mapping[str, Mapping]) -> list[Item]:
    """Every editable item with its default value, in the order the studio lists them."""
    items = [
        Item(
            f"narrative:{stage.id}",
            f"Stage story: {stage.label}",
            "Copy",
            NARRATIVE,
            {"variants": list(stage.narratives)},
        )
        for stage in journey.stages
    ]
    items.append(
        Item(
            "explainer", "Port-lag explainer", "Copy", EXPLAINER, {"text": journey.port_lag_explainer, "video_url": ""}
        )
    )
    items.append(
        Item(
            "nudge",
            "Nudge lines and timing",
            "Copy",
            NUDGE,
            {
                "lines": list(nudge_defaults.lines),
                "threshold_minutes": nudge_defaults.threshold_seconds // 60,
                "snooze_minutes": nudge_defaults.snooze_seconds // 60,
            },
        )
    )
    items.append(Item("announcement", "Home page announcement", "Copy", ANNOUNCEMENT, {"text": ""}))
    for kind, template in mail_defaults.items():
        fields = tuple(
            ItemField(f.name, f.label, f.widget, f.help, f.max_chars, placeholders=template.get("placeholders", ()))
            for f in MAIL
        )
        items.append(Item(f"mail:{kind}", f"Club mail: {template['title']}", "Copy", fields, dict(template["value"])))
    for model in catalogue.models:
        items.append(
            Item(
                f"model:{model.id}",
                f"Base price: {model.name}",
                "Catalogue",
                MODEL,
                {"base_price": model.base_price},
                f"the {model.name}",
            )
        )
    for option in catalogue.options:
        items.append(option_item(catalogue, option))
    return items


def option_item(catalogue: Catalogue, option) -> Item:
    """An option's item: colours also have a name, a colour and can be retired."""
    slot = catalogue.slots[option.slot].label
    value = {"price": option.price, "requires": list(option.requires), "excludes": list(option.excludes)}
    fields: tuple[ItemField, ...] = OPTION
    if option.slot == "colour" and not option.custom:
        value |= {"name": option.name, "hex": option.hex, "retired": False}
        fields = COLOUR + OPTION[1:]
    return Item(f"option:{option.id}", f"{slot}: {option.name}", "Catalogue", fields, value, option.name)


def new_colour_item(colour_id: str) -> Item:
    """The item for a colour marketing adds; it starts as a draft like any other change."""
    value = {"name": "", "hex": "#808080", "price": 0, "retired": False, "requires": [], "excludes": [], "new": True}
    return Item(f"option:{colour_id}", f"Colour: new ({colour_id})", "Catalogue", COLOUR + OPTION[1:], value)


def parse_form(item: Item, form: Mapping[str, object]) -> dict:
    """The form's strings as the item's value; CopyError naming the field when one is wrong."""
    value = {name: item.default[name] for name in item.default if name not in {f.name for f in item.fields}}
    for spec in item.fields:
        value[spec.name] = _parse_field(spec, form.get(spec.name))
    return value


def _parse_field(spec: ItemField, raw: object):
    text = "" if raw is None else str(raw)
    if spec.widget == "check":
        return text.lower() in ("on", "true", "1", "yes")
    if spec.widget == "number":
        return _number(spec, text)
    if spec.widget == "colour":
        try:
            return normalise_hex(text.strip())
        except BuildError as error:
            raise CopyError(f"{spec.label}: {error}") from None
    if spec.widget == "ids":
        return _ids(spec, text)
    if spec.widget == "lines":
        return _lines(spec, text)
    if not text.strip() and spec.optional:
        return ""
    text = check_copy(text, max_chars=spec.max_chars, what=spec.label)
    if spec.name == "video_url" and not text.startswith("https://"):
        raise CopyError("The video link must start with https://.")
    _check_placeholders(spec, text)
    return text


def _number(spec: ItemField, text: str) -> int:
    cleaned = text.strip().replace(",", "").replace("£", "")
    if not cleaned.isdigit():
        raise CopyError(f"{spec.label}: give a whole number, like {spec.low or 10}.")
    number = int(cleaned)
    if not spec.low <= number <= spec.high:
        raise CopyError(f"{spec.label}: {number:,} is outside {spec.low:,}–{spec.high:,}.")
    return number


def _ids(spec: ItemField, text: str) -> list[str]:
    ids = [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
    bad = [part for part in ids if not ID.fullmatch(part)]
    if bad:
        raise CopyError(f"{spec.label}: {bad[0]!r} is not an option id (lower case letters, digits and dashes).")
    return list(dict.fromkeys(ids))


def _lines(spec: ItemField, text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise CopyError(f"{spec.label}: write at least one line.")
    if len(lines) > spec.high:
        raise CopyError(f"{spec.label}: {len(lines)} lines; keep it to {spec.high}.")
    checked = []
    for n, line in enumerate(lines, start=1):
        line = check_copy(line, max_chars=spec.max_chars, what=f"Line {n}")
        _check_placeholders(spec, line)
        checked.append(line)
    return checked


def _check_placeholders(spec: ItemField, text: str) -> None:
    # A misspelt placeholder would otherwise show "{nmae}" to a buyer, or crash the page.
    try:
        placeholders.check(text, spec.placeholders)
    except placeholders.PlaceholderError as error:
        raise CopyError(f"{spec.label}: {error}") from None


def form_text(spec: ItemField, value) -> str:
    """A value as the form shows it (the reverse of `_parse_field`)."""
    if spec.widget == "lines":
        return "\n".join(value)
    if spec.widget == "ids":
        return ", ".join(value)
    if spec.widget == "check":
        return "on" if value else ""
    return str(value)
