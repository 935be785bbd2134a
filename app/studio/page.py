"""/studio: marketing's workshop. Copy and catalogue items, layer uploads, releases and the audit log."""

import reflex as rx
from reflex.vars import ObjectVar

from app.render import car_pictures
from app.studio.content import HistoryRow
from app.studio.desk import FieldView, ItemRow
from app.studio.mail_state import MailDeskState
from app.studio.nudge_page import nudge_report_tab
from app.studio.nudge_state import NudgeReportState
from app.studio.state import StudioState
from app.studio.uploads import MAX_UPLOAD_BYTES
from app.ui.car_picture import backend_src
from app.ui.forms import field_label
from app.ui.layout import page_shell
from app.ui.staff import not_allowed, staff_bar


def status_badge(status) -> rx.Component:
    colour = rx.cond(status == "Draft", "amber", rx.cond(status == "As shipped", "gray", "grass"))
    return rx.badge(status, color_scheme=colour, variant="soft", flex_shrink="0")


def item_button(row: ItemRow) -> rx.Component:
    chosen = row.key == StudioState.key
    return rx.el.li(
        rx.button(
            rx.text(row.title, size="2", text_align="left", flex="1", truncate=True),
            status_badge(row.status),
            on_click=StudioState.open(row.key),
            variant=rx.cond(chosen, "soft", "ghost"),
            aria_current=rx.cond(chosen, "true", "false"),
            width="100%",
            justify="between",
            gap="0.5rem",
        ),
        list_style="none",
    )


def item_list() -> rx.Component:
    return rx.vstack(
        field_label("Find an item", "studio-search"),
        rx.input(
            id="studio-search",
            placeholder="at sea, chili, birthday…",
            value=StudioState.search,
            on_change=StudioState.set_search,
            width="100%",
        ),
        rx.scroll_area(
            rx.el.ul(rx.foreach(StudioState.visible_rows, item_button), padding="0", margin="0", id="studio-items"),
            type="auto",
            scrollbars="vertical",
            style={"max_height": "34rem"},
        ),
        add_colour_form(),
        spacing="2",
        width="100%",
    )


def add_colour_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Add a colour", as_="h3", size="3"),
            rx.flex(
                rx.vstack(
                    field_label("Name", "new-colour-name"),
                    rx.input(id="new-colour-name", name="name", placeholder="Mint Julep", max_length=40),
                    spacing="1",
                    flex="1",
                ),
                rx.vstack(
                    field_label("Colour", "new-colour-hex"),
                    rx.el.input(id="new-colour-hex", name="hex", type="color", default_value="#8FD1B0"),
                    spacing="1",
                ),
                gap="0.75rem",
                align="end",
            ),
            rx.button("Add as a draft", type="submit", variant="outline"),
            spacing="2",
        ),
        on_submit=StudioState.add_colour,
        reset_on_submit=True,
        padding_top="1rem",
        width="100%",
    )


def field_editor(field: FieldView) -> rx.Component:
    field_id = "field-" + field.name
    return rx.vstack(
        field_label(field.label, field_id),
        rx.match(
            field.widget,
            ("text", rx.text_area(id=field_id, name=field.name, default_value=field.text, rows="6", width="100%")),
            ("lines", rx.text_area(id=field_id, name=field.name, default_value=field.text, rows="7", width="100%")),
            ("check", rx.el.input(id=field_id, name=field.name, type="checkbox", default_checked=field.text == "on")),
            ("number", rx.input(id=field_id, name=field.name, default_value=field.text, input_mode="numeric")),
            rx.input(id=field_id, name=field.name, default_value=field.text, width="100%"),
        ),
        rx.cond(field.help != "", rx.text(field.help, size="1", color=rx.color("gray", 11))),
        spacing="1",
        width="100%",
    )


def editor() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(StudioState.title, as_="h2", size="5", id="item-title"),
            status_badge(StudioState.status),
            gap="0.75rem",
            align="center",
            wrap="wrap",
        ),
        rx.form(
            rx.vstack(
                rx.foreach(StudioState.fields, field_editor),
                rx.flex(
                    rx.button("Save draft", type="submit"),
                    rx.cond(
                        StudioState.has_draft,
                        rx.fragment(
                            rx.button("Publish now", type="button", color_scheme="grass", on_click=StudioState.publish),
                            rx.button(
                                "Throw draft away",
                                type="button",
                                variant="soft",
                                color_scheme="red",
                                on_click=StudioState.discard,
                            ),
                        ),
                    ),
                    rx.cond(
                        StudioState.preview_link != "",
                        rx.link(
                            rx.button("Preview as a customer", type="button", variant="outline"),
                            href=StudioState.preview_link,
                            is_external=True,
                        ),
                    ),
                    rx.cond(
                        StudioState.key == "nudge",
                        rx.button(
                            "Show me the nudge", type="button", variant="outline", on_click=StudioState.preview_nudge
                        ),
                    ),
                    gap="0.75rem",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
            key=StudioState.key + StudioState.edit_token,
            on_submit=StudioState.save,
            width="100%",
        ),
        rx.text(
            "Save keeps a draft. Preview it, then publish it now or in a release.", size="1", color=rx.color("gray", 11)
        ),
        rx.cond(
            StudioState.mail_html != "",
            rx.vstack(
                rx.heading("As an owner gets it (with made-up details)", as_="h3", size="3"),
                mail_frame(StudioState.mail_html, "Preview of this mail"),
                width="100%",
            ),
        ),
        history(),
        spacing="3",
        width="100%",
    )


def history_entry(row: ObjectVar[HistoryRow]) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.text(
                        rx.text.strong("Version ", row.version), " · ", row.author, " · ", row.when, " · ", row.note
                    ),
                    rx.button(
                        "Roll back to this",
                        size="1",
                        variant="soft",
                        on_click=StudioState.rollback(row.version),
                        aria_label="Roll back to version " + row.version.to_string(),
                    ),
                    justify="between",
                    gap="0.5rem",
                    wrap="wrap",
                    width="100%",
                ),
                rx.cond(
                    row.changes.length() > 0,
                    rx.el.ul(
                        rx.foreach(row.changes, lambda said: rx.el.li(rx.text(said, size="2"))),
                        margin="0",
                        padding_left="1.25rem",
                    ),
                    rx.text("The same as the version before.", size="2", color=rx.color("gray", 11)),
                ),
                spacing="2",
                width="100%",
            ),
        ),
        list_style="none",
    )


def history() -> rx.Component:
    return rx.vstack(
        rx.heading("History", as_="h3", size="4"),
        rx.cond(
            StudioState.history.length() > 0,
            rx.vstack(
                rx.el.ol(rx.foreach(StudioState.history, history_entry), padding="0", display="grid", gap="0.5rem"),
                rx.button("Restore as shipped", size="1", variant="soft", on_click=StudioState.restore_shipped),
                width="100%",
            ),
            rx.text("Never published: customers see it as shipped.", size="2", color=rx.color("gray", 11)),
        ),
        spacing="2",
        width="100%",
        id="history",
    )


def copy_and_catalogue() -> rx.Component:
    return rx.grid(
        item_list(),
        rx.card(editor(), size="3"),
        columns=rx.breakpoints(initial="1", md="20rem 1fr"),
        gap="1.5rem",
        width="100%",
    )


def select(label: str, field_id: str, value, on_change, options) -> rx.Component:
    return rx.vstack(
        field_label(label, field_id),
        # Long option names must not push a 320 px screen sideways.
        rx.el.select(options, id=field_id, value=value, on_change=on_change, style={"max_width": "100%"}),
        spacing="1",
        max_width="100%",
        min_width="0",
    )


def imagery() -> rx.Component:
    catalogue = car_pictures().catalogue
    return rx.vstack(
        rx.text(
            "Upload a new layer for one option of one model, seen from one angle: a PNG or WebP with a "
            "transparent background, exactly the canvas size, lined up with the car from that angle. It is "
            "checked, then shown on sample cars from every angle before it can go live.",
            size="2",
            max_width="44rem",
        ),
        rx.flex(
            select(
                "Model",
                "layer-model",
                StudioState.layer_model,
                StudioState.set_layer_model,
                [rx.el.option(m.name, value=m.id) for m in catalogue.models],
            ),
            select(
                "View",
                "layer-view",
                StudioState.layer_view,
                StudioState.set_layer_view,
                [rx.el.option(catalogue.view(v).label.capitalize(), value=v) for v in catalogue.models[0].views],
            ),
            select(
                "Option",
                "layer-option",
                StudioState.layer_option,
                StudioState.set_layer_option,
                rx.foreach(StudioState.layer_options, lambda o: rx.el.option(o[1], value=o[0])),
            ),
            gap="1rem",
            wrap="wrap",
            width="100%",
        ),
        # Inside a label, the file field is named by the words on the drop zone.
        rx.el.label(
            rx.upload(
                rx.vstack(
                    rx.icon("image-up", size=28, aria_hidden="true"),
                    rx.text("Drop the layer here, or click to choose it", size="2"),
                    rx.foreach(rx.selected_files("layer"), lambda name: rx.text(name, size="1", weight="bold")),
                    align="center",
                    spacing="1",
                ),
                id="layer",
                multiple=False,
                max_files=1,
                accept={"image/png": [".png"], "image/webp": [".webp"]},
                max_size=MAX_UPLOAD_BYTES,  # the browser says so at once; the server enforces it again
                border=f"2px dashed {rx.color('gray', 7)}",
                border_radius="12px",
                padding="1.5rem",
                width="100%",
                max_width="32rem",
            ),
            style={"display": "block", "width": "100%", "max_width": "32rem"},
        ),
        rx.button(
            "Check and preview on sample cars",
            on_click=StudioState.upload_layer(rx.upload_files(upload_id="layer")),
        ),
        rx.cond(
            StudioState.upload_error != "",
            rx.callout(StudioState.upload_error, icon="circle-alert", color_scheme="tomato", role="alert"),
        ),
        rx.cond(
            StudioState.sheet.length() > 0,
            rx.vstack(
                rx.heading("Contact sheet", as_="h3", size="4"),
                rx.text(
                    "The new layer on sample cars, drawn exactly as the configurator will. It is a draft until "
                    "you publish it (here, from its item under Copy & catalogue, or in a release).",
                    size="2",
                ),
                rx.flex(
                    rx.button("Publish this layer now", color_scheme="grass", on_click=StudioState.publish),
                    rx.link(
                        rx.button("Try it in the configurator", variant="outline"),
                        href="/studio/preview/build",
                        is_external=True,
                    ),
                    gap="0.75rem",
                    wrap="wrap",
                ),
                rx.grid(
                    rx.foreach(
                        StudioState.sheet,
                        lambda pic: rx.card(
                            rx.el.img(
                                src=backend_src(pic[0]), alt=pic[1], width="100%", style={"aspect_ratio": "16 / 9"}
                            ),
                            rx.text(pic[1], size="1"),
                        ),
                    ),
                    columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                    gap="0.75rem",
                    width="100%",
                ),
                id="contact-sheet",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )


def releases() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.vstack(
                rx.heading("Schedule a release", as_="h3", size="4"),
                rx.text("Drafts in one release go live together at the time you pick.", size="2"),
                rx.cond(
                    StudioState.draft_rows.length() > 0,
                    rx.vstack(
                        rx.foreach(
                            StudioState.draft_rows,
                            lambda row: rx.el.label(
                                rx.el.input(type="checkbox", name="release:" + row.key),
                                " ",
                                row.title,
                                style={"display": "flex", "gap": "0.5rem", "align_items": "center"},
                            ),
                        ),
                        spacing="1",
                    ),
                    rx.text("No drafts waiting: save a draft first.", size="2", color=rx.color("gray", 11)),
                ),
                rx.flex(
                    rx.vstack(
                        field_label("Release name", "release-name"),
                        rx.input(id="release-name", name="release_name", placeholder="Spring colours", max_length=80),
                        spacing="1",
                    ),
                    rx.vstack(
                        field_label("Goes live at (UTC)", "release-at"),
                        rx.input(id="release-at", name="publish_at", type="datetime-local"),
                        spacing="1",
                    ),
                    gap="1rem",
                    wrap="wrap",
                ),
                rx.button("Schedule", type="submit"),
                spacing="3",
            ),
            on_submit=StudioState.schedule,
        ),
        rx.heading("Releases", as_="h3", size="4"),
        rx.cond(StudioState.releases.length() == 0, rx.text("No releases yet.", size="2", color=rx.color("gray", 11))),
        rx.el.ul(
            rx.foreach(
                StudioState.releases,
                lambda r: rx.el.li(
                    rx.flex(
                        rx.text(rx.text.strong(r.name), " · ", r.when, " · ", r.status, " ", r.outcome, size="2"),
                        rx.cond(
                            r.status == "scheduled",
                            rx.button("Cancel", size="1", variant="soft", on_click=StudioState.cancel_release(r.id)),
                        ),
                        gap="0.75rem",
                        align="center",
                        wrap="wrap",
                    ),
                    list_style="none",
                ),
            ),
            padding="0",
            display="grid",
            gap="0.5rem",
        ),
        spacing="4",
        width="100%",
    )


def audit_log() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(*(rx.table.column_header_cell(h) for h in ("When", "Who", "What", "Item", "Detail")))
            ),
            rx.table.body(
                rx.foreach(
                    StudioState.audit,
                    lambda e: rx.table.row(
                        *(rx.table.cell(value) for value in (e.when, e.who, e.action, e.item, e.detail))
                    ),
                )
            ),
            size="1",
        ),
        overflow_x="auto",
        width="100%",
        # Keyboard users can scroll a table wider than a phone: the box takes focus and has a name.
        tab_index=0,
        role="region",
        aria_label="Audit log",
        class_name="table-scroll",
    )


def tab_panel(value: str, title: str, content: rx.Component) -> rx.Component:
    # Each tab's own h2 (read by screen readers; the tab itself says it on screen), so its h3s nest under it.
    return rx.tabs.content(
        rx.heading(title, as_="h2", class_name="sr-only"), content, value=value, padding_top="1.25rem"
    )


def workshop() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text("Tune the words, the colours, the prices and the pictures.", size="3", color=rx.color("gray", 11)),
            staff_bar(StudioState),
            justify="between",
            align="center",
            wrap="wrap",
            gap="1rem",
            width="100%",
        ),
        rx.cond(
            StudioState.notice != "", rx.callout(StudioState.notice, icon="check", color_scheme="grass", id="notice")
        ),
        rx.cond(
            StudioState.error != "",
            rx.callout(StudioState.error, icon="circle-alert", color_scheme="tomato", role="alert", id="studio-error"),
        ),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("Copy & catalogue", value="items"),
                rx.tabs.trigger("Imagery", value="imagery"),
                rx.tabs.trigger("Releases", value="releases"),
                rx.tabs.trigger("Club mail", value="mail", on_click=MailDeskState.load),
                rx.tabs.trigger("Nudge report", value="nudges", on_click=NudgeReportState.load),
                rx.tabs.trigger("Audit log", value="audit"),
                style={"flex_wrap": "wrap"},
            ),
            tab_panel("items", "Copy & catalogue", copy_and_catalogue()),
            tab_panel("imagery", "Imagery", imagery()),
            tab_panel("releases", "Releases", releases()),
            tab_panel("mail", "Club mail", mail_tab()),
            tab_panel("nudges", "Nudge report", nudge_report_tab()),
            tab_panel("audit", "Audit log", audit_log()),
            default_value="items",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def studio_page() -> rx.Component:
    return page_shell(
        rx.heading("The studio", as_="h1", size=rx.breakpoints(initial="7", md="8"), margin_bottom="0.75rem"),
        rx.cond(
            StudioState.allowed,
            workshop(),
            rx.cond(
                StudioState.denied != "",
                not_allowed(StudioState.denied, rx.link("Go to staff sign-in", href="/signin")),
                rx.skeleton(rx.box(height="20rem", width="100%"), loading=True),
            ),
        ),
        current="/studio",
    )


def mail_frame(html, title: str) -> rx.Component:
    # A sandboxed frame: the mail's own styles stay inside it, and nothing in it can run.
    return rx.el.iframe(
        src_doc=html,
        title=title,
        sandbox="",
        style={"width": "100%", "max_width": "36rem", "height": "30rem", "border": "1px solid var(--gray-6)"},
    )


def send_to_members() -> rx.Component:
    """Mail to every member asks first, naming how many; the notice after says how many it was queued for."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(rx.button("Send to club members", color_scheme="grass")),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Send to ", MailDeskState.members, " owners?"),
            rx.alert_dialog.description(
                "Every owner who asked for club news gets this note once. It can't be unsent.", size="2"
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Not yet", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Send to ",
                        MailDeskState.members,
                        " owners",
                        color_scheme="grass",
                        on_click=MailDeskState.send_to_members,
                    )
                ),
                gap="0.75rem",
                justify="end",
                margin_top="1rem",
            ),
            max_width="28rem",
        ),
    )


def mail_tab() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.foreach(
                MailDeskState.counts,
                lambda c: rx.badge(c.status, ": ", c.count, variant="soft", size="2"),
            ),
            gap="0.5rem",
            wrap="wrap",
        ),
        rx.cond(
            MailDeskState.error != "",
            rx.callout(MailDeskState.error, icon="circle-alert", color_scheme="tomato", role="alert"),
        ),
        rx.cond(MailDeskState.notice != "", rx.callout(MailDeskState.notice, icon="check", color_scheme="grass")),
        rx.heading("Write a new-feature note", as_="h3", size="4"),
        rx.text(
            "It goes to ", MailDeskState.members, " owners who asked for club news. Preview and test first.", size="2"
        ),
        field_label("Subject", "note-subject"),
        rx.input(id="note-subject", value=MailDeskState.subject, on_change=MailDeskState.set_subject, width="100%"),
        field_label("Note (Markdown)", "note-body"),
        rx.text_area(
            id="note-body", value=MailDeskState.body, on_change=MailDeskState.set_body, rows="10", width="100%"
        ),
        rx.flex(
            rx.button("Preview", variant="outline", on_click=MailDeskState.preview),
            rx.button("Send a test to me", variant="outline", on_click=MailDeskState.send_test),
            send_to_members(),
            gap="0.75rem",
            wrap="wrap",
        ),
        rx.cond(MailDeskState.preview_html != "", mail_frame(MailDeskState.preview_html, "Preview of the note")),
        rx.heading("Needs a look", as_="h3", size="4"),
        rx.cond(
            MailDeskState.trouble.length() > 0,
            rx.el.ul(
                rx.foreach(
                    MailDeskState.trouble,
                    lambda m: rx.el.li(
                        rx.text(
                            rx.text.strong(m.status), " · ", m.recipient, " · ", m.subject, " · ", m.reason, size="2"
                        )
                    ),
                ),
            ),
            rx.text("Nothing failed or held. Lovely.", size="2", color=rx.color("gray", 11)),
        ),
        rx.heading("Recent mail", as_="h3", size="4"),
        rx.el.ul(
            rx.foreach(
                MailDeskState.recent,
                lambda m: rx.el.li(
                    rx.button(
                        m.when,
                        " · ",
                        m.kind,
                        " · ",
                        m.recipient,
                        " · ",
                        m.subject,
                        " · ",
                        m.status,
                        variant="ghost",
                        size="1",
                        on_click=MailDeskState.read(m.id),
                    ),
                    list_style="none",
                ),
            ),
            padding="0",
        ),
        rx.cond(MailDeskState.viewing != "", mail_frame(MailDeskState.viewing, "The mail as sent")),
        spacing="3",
        width="100%",
        align="start",
    )
