"""The studio's actions in plain Python: list, open, save, publish, schedule and roll back items; upload layers.

The Reflex state calls these with the signed-in user's name; they check, store and audit. Values are
always checked whole with `check` (app/catalog/published.py), so no draft or publish can leave the
catalogue unbuildable.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app import db
from app.catalog import Build, BuildError, rules
from app.catalog.published import check
from app.club.compose import letter, render_copy
from app.club.preferences import TOPIC_OF_KIND
from app.club.templates import DEFAULTS as MAIL_DEFAULTS
from app.club.templates import PLACEHOLDERS
from app.content import live
from app.content.journey import journey as shipped_journey
from app.content.models import LayerUpload
from app.nudges.settings import NudgeSettings
from app.render.live import live_pictures
from app.render.pictures import car_pictures as shipped_pictures
from app.studio import content
from app.studio.changes import changes
from app.studio.content import StudioError
from app.studio.items import Item, ItemField, form_text, new_colour_item, parse_form, studio_items
from app.studio.uploads import allowed_box_for, check_layer

MAIL_TITLES = {
    "birthday_card": "birthday card",
    "stage_news": "stage news",
    "feature_note": "new-feature note",
    "order_confirmation": "order confirmation",
    "delay_notice": "delay apology",
    "question_answer": "answer to a question",
    "referral_ordered": "thank-you: a friend ordered",
    "referral_delivered": "thank-you: a friend's car is home",
}
LAYER_FIELDS = (ItemField("sha256", "Layer image (SHA-256 of the PNG)", "line"),)
# Made-up values a mail template preview is filled with.
SAMPLE_VALUES = {
    "name": "McGregor",
    "owner": "Fiona",
    "age": "two",
    "age_years": "Two years",
    "ordered_on": "3 March 2024",
    "built_on": "28 March 2024",
    "vessel": "MV Northern Star",
    "days_at_sea": "24 days",
    "delivered_on": "2 May 2024",
    "stage": "At sea",
    "narrative": "McGregor is on the high seas, and the captain has been told it's precious cargo.",
    "tracking_link": "https://example.com/track/MJ4K7QX2/sample",
    "customer": "Fiona McLeod",
    "order_number": "MJ4K7QX2",
    "status": "Day 9 of a typical 4.",
    "window": "Expected 12–19 May",
    "question": "Will McGregor be home before the school holidays?",
    "answer": "Very likely: the ship docks on the 12th and we'll call you the day McGregor reaches us.",
    "dealer": "Sam Dealer",
    "friend": "Alex",
    "invite_link": "https://example.com/build?invite=sample",
}
COLOUR_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class ItemRow:
    key: str
    title: str
    group: str
    status: str  # "As shipped", "Published (v3)", "Draft", "In release Spring"


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    widget: str
    help: str
    text: str


@dataclass(frozen=True)
class OpenItem:
    key: str
    title: str
    status: str
    token: str
    has_draft: bool
    fields: list[FieldView]


@functools.cache
def shipped_items() -> dict[str, Item]:
    """Every item as the files ship it (the defaults a rollback to "as shipped" would restore)."""
    mail = {
        kind: {
            "title": MAIL_TITLES.get(kind, kind),
            "value": {"subject": copy.subject, "body": copy.body},
            "placeholders": tuple(PLACEHOLDERS.get(kind, {})),
        }
        for kind, copy in MAIL_DEFAULTS.items()
    }
    catalogue = shipped_pictures().catalogue
    return {i.key: i for i in studio_items(catalogue, shipped_journey(), NudgeSettings(), mail)}


def item_for(key: str) -> Item:
    """The item behind a key, including colours marketing added and uploaded layers."""
    if key in shipped_items():
        return shipped_items()[key]
    kind, _, rest = key.partition(":")
    if kind == "option" and COLOUR_ID.fullmatch(rest):
        return new_colour_item(rest)
    if kind == "layer" and rest.count(":") == 2:
        return Item(key, _layer_title(rest), "Imagery", LAYER_FIELDS, {"sha256": ""})
    raise StudioError("There is no such item in the studio.")


def _layer_title(where: str) -> str:
    model, view, option = where.split(":")
    catalogue = shipped_pictures().catalogue
    try:
        name, angle = catalogue.option(option).name, catalogue.view(view).label
        return f"Layer: {name}, {catalogue.model(model).name} from the {angle}"
    except BuildError:
        return f"Layer: {option}, {model} {view}"


def item_rows(s: Session) -> list[ItemRow]:
    drafts, published, names = content.drafts(s), content.published(s), _release_names(s)
    keys = list(shipped_items()) + sorted((set(drafts) | set(published)) - set(shipped_items()))
    rows = []
    for key in keys:
        item = item_for(key)
        value = drafts[key].value if key in drafts else published[key].value if key in published else None
        title = _title(item, json.loads(value) if value else None)
        rows.append(ItemRow(key, title, item.group, _status(drafts.get(key), published.get(key), names)))
    return rows


def _title(item: Item, value: dict | None) -> str:
    # A colour added in the studio is titled by the name marketing gave it.
    if item.default.get("new") and value:
        return f"Colour: {value.get('name') or 'new'} (new)"
    return item.title


def _status(draft, version, release_names: dict[int, str]) -> str:
    if draft is not None and draft.release_id:
        return f"In release {release_names.get(draft.release_id, '')}".strip()
    if draft is not None:
        return "Draft"
    return f"Published (v{version.version})" if version else "As shipped"


def _release_names(s: Session) -> dict[int, str]:
    return {db.id_of(r): r.name for r in content.releases(s)}


def open_item(s: Session, key: str) -> OpenItem:
    """The item as its editor shows it: the draft if there is one, else what is live, else as shipped."""
    item = item_for(key)
    drafts, published = content.drafts(s), content.published(s)
    value = _value(item, drafts, published)
    fields = [FieldView(f.name, f.label, f.widget, _help(f), form_text(f, value.get(f.name, ""))) for f in item.fields]
    status = _status(drafts.get(key), published.get(key), _release_names(s))
    return OpenItem(key, _title(item, value), status, content.edit_token(s, key), key in drafts, fields)


def _help(spec: ItemField) -> str:
    if not spec.placeholders:
        return spec.help
    return f"{spec.help} You can use: {', '.join('{' + p + '}' for p in spec.placeholders)}.".strip()


def _value(item: Item, drafts, published) -> dict:
    """The item's draft, else its latest published version, else its value as shipped."""
    row = drafts.get(item.key) or published.get(item.key)
    return json.loads(row.value) if row else dict(item.default)


def save(s: Session, author: str, key: str, form: dict, token: str) -> None:
    """Save the form as the item's draft; CopyError/StudioError/ValueError say what's wrong, nothing is kept."""
    value = _checked(parse_form, item_for(key), form)
    _checked(content.save_draft, s, key, value, author=author, token=token, check=check)


def add_colour(s: Session, author: str, name: str, hex_text: str, price: str) -> str:
    """A new colour, as a draft; returns its key. The id comes from the name."""
    colour_id = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:40]
    if not colour_id:
        raise StudioError("Give the new colour a name, like Mint Julep.")
    key = f"option:{colour_id}"
    if key in shipped_items() or key in content.drafts(s) or key in content.published(s):
        raise StudioError(f"There is already a colour or option called {colour_id!r}; pick another name.")
    save(s, author, key, {"name": name, "hex": hex_text, "price": price, "retired": ""}, content.edit_token(s, key))
    return key


def mail_preview(s: Session, key: str) -> str:
    """A mail template (draft, else live) as an owner would get it, filled with made-up values: HTML."""
    kind = key.removeprefix("mail:")
    value = _value(item_for(key), content.drafts(s), content.published(s))
    sample = {name: SAMPLE_VALUES.get(name, name) for name in PLACEHOLDERS.get(kind, {})}
    words = render_copy(value["subject"], value["body"], sample)
    topic = TOPIC_OF_KIND.get(kind, "")
    return letter(words, unsubscribe="https://example.com/unsubscribe" if topic else "", topic=topic).html


def publish_now(s: Session, author: str, keys: list[str]) -> list[str]:
    return _checked(content.publish, s, keys, author=author, check=check)


def schedule(s: Session, author: str, keys: list[str], name: str, publish_at: datetime):
    return content.schedule(s, keys, name=name, publish_at=publish_at, author=author)


def rollback(s: Session, author: str, key: str, version: int) -> int:
    return _checked(content.rollback, s, key, version, author=author, check=check)


def restore_shipped(s: Session, author: str, key: str) -> int:
    """Publish the item exactly as the files ship it, as a new version (history keeps the rest)."""
    item = item_for(key)
    if item.default.get("new") or key.startswith("layer:"):
        raise StudioError("This was added in the studio, so it has no shipped version; retire it instead.")
    return _checked(content.republish, s, key, item.default, author=author, check=check, note="restored as shipped")


def _checked(action, *args, **kwargs):
    """`action`'s result; its ValueError (a bad form, a catalogue it would break) as the StudioError shown."""
    try:
        return action(*args, **kwargs)
    except StudioError:
        raise
    except ValueError as error:
        raise StudioError(str(error)) from None


def history(s: Session, key: str) -> list[content.HistoryRow]:
    item, names = item_for(key), option_names(s)
    return content.history(s, key, lambda before, after: changes(item, before, after, names))


def option_names(s: Session) -> dict[str, str]:
    """Every option's name by id: as shipped, as published (renamed, added), so rules read in names."""
    names = {o.id: o.name for o in shipped_pictures().catalogue.options}
    for key, row in content.published(s).items():
        kind, _, option_id = key.partition(":")
        if kind == "option" and (name := json.loads(row.value).get("name")):
            names[option_id] = name
    return names


def publish_due(url: str | None = None, at: datetime | None = None) -> list[str]:
    """Publish every scheduled release whose time has come (the app runs this every half minute)."""
    at = at or content.now()
    outcomes = []
    # It reads the due releases, then claims each: the write lock first, or a commit by anyone in between
    # (another app process running this too, a visitor's save) would make SQLite refuse the claim at once.
    with db.session(url, reads_then_writes=True) as s:
        for release in content.due_releases(s, at):
            if outcome := content.publish_due_release(s, release, check, at):
                outcomes.append(outcome)
    live.forget_published()
    return outcomes


def upload_layer(s: Session, author: str, model_id: str, view: str, option_id: str, data: bytes) -> str:
    """Check an uploaded layer and keep it as a draft replacing the option's layer; returns the item key."""
    catalogue = live_pictures().catalogue
    try:
        model = catalogue.model(model_id)
        option = catalogue.option(option_id)
    except BuildError as error:
        raise StudioError(str(error)) from None
    if view not in model.views or not option.draws or not option.available_on(model.id):
        raise StudioError(f"The {model.name} has no {view} layer for {option.name}.")
    layer = check_layer(
        data, canvas=catalogue.canvas, allowed_box=allowed_box_for(catalogue, model.id, view, option.slot)
    )
    if s.exec(select(LayerUpload).where(LayerUpload.sha256 == layer.sha256)).first() is None:
        s.add(
            LayerUpload(
                sha256=layer.sha256,
                png=layer.png,
                model=model.id,
                view=view,
                slot=option.slot,
                option=option.id,
                uploaded_by=author,
            )
        )
        s.flush()
    live.keep_layer_file(layer.sha256, layer.png)
    key = f"layer:{model.id}:{view}:{option.id}"
    content.audit(s, author, "uploaded layer", key, layer.sha256)
    save(s, author, key, {"sha256": layer.sha256}, content.edit_token(s, key))
    return key


def contact_sheet(s: Session, key: str) -> list[tuple[str, str]]:
    """Sample cars drawn with the drafts (picture path at 400 px, caption) that use the layer in `key`.

    The first sample from every angle (so the new layer can be judged against its neighbours as the
    spin turns), then the other sample colours from the layer's own angle.
    """
    _, model_id, view, option_id = key.split(":")
    with live.previewing(live.preview_values(s)):
        pictures = live_pictures()
        catalogue = pictures.catalogue
        option = catalogue.option(option_id)
        builds = _sample_builds(catalogue, model_id, option)
        if not builds:
            return []
        (first, caption), others = builds[0], builds[1:]
        sheet = []
        for angle in catalogue.model(model_id).views:
            mark = " (this upload)" if angle == view else ""
            label = catalogue.view(angle).label
            sheet.append((pictures.key(first, angle, 400).url(), f"{caption}, {label}{mark}"))
        label = catalogue.view(view).label
        sheet += [(pictures.key(b, view, 400).url(), f"{c}, {label}") for b, c in others]
        return sheet


def _sample_builds(catalogue, model_id: str, option) -> list[tuple[Build, str]]:
    colours = [o for o in catalogue.options_for(model_id, "colour") if not o.custom][:6]
    samples = []
    for colour in colours:
        try:
            build, _changes = rules.choose(catalogue, catalogue.build_from(model_id, {"colour": colour.id}), option.id)
        except BuildError:
            continue
        samples.append((build, f"{option.name} on {colour.name}"))
    return samples


@dataclass(frozen=True)
class ReleaseRow:
    id: str  # the handler `cancel_release` gets it back from the page
    name: str
    when: str
    status: str  # scheduled | published | cancelled | failed
    outcome: str


@dataclass(frozen=True)
class AuditRow:
    when: str
    who: str
    action: str
    item: str
    detail: str


def release_rows(s: Session) -> list[ReleaseRow]:
    """The releases list of the studio, newest first."""
    return [
        ReleaseRow(str(r.id), r.name, r.publish_at.strftime("%-d %b %Y, %H:%M UTC"), r.status, r.outcome)
        for r in content.releases(s)
    ]


def audit_rows(s: Session) -> list[AuditRow]:
    return [AuditRow(e.at.strftime("%-d %b, %H:%M"), e.who, e.action, e.key, e.detail) for e in content.audit_log(s)]
