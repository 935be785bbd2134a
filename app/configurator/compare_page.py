"""/compare: two or three saved builds side by side, with their pictures and prices."""

import reflex as rx

from app import db
from app.configurator.compare import CompareError, compare, split_codes
from app.configurator.page import price_row
from app.configurator.panel import BuildSummary
from app.render import car_pictures
from app.render.live import live_pictures
from app.ui.car_picture import car_img
from app.ui.handlers import event
from app.ui.layout import page_shell


class CompareState(rx.State):
    codes: str = ""
    builds: list[BuildSummary] = []
    error: str = ""

    @event
    def load(self):
        self.codes = self.router.url.query_parameters.get("codes", "")
        self.builds, self.error = [], ""
        # One code (from a build's "compare" link) just waits in the box for a second one.
        if len(split_codes(self.codes)) >= 2:
            return CompareState.run(self.codes)

    @event
    def submit(self, form: dict):
        return CompareState.run(str(form.get("codes", "")))

    @event
    def run(self, text: str):
        try:
            with db.session() as s:
                builds = compare(s, live_pictures(), text)
        except CompareError as error:
            self.error = str(error)  # the builds already on screen stay as they were
            return
        self.codes, self.builds, self.error = ",".join(b.code for b in builds), builds, ""
        return rx.call_script(f"window.history.replaceState(null, '', '/compare?codes={self.codes}')")


def summary_card(build: BuildSummary) -> rx.Component:
    widths = car_pictures().catalogue.widths
    return rx.card(
        rx.vstack(
            car_img([build.paths[i] for i in range(len(widths))], build.alt, sizes="(min-width: 64em) 22rem, 100vw"),
            rx.heading(build.title, as_="h2", size="4"),
            rx.text("Build code ", rx.code(build.code), size="2"),
            rx.foreach(build.notes, lambda note: rx.callout(note, icon="info", size="1")),
            rx.vstack(rx.foreach(build.lines, price_row), spacing="1", width="100%"),
            rx.separator(size="4"),
            rx.flex(
                rx.text("Total", weight="bold"), rx.text(build.total, weight="bold"), justify="between", width="100%"
            ),
            rx.link("Open this build", href=f"/build/{build.code}"),
            spacing="3",
            width="100%",
        ),
        size="2",
    )


def compare_page() -> rx.Component:
    return page_shell(
        rx.heading("Compare builds", as_="h1", size=rx.breakpoints(initial="7", md="8")),
        rx.text(
            "Can't decide? Line up two or three saved builds and let them fight it out.",
            color=rx.color("gray", 11),
            size="3",
        ),
        rx.form(
            rx.flex(
                rx.input(
                    name="codes",
                    default_value=CompareState.codes,
                    placeholder="e.g. 4K7QX2MN, 9TWP3HRC",
                    aria_label="Build codes",
                    aria_describedby="compare-error",
                    size="3",
                    flex="1",
                    min_width="14rem",
                ),
                rx.button("Compare", type="submit", size="3"),
                gap="0.5rem",
                wrap="wrap",
            ),
            on_submit=CompareState.submit,
            reset_on_submit=False,
            margin_y="1rem",
            class_name="no-print",
        ),
        rx.text(CompareState.error, id="compare-error", color=rx.color("red", 11), role="alert", size="2"),
        rx.grid(
            rx.foreach(CompareState.builds, summary_card),
            columns=rx.breakpoints(initial="1", md="2", lg="3"),
            gap="1rem",
            margin_top="1rem",
        ),
        current="/build",
    )
