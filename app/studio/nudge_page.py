"""The studio's Nudge report tab: a period picker, the best and worst lines, a small chart and the numbers."""

import reflex as rx
from reflex.vars import ObjectVar

from app.nudges.report import ReportRow
from app.studio.nudge_state import NudgeReportState
from app.ui.forms import field_label, tied_to_error

# The bar's parts, each at least 3:1 against the page and told apart by order and a white gap too.
PARTS = (
    ("road", "var(--grass-10)"),
    ("snooze", "var(--amber-11)"),
    ("off", "var(--tomato-10)"),
    ("unanswered", "var(--gray-8)"),
)
ERROR_ID = "nudge-period-error"


def period_picker() -> rx.Component:
    state = NudgeReportState
    return rx.flex(
        rx.vstack(
            field_label("Period", "nudge-period"),
            rx.el.select(
                rx.el.option("Last 7 days", value="7"),
                rx.el.option("Last 30 days", value="30"),
                rx.el.option("Last 90 days", value="90"),
                rx.el.option("Between two dates", value="range"),
                id="nudge-period",
                value=state.choice,
                on_change=state.pick,
            ),
            spacing="1",
        ),
        rx.cond(
            state.choice == "range",
            rx.form(
                rx.flex(
                    date_field("From", "nudge-from", "start", state.start),
                    date_field("To", "nudge-to", "end", state.end),
                    rx.button("Show", type="submit", variant="outline"),
                    gap="0.75rem",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=state.show_range,
            ),
        ),
        gap="1rem",
        align="end",
        wrap="wrap",
    )


def date_field(label: str, field_id: str, name: str, value) -> rx.Component:
    return rx.vstack(
        field_label(label, field_id),
        rx.input(
            id=field_id, name=name, type="date", default_value=value, **tied_to_error(NudgeReportState.error, ERROR_ID)
        ),
        spacing="1",
    )


def verdict_badge(verdict) -> rx.Component:
    return rx.cond(
        verdict != "",
        rx.badge(verdict, color_scheme=rx.cond(verdict == "Best", "grass", "tomato"), variant="solid", size="1"),
    )


def chart_row(row: ObjectVar[ReportRow]) -> rx.Component:
    return rx.box(
        rx.flex(verdict_badge(row.verdict), rx.text(row.line, size="2"), gap="0.5rem", align="center"),
        rx.flex(
            bar(row),
            rx.text(row.road_share, size="1", weight="bold", min_width="2.5rem"),
            gap="0.5rem",
            align="center",
            margin_top="0.25rem",
        ),
        width="100%",
    )


def bar(row: ObjectVar[ReportRow]) -> rx.Component:
    return rx.flex(
        *(
            rx.box(
                background=colour,
                width=getattr(row, f"{part}_width").to_string() + "%",
                height="100%",
                # A hairline of page colour between parts, so neighbours never depend on hue alone.
                box_shadow="inset -2px 0 0 var(--color-background)",
            )
            for part, colour in PARTS
        ),
        height="0.9rem",
        width="100%",
        border_radius="3px",
        overflow="hidden",
        background="var(--gray-3)",
        flex="1",
    )


def legend() -> rx.Component:
    words = NudgeReportState.answers
    names = (words["road"], words["snooze"], words["off"], "No answer")
    return rx.flex(
        *(
            rx.flex(
                rx.box(width="0.8rem", height="0.8rem", background=colour, border_radius="2px"),
                rx.text(name, size="1"),
                gap="0.35rem",
                align="center",
            )
            for name, (_part, colour) in zip(names, PARTS, strict=True)
        ),
        gap="1rem",
        wrap="wrap",
    )


def chart() -> rx.Component:
    # Drawn for the eye; the table below carries the same numbers for everyone (and screen readers).
    return rx.vstack(
        legend(),
        rx.text("The % after each bar is the share that went back to the road.", size="1"),
        rx.foreach(NudgeReportState.rows, chart_row),
        spacing="3",
        width="100%",
        max_width="48rem",
        aria_hidden="true",
        id="nudge-chart",
    )


def numbers() -> rx.Component:
    words = NudgeReportState.answers
    headers = ("Line", "Shown", words["road"], words["snooze"], words["off"], "No answer", "Back to the road, share")
    return rx.box(
        rx.table.root(
            rx.el.caption("Nudges shown and answered per line, ", NudgeReportState.period, class_name="sr-only"),
            rx.table.header(rx.table.row(*(rx.table.column_header_cell(h) for h in headers))),
            rx.table.body(
                rx.foreach(
                    NudgeReportState.rows,
                    lambda r: rx.table.row(
                        rx.table.row_header_cell(
                            rx.flex(verdict_badge(r.verdict), r.line, gap="0.5rem", align="start"), min_width="15rem"
                        ),
                        *(rx.table.cell(v) for v in (r.shown, r.road, r.snooze, r.off, r.unanswered, r.road_share)),
                    ),
                )
            ),
            size="1",
        ),
        overflow_x="auto",
        width="100%",
        tab_index=0,
        role="region",
        aria_label="Nudge report numbers",
        class_name="table-scroll",
        id="nudge-numbers",
    )


def nudge_report_tab() -> rx.Component:
    state = NudgeReportState
    return rx.vstack(
        rx.text(
            "How often each nudge line was shown, and what people answered. A line lands when people go back to "
            "the road; it grates when they switch nudges off. Days are in UTC. An edited line is a new line "
            "here: each report keeps the words that were shown.",
            size="2",
            max_width="44rem",
        ),
        period_picker(),
        rx.cond(
            state.error != "",
            rx.callout(state.error, icon="circle-alert", color_scheme="tomato", role="alert", id=ERROR_ID),
        ),
        rx.cond(
            state.period != "",
            rx.vstack(
                rx.heading(state.period, as_="h3", size="4"),
                rx.cond(
                    state.total_shown > 0,
                    rx.vstack(
                        rx.text(state.total_shown, " nudges shown. ", state.headline, size="2", id="nudge-headline"),
                        chart(),
                        numbers(),
                        spacing="4",
                        width="100%",
                    ),
                    rx.text("No nudges were shown in this period.", size="2", color=rx.color("gray", 11)),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
        id="nudge-report",
    )
