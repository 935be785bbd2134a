"""Thin state for /studio: every handler checks the role on the server, then calls app.studio.desk."""

import json
from datetime import UTC, datetime

import reflex as rx

from app import db
from app.content import live
from app.render.live import live_pictures
from app.signin.state import NotAllowed, StaffState
from app.studio import content, desk
from app.studio.content import HistoryRow, StudioError
from app.studio.desk import AuditRow, FieldView, ItemRow, ReleaseRow
from app.studio.uploads import UploadRefused, read_limited
from app.ui.handlers import event

NOT_ALLOWED = "The studio is for the marketing team. Sign in with a marketing account."


class StudioState(StaffState):
    allowed: bool = False
    denied: str = ""
    rows: list[ItemRow] = []
    search: str = ""
    key: str = ""
    title: str = ""
    status: str = ""
    edit_token: str = ""  # what the editor was opened with; a stale one cannot save
    has_draft: bool = False
    fields: list[FieldView] = []
    history: rx.Field[list[HistoryRow]] = rx.field([])
    notice: str = ""
    error: str = ""
    releases: rx.Field[list[ReleaseRow]] = rx.field([])
    audit: list[AuditRow] = []
    layer_model: str = "hatch"
    layer_view: str = ""  # "" until picked: the model's hero angle, the picker's first entry
    layer_option: str = ""
    sheet: rx.Field[list[list[str]]] = rx.field([])  # [picture path, caption] of the contact sheet
    mail_html: str = ""  # a mail template's preview, filled with made-up values
    upload_error: str = ""

    @rx.var
    def visible_rows(self) -> list[ItemRow]:
        words = self.search.lower().split()
        return [r for r in self.rows if all(w in f"{r.title} {r.status} {r.key}".lower() for w in words)]

    @rx.var
    def draft_rows(self) -> list[ItemRow]:
        return [r for r in self.rows if r.status == "Draft"]

    @rx.var
    def preview_link(self) -> str:
        """Where this item can be seen as a customer would see it."""
        kind, _, rest = self.key.partition(":")
        if kind == "narrative":
            return f"/studio/preview/track/{rest}"
        if kind == "explainer":
            return "/studio/preview/track/at_sea"
        return "/studio/preview/build" if kind in ("model", "option", "layer") else ""

    @rx.var
    def layer_options(self) -> list[list[str]]:
        catalogue = live_pictures().catalogue
        return [
            [o.id, f"{catalogue.slots[o.slot].label}: {o.name}"]
            for o in catalogue.options
            if o.draws and o.available_on(self.layer_model)
        ]

    def _user(self, s):
        return self._staff(s, "marketing")

    def _refuse(self) -> None:
        self.allowed, self.denied = False, NOT_ALLOWED
        self.rows, self.fields, self.history, self.releases, self.audit, self.sheet = [], [], [], [], [], []
        self.key = ""

    def _refresh(self, s) -> None:
        self.rows = desk.item_rows(s)
        self.releases = desk.release_rows(s)
        self.audit = desk.audit_rows(s)
        if self.key:
            self._open(s, self.key)

    def _open(self, s, key: str) -> None:
        item = desk.open_item(s, key)
        self.key, self.title, self.status, self.edit_token = item.key, item.title, item.status, item.token
        self.has_draft, self.fields = item.has_draft, item.fields
        self.history = desk.history(s, key)
        self.mail_html = desk.mail_preview(s, key) if key.startswith("mail:") else ""

    def _act(self, action, success: str = ""):
        """Run `action(session, user)` for a signed-in marketing user; a refusal changes nothing."""
        self.notice = self.error = ""
        try:
            with db.session() as s:
                user = self._user(s)
                action(s, user)
        except NotAllowed:
            return self._refuse()
        except StudioError as problem:
            self.error = str(problem)
            return None
        with db.session() as s:
            self._refresh(s)
        live.forget_published()
        self.notice = success
        return None

    @event
    def load(self):
        self.notice = self.error = ""
        with db.session() as s:
            try:
                user = self._user(s)
            except NotAllowed:
                return self._refuse()
            self.allowed, self.denied = True, ""
            self._greet(user)
            self._refresh(s)
            if not self.key and self.rows:
                self._open(s, self.rows[0].key)
        if not self.layer_option and self.layer_options:
            self.layer_option = self.layer_options[0][0]
        return None

    @event
    def set_search(self, text: str):
        self.search = text[:80]

    @event
    def open(self, key: str):
        return self._act(lambda s, _user: self._open(s, str(key)))

    @event
    def save(self, form: dict):
        fields = {k: str(v) for k, v in form.items()}
        return self._act(lambda s, user: desk.save(s, user.name, self.key, fields, self.edit_token), "Draft saved.")

    @event
    def discard(self):
        return self._act(
            lambda s, user: content.discard_draft(s, self.key, author=user.name, token=self.edit_token),
            "Draft thrown away.",
        )

    @event
    def publish(self):
        return self._act(lambda s, user: desk.publish_now(s, user.name, [self.key]), "Published: customers see it now.")

    @event
    def rollback(self, version: int):
        return self._act(
            lambda s, user: desk.rollback(s, user.name, self.key, int(version)),
            f"Rolled back to version {version}; customers see it now.",
        )

    @event
    def restore_shipped(self):
        return self._act(
            lambda s, user: desk.restore_shipped(s, user.name, self.key), "Restored as shipped; customers see it now."
        )

    @event
    def add_colour(self, form: dict):
        def action(s, user):
            key = desk.add_colour(s, user.name, str(form.get("name", "")), str(form.get("hex", "")), "0")
            self.key = key

        return self._act(action, "New colour saved as a draft. Give it a price, then preview and publish.")

    @event
    def schedule(self, form: dict):
        keys = [name.removeprefix("release:") for name, value in form.items() if name.startswith("release:") and value]
        name, when = str(form.get("release_name", "")), str(form.get("publish_at", ""))

        def action(s, user):
            try:
                at = datetime.fromisoformat(when).replace(tzinfo=UTC)
            except ValueError:
                raise StudioError("Pick a date and time for the release.") from None
            desk.schedule(s, user.name, keys, name, at)

        return self._act(action, "Release scheduled.")

    @event
    def cancel_release(self, release_id: str):
        return self._act(
            lambda s, user: content.cancel_release(s, int(release_id), author=user.name), "Release cancelled."
        )

    @event
    def preview_nudge(self):
        lines = next((f.text.splitlines() for f in self.fields if f.name == "lines"), [])
        return rx.call_script(f"window.motorjoyPreviewNudge && window.motorjoyPreviewNudge({json.dumps(lines)})")

    @event
    def set_layer_model(self, model: str):
        self.layer_model, self.sheet = str(model), []
        self.layer_option = self.layer_options[0][0] if self.layer_options else ""

    @event
    def set_layer_view(self, view: str):
        self.layer_view, self.sheet = str(view), []

    @event
    def set_layer_option(self, option: str):
        self.layer_option, self.sheet = str(option), []

    @event
    async def upload_layer(self, files: list[rx.UploadFile]):
        self.upload_error, self.sheet = "", []
        if len(files) != 1:
            self.upload_error = "Choose one PNG or WebP file."
            return None
        try:
            data = await read_limited(files[0])
            with db.session() as s:
                user = self._user(s)
                view = self.layer_view or live_pictures().catalogue.model(self.layer_model).views[0]
                key = desk.upload_layer(s, user.name, self.layer_model, view, self.layer_option, data)
            with db.session() as s:
                self.sheet = [[path, caption] for path, caption in desk.contact_sheet(s, key)]
                self._refresh(s)
                self._open(s, key)
        except NotAllowed:
            return self._refuse()
        except (UploadRefused, StudioError) as problem:
            self.upload_error = str(problem)
        return None
