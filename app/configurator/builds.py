"""Saving, opening and sharing builds: a build's URL and its code always reproduce it exactly."""

import re
from collections.abc import Mapping
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app import limits
from app.catalog import Build, Catalogue
from app.catalog.changes import Asked, BuildChange, what_changed
from app.catalog.price_history import price_list_at
from app.catalog.pricing import quote
from app.catalog.rules import nearest_valid
from app.configurator.codes import new_code, normalise_code
from app.configurator.models import SavedBuild

NICKNAME_MAX = 24
# A dreamer saves a build every few minutes; one client saving hundreds is filling the table.
SAVES = limits.Rule(name="save-build", hits=30, per=timedelta(minutes=10))
TOO_MANY_SAVES = "That's a lot of saved builds in a short time, so we're pausing saves for a moment."
# Letters in any script, digits, spaces and a little punctuation: enough for "McGregor" or "Señor Zoom".
_NICKNAME = re.compile(r"[\w '’.\-&!]+")


class NicknameError(ValueError):
    """A nickname we can't paint on the car; the message is for the customer."""


def clean_nickname(text: str) -> str:
    """The nickname trimmed and checked: at most 24 characters, no markup, no control characters."""
    name = " ".join((text or "").split())
    if len(name) > NICKNAME_MAX:
        raise NicknameError(f"Nicknames fit on a keyring: {NICKNAME_MAX} characters at most.")
    if name and not _NICKNAME.fullmatch(name):
        raise NicknameError("Letters, numbers, spaces and simple punctuation only, please.")
    return name


def query_of(catalogue: Catalogue, build: Build, view: str) -> str:
    """The page URL's query for a build: model, one option per slot, the custom hex, the view."""
    params = {"model": build.model, **dict(build.choices), "view": view}
    if catalogue.option(build.choice("colour")).custom:
        params["hex"] = build.hex.lstrip("#")
    return urlencode(params)


def address_of(catalogue: Catalogue, build: Build, view: str, saved_code: str = "") -> str:
    """The page's address for a build: its code while it is the saved one, else its query.

    The browser writes it (assets/predict.js, from the build the server sent); this is the reference the
    cross-check in tests/unit/configurator/test_prediction.py holds it to."""
    return f"/build/{saved_code}" if saved_code else "/build?" + query_of(catalogue, build, view)


def build_from_query(catalogue: Catalogue, params: Mapping[str, str]) -> tuple[Build, str, list[str]]:
    """The build a URL asks for, or the nearest valid one, with a note for each correction."""
    build, view, changes = link_with_changes(catalogue, params)
    return build, view, [change.text() for change in changes]


def link_with_changes(catalogue: Catalogue, params: Mapping[str, str]) -> tuple[Build, str, list[BuildChange]]:
    """The build a URL asks for, or the nearest valid one, and each difference as a line (see what_changed).

    A link carries no price list, so only swapped options are explained (at their last known price).
    """
    model_id = params.get("model") or catalogue.models[0].id
    choices = {slot: params[slot] for slot in catalogue.choice_slots if slot in params}
    hex_text = params.get("hex")
    paint = f"#{hex_text}" if hex_text else None
    build, _notes = nearest_valid(catalogue, model_id, choices, paint)
    changes = what_changed(catalogue, Asked(model_id, choices, paint), build)
    views = catalogue.model(build.model).views
    view = params.get("view", views[0])
    if view not in views:
        hero = catalogue.view(views[0]).label
        sentence = f"We don't have a {view!r} view, so here it is from the {hero}. Turn it to see the rest"
        changes.append(BuildChange("View", sentence, kind="view"))
        view = views[0]
    return build, view, changes


def save_build(session: Session, catalogue: Catalogue, build: Build, nickname: str = "") -> str:
    """Store the build under a fresh code and return the code."""
    for _ in range(5):  # a clash is about one in a billion; try again rather than fail
        code = new_code()
        row = SavedBuild(
            code=code,
            model_id=build.model,
            options="+".join(build.option_ids),
            hex=build.hex,
            nickname=clean_nickname(nickname),
            asset_version=catalogue.asset_version,
            total_price=quote(catalogue, build).total,
        )
        try:
            with session.begin_nested():
                session.add(row)
            return code
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free build code")


def open_saved(session: Session, catalogue: Catalogue, code_text: str) -> tuple[Build, str, list[str]] | None:
    """A saved build by its code, as close as today's catalogue allows, with a note for each change."""
    reopened = reopen_saved(session, catalogue, code_text)
    if reopened is None:
        return None
    build, nickname, changes = reopened
    return build, nickname, [change.text() for change in changes]


def reopen_saved(session: Session, catalogue: Catalogue, code_text: str) -> tuple[Build, str, list[BuildChange]] | None:
    """A saved build by its code, as close as today's catalogue allows, and what changed since, line by line.

    The price list it was saved on is found again from the publishing history, so a repriced option is
    named with both prices; when it can't be found (another release of the manifest) the total still is.
    """
    code = normalise_code(code_text)
    row = session.exec(select(SavedBuild).where(SavedBuild.code == code)).first() if code else None
    if row is None:
        return None
    choices = dict(zip(catalogue.choice_slots, row.options.split("+"), strict=False))
    build, _notes = nearest_valid(catalogue, row.model_id, choices, row.hex)
    then = price_list_at(session, row.asset_version) if row.asset_version != catalogue.asset_version else None
    asked = Asked(row.model_id, choices, row.hex, row.total_price, then)
    return build, row.nickname, what_changed(catalogue, asked, build)
