"""Thin state for /build: it holds the choices (small strings) and asks the catalogue for the rest."""

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from app import db, limits
from app.catalog import Build, BuildError, Catalogue, normalise_hex
from app.catalog.changes import BuildChange
from app.catalog.colour_names import colour_name
from app.catalog.rules import choose, nearest_valid
from app.configurator import builds
from app.configurator.codes import normalise_code
from app.configurator.panel import (
    ChangeRow,
    ModelPanel,
    OptionGroup,
    PriceRow,
    card_states,
    change_rows,
    model_panel,
    price_rows,
)
from app.content.live import preview_values, previewing
from app.render import CarPictures
from app.render.live import live_pictures
from app.signin.state import NotAllowed, StaffState
from app.ui.handlers import event

log = logging.getLogger(__name__)
# Handlers app.py adds, called with the new code after each save (a friend's invite remembers the build).
# A list filled from the top, so this page needn't import the features that care.
AFTER_SAVE: list[Callable[[str], Any]] = []
# The option panel /build sends once per page (panel.ModelPanel's fields, which BuildState holds).
PANEL_FIELDS = frozenset(ModelPanel._fields)
CANT_SAVE = "We can't save right now; your build is safe in this page. Try again in a minute."


def _kept_query(kept: str) -> dict[str, str]:
    """The choices in the build URL the nudge kept (stored as JSON text), or {} if there is none."""
    try:
        url = json.loads(kept) if kept.startswith('"') else kept
    except ValueError:
        return {}
    parts = urlsplit(url if isinstance(url, str) else "")
    return dict(parse_qsl(parts.query)) if parts.path.rstrip("/") == "/build" else {}


class BuildState(rx.State):
    model_id: str = ""
    choice_ids: dict[str, str] = {}
    hex: str = ""
    view: str = ""
    nickname: str = ""
    nickname_error: str = ""
    hex_error: str = ""
    notes: rx.Field[list[str]] = rx.field([])
    # What changed since the build that was opened was saved or linked, line by line (see app.catalog.changes).
    changes: rx.Field[list[ChangeRow]] = rx.field([])
    changes_since: str = ""  # "Since you saved this build" / "Since this link was made"
    saved_code: str = ""
    # Written by the nudge (assets/nudge.js) just before it asks someone to go and drive: the build
    # they were working on, so the next visit to /build picks it up again.
    kept_build: str = rx.LocalStorage("", name="motorjoy.lastBuild")
    # In the studio's preview (/studio/preview/build): the drafts, laid over the live catalogue. Server only.
    _preview: dict = {}
    previewing: bool = False
    # Sent when a page opens and again only if the model or the catalogue changes (see _show): the
    # option panel's structure, every line the bill can have, and what assets/predict.js needs to draw a
    # pick's picture before the server answers. A pick then sends only the values below that changed.
    groups: rx.Field[list[OptionGroup]] = rx.field([])
    details: rx.Field[dict[str, str]] = rx.field({})
    bill: rx.Field[dict[str, PriceRow]] = rx.field({})
    catalogue_data: str = ""
    _shown_catalogue: tuple[str, str] = ("", "")  # (asset version, model) the fields above were made for
    # The picture the page opens with; the spin (assets/spin.js) and predict.js draw every one after it.
    picture_paths: rx.Field[list[str]] = rx.field([])
    picture_alt: str = ""
    # Per pick, and only when changed: why cards are blocked and their fixes (see panel.CardStates), the total.
    words: rx.Field[list[str]] = rx.field([])
    blocked: rx.Field[dict[str, list[int | str]]] = rx.field({})
    total: str = ""
    # The everyday name of the build's paint code ("dark grey"): predict.js words the picture's alt text from
    # the build and the catalogue, and can't name a customer's own paint without it. Sent when the paint changes.
    paint_word: str = ""
    custom_colour: bool = False  # the customer's own paint is chosen (its hex is on the bill and the swatch)

    # ---- kept in Redis between events (several workers)
    # The panel fields are the same objects for every visitor of a catalogue and model (panel.model_panel).
    # Pickled with each visitor's state, every event that loaded it made its own copy, about 120 objects
    # that became cyclic garbage once the event was done: at 400 visitors, more than half of the 93-104
    # thousand objects of garbage a minute that each worker's full collection found, holding its event
    # loop 140-210 ms. They are left out of the pickle and put back from the shared panel, which is also
    # 10 KB less per visitor in Redis.
    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in super().__getstate__().items() if name not in PANEL_FIELDS}

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        version, model = vars(self).get("_shown_catalogue", ("", ""))
        if not model:
            return
        catalogue = self._catalogue()
        if catalogue.asset_version == version:
            vars(self).update(model_panel(catalogue, model)._asdict())
        else:  # published or previewed anew since: the next _show sends the new catalogue's panel
            vars(self)["_shown_catalogue"] = ("", "")

    def _pictures(self) -> CarPictures:
        if not self.previewing:
            return live_pictures()
        with previewing(self._preview):
            return live_pictures()

    def _catalogue(self) -> Catalogue:
        return self._pictures().catalogue

    # ---- the build, from the small values the state keeps
    def _build(self) -> Build:
        return self._catalogue().build_from(self.model_id, self.choice_ids, self.hex if self._is_custom() else None)

    def _is_custom(self) -> bool:
        colour = self.choice_ids.get("colour", "")
        return bool(colour) and self._catalogue().option(colour).custom

    def _set(self, **values: Any) -> None:
        # Reflex sends every var assigned, equal or not: assign only what changed, so a pick stays small.
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _show(
        self,
        build: Build,
        notes: list[str],
        saved_code: str = "",
        opening: bool = False,
        changes: list[BuildChange] | None = None,
    ):
        """Make `build` the one on screen and say what changed.

        The page's address follows in the browser (assets/predict.js writes builds.address_of from these
        values), so nothing here sends a URL.
        `opening`: a page (re)opens, so its picture is drawn from these values before any script runs.
        `changes` (only when a build is opened) replace what is listed as changed since it was saved."""
        pictures = self._pictures()
        catalogue = pictures.catalogue
        self._set(model_id=build.model, choice_ids=dict(build.choices), hex=build.hex, notes=notes)
        self._set(saved_code=saved_code, custom_colour=catalogue.option(build.choice("colour")).custom)
        if changes is not None:
            self._set(changes=change_rows(changes))
        if opening:  # a fresh page has none of the fields sent once
            self._shown_catalogue = ("", "")
        if self._shown_catalogue != (catalogue.asset_version, build.model):
            self._shown_catalogue = (catalogue.asset_version, build.model)
            self._set(**model_panel(catalogue, build.model)._asdict())
        cards = card_states(catalogue, build)
        self._set(words=cards.words, blocked=cards.blocked, total=price_rows(catalogue, build)[1])
        self._set(paint_word=colour_name(build.hex))
        if opening:
            paths, alt = pictures.paths_and_alt(build, self.view)
            self._set(picture_paths=paths, picture_alt=alt)

    # ---- what the page shows
    @rx.var
    def ready(self) -> bool:
        return bool(self.model_id)

    @rx.var
    def model_name(self) -> str:
        return self._catalogue().model(self.model_id).name if self.model_id else ""

    @rx.var
    def view_label(self) -> str:
        return self._catalogue().view(self.view).label if self.model_id else ""

    @rx.var
    def view_position(self) -> int:
        views = self._catalogue().model(self.model_id).views if self.model_id else ()
        return views.index(self.view) + 1 if self.view in views else 1

    @rx.var
    def view_count(self) -> int:
        return len(self._catalogue().model(self.model_id).views) if self.model_id else 1

    # ---- events
    @event
    def load(self):
        """Open the build the URL names: a saved code, or the choices in the query (corrected if need be)."""
        path = self.router.url.path.rstrip("/")
        params = dict(self.router.url.query_parameters)
        self.nickname, self.nickname_error, self.hex_error = "", "", ""
        self.previewing, self._preview = False, {}
        if path.startswith("/build/"):
            code = path.removeprefix("/build/")
            with db.session() as s:
                opened = builds.reopen_saved(s, self._catalogue(), code)
            if opened is not None:
                build, self.nickname, changes = opened
                self.view = self._catalogue().model(build.model).views[0]
                self.changes_since = "Since you saved this build"
                self._show(build, [], normalise_code(code) or "", opening=True, changes=changes)
                return
            params = {}
            first = f"We couldn't find a build with the code {code[:12]!r}, so here is a fresh one to start from."
        elif not params and (kept := _kept_query(self.kept_build)):
            params, first = kept, "Welcome back! Here's the build you were working on."
        else:
            first = ""
        build, self.view, changes = builds.link_with_changes(self._catalogue(), params)
        self.changes_since = "Since this link was made"
        self._show(build, [first] if first else [], opening=True, changes=changes)

    @event
    def pick(self, option_id: str):
        try:
            build, notes = choose(self._catalogue(), self._build(), str(option_id))
        except BuildError as error:  # a forged event for an option this model doesn't have
            return rx.toast.error(str(error))
        self._show(build, notes)

    @event
    def pick_model(self, model_id: str):
        build, notes = nearest_valid(
            self._catalogue(), model_id, self.choice_ids, self.hex if self._is_custom() else None
        )
        if self.view not in self._catalogue().model(build.model).views:
            self.view = self._catalogue().model(build.model).views[0]
        self._show(build, notes)

    @event
    def pick_view(self, view: str):
        """The spin stopped at `view` (it turns in the browser): remember it for the share link.

        The build is the same, so nothing else changes (the address follows the view in the browser)."""
        if self.model_id and view in self._catalogue().model(self.model_id).views and view != self.view:
            self.view = view

    @event
    def paint_form(self, form: dict):
        return BuildState.pick_custom_colour(str(form.get("hex", "")))

    @event
    def pick_custom_colour(self, text: str):
        """Any colour you like: a hex from the picker or typed; a bad one changes nothing and says why."""
        try:
            hex_colour = normalise_hex(str(text).strip())
        except BuildError as error:
            self.hex_error = str(error)
            return
        self.hex_error = ""
        custom = next(o.id for o in self._catalogue().options_for(self.model_id, "colour") if o.custom)
        build, notes = choose(self._catalogue(), self._build(), custom)
        build = self._catalogue().build_from(build.model, dict(build.choices), hex_colour)
        self._show(build, notes)

    @event
    def set_nickname(self, text: str):
        try:
            self.nickname = builds.clean_nickname(text)
            self.nickname_error = ""
        except builds.NicknameError as error:
            self.nickname_error = str(error)

    @event
    async def load_preview(self):
        """The configurator with the studio's drafts (colours, prices, rules, layers), for staff only."""
        self.nickname, self.nickname_error, self.hex_error, self.saved_code = "", "", "", ""
        with db.session() as s:
            try:
                (await self.get_state(StaffState))._staff(s, "marketing")
            except NotAllowed:
                self.previewing, self._preview, self.model_id = False, {}, ""
                self.notes = ["Previews are for the studio's staff. Sign in with a marketing account."]
                return
            self._preview, self.previewing = preview_values(s), True
        build, self.view, notes = builds.build_from_query(self._catalogue(), {})
        self._show(build, notes, opening=True, changes=[])

    @event
    def save(self):
        if self.previewing:
            return rx.toast.info("This is a preview of drafts: builds aren't saved here.")
        if self.nickname_error:
            return rx.toast.error("Let's fix the nickname first.")
        client = self.router.session.client_ip or self.router.session.client_token
        try:
            with db.session() as s:
                limits.take(s, builds.SAVES, f"client:{client}")
                code = builds.save_build(s, self._catalogue(), self._build(), self.nickname)
        except limits.Limited as limited:
            log.info("refused saving a build: client over %s saves per %s", builds.SAVES.hits, builds.SAVES.per)
            return rx.toast.error(f"{builds.TOO_MANY_SAVES} Try again in {limited.in_words}; your build stays here.")
        except SQLAlchemyError:  # a full disk, a read-only or unreachable database
            log.exception("saving a build failed")
            return rx.toast.error(CANT_SAVE, duration=10_000)
        # The address becomes /build/<code> in the browser, as after any change of the saved code.
        self.saved_code = code
        self.changes = []  # saved again on today's catalogue: nothing has changed since
        return [
            rx.toast.success(f"Saved! Your build code is {code}."),
            *(hook(code) for hook in AFTER_SAVE),
        ]

    @event
    def copy_link(self):
        if not self.saved_code:
            return rx.toast.info("Save your build first, then the link is yours to share.")
        return [
            rx.call_script(f"navigator.clipboard.writeText(window.location.origin + '/build/{self.saved_code}')"),
            rx.toast.success("Link copied. Go on, show someone."),
        ]
