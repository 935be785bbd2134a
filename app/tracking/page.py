"""/track: Where's My Baby? The buyer's own car, its journey, and an honest delivery window."""

import reflex as rx

from app.render import car_pictures
from app.tracking.state import TrackState
from app.ui.forms import field_label, tied_to_error
from app.ui.layout import page_shell
from app.ui.preview import preview_banner
from app.ui.spin import car_spin

STATUS_COLOURS = {"on_track": "grass", "running_long": "amber", "overdue": "red", "delivered": "grass"}


def lookup_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("Find your car", as_="h2", size="5"),
                rx.text(
                    "Your private tracking link is in your order confirmation. No link to hand? "
                    "Your order number and the last name (or email) on the order will do.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                field_label("Order number", "t-number"),
                rx.input(
                    id="t-number",
                    name="number",
                    placeholder="MJ4K7QX2",
                    max_length=20,
                    required=True,
                    size="3",
                    width="100%",
                    **tied_to_error(TrackState.lookup_error, "lookup-error"),
                ),
                field_label("Last name or email", "t-name"),
                rx.input(
                    id="t-name",
                    name="name",
                    max_length=254,
                    required=True,
                    size="3",
                    width="100%",
                    **tied_to_error(TrackState.lookup_error, "lookup-error"),
                ),
                rx.text(TrackState.lookup_error, id="lookup-error", color=rx.color("red", 11), size="2", role="alert"),
                rx.button("Find my car", type="submit", size="3"),
                spacing="2",
                width="100%",
            ),
            on_submit=TrackState.lookup,
            reset_on_submit=False,
        ),
        size="3",
        max_width="30rem",
        width="100%",
    )


def step_item(step) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.box(
                width="0.9rem",
                height="0.9rem",
                border_radius="999px",
                flex_shrink="0",
                margin_top="0.25rem",
                background=rx.match(
                    step.state, ("done", rx.color("accent", 9)), ("current", rx.color("accent", 9)), rx.color("gray", 5)
                ),
                box_shadow=rx.cond(step.state == "current", f"0 0 0 4px {rx.color('accent', 5)}", "none"),
            ),
            rx.vstack(
                rx.text(
                    step.label,
                    weight=rx.cond(step.state == "current", "bold", "regular"),
                    size="3",
                    color=rx.cond(step.state == "upcoming", rx.color("gray", 11), rx.color("gray", 12)),
                ),
                rx.cond(step.day != "", rx.text(step.day, size="1", color=rx.color("gray", 11))),
                spacing="0",
            ),
            align="start",
            spacing="3",
        ),
        aria_current=rx.cond(step.state == "current", "step", None),
        list_style="none",
    )


CONFETTI_COLOURS = ("var(--accent-9)", "var(--amber-9)", "var(--grass-9)", "var(--blue-9)", "var(--pink-9)")


def confetti() -> rx.Component:
    """A little celebration when the car is home; skipped entirely for people who prefer less motion."""
    pieces = [
        rx.box(
            class_name="confetti-piece",
            style={
                "left": f"{(i * 37) % 100}%",
                "background": CONFETTI_COLOURS[i % len(CONFETTI_COLOURS)],
                "animation_delay": f"{(i % 7) * 0.25}s",
            },
        )
        for i in range(28)
    ]
    return rx.box(*pieces, class_name="confetti", aria_hidden="true")


def vessel_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("On the water", as_="h2", size="4"),
            rx.text("Ship: ", rx.text.strong(TrackState.vessel.name), size="3", id="vessel-name"),
            rx.text("Latest position: ", TrackState.vessel.position, size="2"),
            rx.text("Shipping line's arrival estimate: ", TrackState.vessel.eta, size="2"),
            rx.text("Ship data last updated ", TrackState.vessel.updated, size="1", color=rx.color("gray", 11)),
            spacing="1",
        ),
        width="100%",
    )


def tracker(beside: tuple[rx.Component, ...], below: tuple[rx.Component, ...]) -> rx.Component:
    """The buyer's car; `beside` goes above the stage list, `below` under the journey (the club's features)."""
    widths = car_pictures().catalogue.widths
    return rx.vstack(
        rx.badge(TrackState.stage_label, size="3", radius="full", id="current-stage"),
        rx.heading(TrackState.headline, as_="h1", size=rx.breakpoints(initial="8", md="9"), id="car-name"),
        rx.grid(
            rx.vstack(
                rx.cond(
                    TrackState.paths,  # Reflex reads an empty list as false
                    car_spin(
                        TrackState.spin_frames,
                        [TrackState.paths[i] for i in range(len(widths))],
                        TrackState.alt,
                        TrackState.view,
                        TrackState.view_label,
                        1,
                        TrackState.view_count,
                        sizes="(min-width: 64em) 36rem, 100vw",
                        id="tracked-car",
                    ),
                ),
                rx.el.details(
                    rx.el.summary("What's in the box: the spec", style={"cursor": "pointer", "font_weight": "500"}),
                    rx.vstack(
                        rx.foreach(
                            TrackState.spec,
                            lambda line: rx.flex(
                                rx.text(line.label, size="2", color=rx.color("gray", 11)),
                                rx.text(line.value, size="2"),
                                justify="between",
                                width="100%",
                            ),
                        ),
                        spacing="1",
                        padding_top="0.5rem",
                    ),
                    width="100%",
                ),
                rx.el.blockquote(
                    rx.text(rx.html(TrackState.narrative), size="5", id="narrative", as_="div"),
                    style={"border_left": f"4px solid {rx.color('accent', 8)}", "padding_left": "1rem", "margin": "0"},
                ),
                spacing="4",
            ),
            rx.vstack(
                rx.cond(
                    TrackState.countdown != "",
                    rx.text(TrackState.countdown, size="6", weight="bold", id="countdown"),
                ),
                rx.callout(
                    rx.text(rx.text.strong(TrackState.window_text), rx.el.br(), TrackState.status_text),
                    icon="calendar-clock",
                    color_scheme=rx.match(TrackState.status, *STATUS_COLOURS.items(), "gray"),
                    id="window",
                    width="100%",
                ),
                *(rx.cond(TrackState.preview == "", extra) for extra in beside),
                rx.el.ol(
                    rx.foreach(TrackState.steps, step_item),
                    style={"display": "grid", "gap": "0.6rem", "padding": "0", "margin": "0"},
                    aria_label="Journey stages",
                ),
                spacing="4",
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            gap="2rem",
            width="100%",
        ),
        rx.card(rx.html(TrackState.journey_picture), width="100%", id="journey-picture"),
        rx.cond(
            TrackState.fact != "",
            rx.callout(rx.text(rx.text.strong("Fact of the day: "), TrackState.fact), icon="lightbulb", width="100%"),
        ),
        rx.cond(TrackState.delivered, confetti()),
        rx.cond(TrackState.vessel.name != "", vessel_card()),
        *below,
        rx.text("Official stage last updated ", TrackState.official_updated, size="1", color=rx.color("gray", 11)),
        rx.card(
            rx.vstack(
                rx.heading("Why the ship trackers can be a step ahead of us", as_="h2", size="4"),
                rx.text(rx.html(TrackState.explainer), size="2", color=rx.color("gray", 11), as_="div", id="explainer"),
                rx.cond(
                    TrackState.explainer_video != "",
                    rx.link(
                        rx.icon("circle-play", size=16, aria_hidden="true"),
                        " Watch the short film",
                        href=TrackState.explainer_video,
                        is_external=True,
                        size="2",
                    ),
                ),
                spacing="2",
            ),
            width="100%",
        ),
        spacing="5",
        width="100%",
    )


def track_page(beside: tuple[rx.Component, ...] = (), below: tuple[rx.Component, ...] = ()) -> rx.Component:
    return page_shell(
        rx.cond(TrackState.preview != "", preview_banner("a demo order's tracker at this stage, with the draft copy.")),
        rx.cond(
            TrackState.found,
            tracker(beside, below),
            rx.vstack(
                rx.heading("Where's My Baby?", as_="h1", size=rx.breakpoints(initial="8", md="9")),
                rx.text(
                    "Your car is in good hands. Come and see how it's getting on.", size="4", color=rx.color("gray", 11)
                ),
                rx.cond(TrackState.message != "", rx.callout(TrackState.message, icon="info", color_scheme="amber")),
                lookup_form(),
                spacing="4",
            ),
        ),
        current="/track",
    )
