"""/build: the configurator. Every number and rule on it comes from the catalogue via BuildState."""

from typing import cast

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar, Var

from app.catalog.rules import Fix
from app.configurator.panel import BASE_LINE, DESTINATION_LINE, ChangeRow, OptionCard, OptionGroup, PriceRow
from app.configurator.state import BuildState
from app.render import car_pictures
from app.ui.forms import field_label, tied_to_error
from app.ui.layout import page_shell
from app.ui.preview import preview_banner
from app.ui.spin import car_spin

# The state's dicts as the page reads them, keyed by slot or option id (typed for mypy: Reflex's own
# overloads see a dict field as an array).
CHOICES = cast(ObjectVar[dict[str, str]], BuildState.choice_ids)
BLOCKED = cast(ObjectVar[dict[str, list[int | str]]], BuildState.blocked)
WORDS = cast(ArrayVar[list[str]], BuildState.words)
DETAILS = cast(ObjectVar[dict[str, str]], BuildState.details)
BILL = cast(ObjectVar[dict[str, PriceRow]], BuildState.bill)

# How wide the car is drawn: the page's srcset and the preload sent with its HTML must agree on it.
PICTURE_SIZES = "(min-width: 64em) 40rem, 100vw"


def picture_panel() -> rx.Component:
    # The spin's frames come from assets/predict.js, worked out from the build below: the server sends
    # the build (a few ids) per pick, not 24 picture URLs, and a pick's picture can start before it answers.
    # predict.js keeps the page's address in step with it too (with the view the spin's data-server-view
    # names, the saved code, and whether this is the studio's preview), once the page has loaded.
    return rx.box(
        car_spin(
            "",
            [BuildState.picture_paths[i].to(str) for i in range(len(car_pictures().catalogue.widths))],
            BuildState.picture_alt,
            BuildState.view,
            BuildState.view_label,
            BuildState.view_position,
            BuildState.view_count,
            sizes=PICTURE_SIZES,
            on_sync=BuildState.pick_view,
            data={
                "data-catalogue": BuildState.catalogue_data,
                "data-model": BuildState.model_id,
                "data-choices": CHOICES.to_string(),
                "data-hex": BuildState.hex,
                "data-paint-word": BuildState.paint_word,
                "data-code": BuildState.saved_code,
                "data-previewing": cast(Var[bool], BuildState.previewing),
                "data-hydrated": cast(Var[bool], rx.State.is_hydrated),
            },
        ),
        rx.script(src="/predict.js"),
        width="100%",
    )


def price_row(label, amount) -> rx.Component:
    return rx.flex(
        rx.text(label, size="2", color=rx.color("gray", 11)),
        rx.text(amount, size="2", weight="medium", style={"font_variant_numeric": "tabular-nums"}),
        justify="between",
        gap="1rem",
        width="100%",
    )


def price_panel(near_total: tuple[rx.Component, ...] = ()) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(
                rx.cond(BuildState.nickname != "", f"{BuildState.nickname}, your ", "Your "),
                BuildState.model_name,
                as_="h2",
                size="4",
            ),
            rx.vstack(*bill_rows(), spacing="1", width="100%"),
            rx.separator(size="4"),
            rx.flex(
                rx.text("Total", weight="bold", size="4"),
                rx.text(BuildState.total, weight="bold", size="5", id="total"),
                justify="between",
                align="baseline",
                width="100%",
            ),
            *near_total,
            # Screen readers hear the new total after each change, without having to look for it.
            rx.text(f"Total {BuildState.total}", class_name="sr-only", role="status", aria_live="polite"),
            save_controls(),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def bill_rows() -> list[rx.Component]:
    """The bill as app.catalog.pricing.quote lists it, from lines sent once and the build's option ids."""
    rows = [price_row(*bill_line(BASE_LINE))]
    for slot in car_pictures().catalogue.choice_slots:
        label, amount = bill_line(CHOICES[slot])
        # quote() names the customer's own paint with its code, e.g. "Any colour you like (#1A2B3C)".
        custom = slot == "colour" and BuildState.custom_colour
        rows.append(price_row(rx.cond(custom, f"{label} ({BuildState.hex})", label), amount))
    rows.append(price_row(*bill_line(DESTINATION_LINE)))
    return rows


def bill_line(key) -> tuple[Var[str], Var[str]]:
    line = cast(ObjectVar[dict[str, str]], BILL[key])  # a PriceRow as the browser holds it
    return line["label"].to(str), line["amount"].to(str)


def save_controls() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.button(rx.icon("bookmark", size=16), "Save this build", on_click=BuildState.save, size="3"),
            rx.button(rx.icon("link", size=16), "Copy link", on_click=BuildState.copy_link, size="3", variant="soft"),
            rx.button(
                rx.icon("printer", size=16),
                "Print summary",
                on_click=rx.call_script("window.print()"),
                size="3",
                variant="soft",
            ),
            gap="0.5rem",
            wrap="wrap",
            class_name="no-print",
        ),
        rx.cond(
            BuildState.saved_code != "",
            rx.flex(
                rx.text("Build code ", rx.code(BuildState.saved_code, id="build-code"), size="2"),
                rx.link("Compare it with another build", href=f"/compare?codes={BuildState.saved_code}", size="2"),
                gap="1rem",
                wrap="wrap",
            ),
        ),
        spacing="2",
    )


class Blocked:
    """One option's card state as the page reads it from BuildState.words and .blocked (see panel.CardStates)."""

    def __init__(self, option_id: Var[str], blocked: Var, words: Var) -> None:
        self.cards = cast(ObjectVar[dict[str, list[int | str]]], blocked)
        self.words = cast(ArrayVar[list[str]], words)
        self.option_id = option_id

    @property
    def now(self) -> Var[bool]:
        return self.cards.contains(self.option_id)

    @property
    def _card(self) -> ArrayVar[list[int | str]]:
        return cast(ArrayVar[list[int | str]], self.cards[self.option_id])

    @property
    def reason(self) -> Var[str]:
        return self.words[self._card[0].to(int)].to(str)

    @property
    def has_fix(self) -> Var[bool]:
        return self._card.length() == 3

    @property
    def fix(self) -> str:
        """The fix's words with the page's values in (a str Reflex reads as a template)."""
        return Fix.wording(f"{self.words[self._card[1].to(int)].to(str)}", f"{self._card[2].to(str)}")


def option_item(option: OptionCard, chosen: Var[str], blocked: Blocked, paint: Var[str]) -> rx.Component:
    # Each card gets only its own values, so React re-renders just the cards a pick changed.
    return option_card(
        option_id=option.id,
        name=option.name,
        price=option.price,
        # The custom colour's swatch is the customer's paint once it is chosen.
        swatch=rx.cond(option.custom & (chosen == option.id), paint, option.swatch),
        title=rx.cond(blocked.now, blocked.reason, option.description),
        blocked=blocked.now,
    )


@rx.memo
def option_card(
    option_id: rx.Var[str],
    name: rx.Var[str],
    price: rx.Var[str],
    swatch: rx.Var[str],
    title: rx.Var[str],
    blocked: rx.Var[bool],
) -> rx.Component:
    return rx.radio_cards.item(
        rx.hstack(
            rx.cond(
                swatch != "",
                rx.box(
                    width="1.5rem",
                    height="1.5rem",
                    border_radius="999px",
                    background=swatch,
                    border=f"1px solid {rx.color('gray', 7)}",
                    flex_shrink="0",
                    aria_hidden="true",
                ),
            ),
            rx.vstack(
                rx.text(name, size="2", weight="medium"),
                rx.text(price, size="1", color=rx.color("gray", 11)),
                spacing="0",
                align="start",
            ),
            align="center",
            spacing="2",
            width="100%",
        ),
        value=option_id,
        disabled=blocked,
        # The price is part of what a screen reader hears, and a blocked option says why it is blocked.
        aria_label=f"{name}, {price}",
        aria_describedby=rx.cond(blocked, f"blocked-{option_id}", ""),
        # assets/predict.js draws this option's picture as it is hovered, focused and picked.
        custom_attrs={"data-predict-option": option_id, "title": title},
    )


def blocked_note(option: OptionCard, blocked: Blocked) -> rx.Component:
    fix = blocked.fix
    return rx.cond(
        blocked.now,
        rx.flex(
            rx.text(
                rx.text.strong(option.name),
                f": {blocked.reason}",
                size="2",
                color=rx.color("gray", 11),
                id=f"blocked-{option.id}",
            ),
            rx.cond(
                blocked.has_fix,
                rx.button(
                    fix,
                    on_click=BuildState.pick(option.id),
                    size="1",
                    variant="soft",
                    aria_label=f"Make {option.name} possible: {fix}",
                    custom_attrs={"data-predict-option": option.id},
                    # A long fix wraps instead of pushing a 320 px screen sideways.
                    style={"white_space": "normal", "height": "auto !important", "min_height": "var(--space-5)"},
                    max_width="100%",
                    padding_y="0.25rem",
                ),
            ),
            gap="0.5rem",
            align="center",
            wrap="wrap",
        ),
    )


def custom_colour_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.el.input(
                type="color",
                value=BuildState.hex,
                on_change=BuildState.pick_custom_colour.debounce(250),
                aria_label="Pick any colour",
                style={"width": "2.75rem", "height": "2.25rem", "border": "none", "background": "none"},
            ),
            field_label("Colour code (hex)", "hex"),
            rx.input(
                id="hex",
                name="hex",
                placeholder="#1A2B3C",
                default_value=rx.cond(BuildState.custom_colour, BuildState.hex, ""),
                max_length=7,
                size="2",
                width="8rem",
                **tied_to_error(BuildState.hex_error, "hex-error"),
            ),
            rx.button("Paint it", type="submit", size="2", variant="soft"),
            gap="0.5rem",
            align="center",
            wrap="wrap",
        ),
        rx.text(BuildState.hex_error, id="hex-error", size="2", color=rx.color("red", 11), role="alert"),
        on_submit=BuildState.paint_form,
        reset_on_submit=False,
    )


def option_group(group: OptionGroup) -> rx.Component:
    # The cards and the notes are memoised components given only their values (the paint only to the
    # colours), so an answer re-renders the groups it changed. Re-rendering every group's Radix radio
    # machinery was most of the main thread's work when an answer landed, and the picked picture's load
    # waited behind it. The paint form reads the state itself, so it stays outside them.
    chosen = CHOICES[group.slot].to(str)
    return rx.el.section(
        option_choices(
            group=group,
            chosen=chosen,
            detail=DETAILS[chosen].to(str),
            blocked=BLOCKED,
            words=WORDS,
            paint=rx.cond(group.slot == "colour", BuildState.hex, ""),
        ),
        rx.cond(group.slot == "colour", rx.box(custom_colour_form(), padding_top="0.5rem")),
        option_notes(group=group, blocked=BLOCKED, words=WORDS),
        padding_bottom="1.25rem",
    )


@rx.memo
def option_choices(
    group: rx.Var[OptionGroup],
    chosen: rx.Var[str],
    detail: rx.Var[str],
    blocked: rx.Var[dict[str, list[int | str]]],
    words: rx.Var[list[str]],
    paint: rx.Var[str],
) -> rx.Component:
    this_group = cast(ObjectVar[OptionGroup], group)
    return rx.fragment(
        rx.heading(this_group.label, as_="h2", size="4", id=f"slot-{this_group.slot}"),
        rx.radio_cards.root(
            rx.foreach(
                this_group.options,
                lambda option: option_item(option, chosen, Blocked(option.id, blocked, words), paint),
            ),
            value=chosen,
            on_value_change=BuildState.pick,
            columns=rx.breakpoints(initial="2", sm="3"),
            gap="0.5rem",
            size="1",
            aria_labelledby=f"slot-{this_group.slot}",
        ),
        rx.text(detail, size="2", color=rx.color("gray", 11), padding_top="0.5rem"),
    )


@rx.memo
def option_notes(
    group: rx.Var[OptionGroup], blocked: rx.Var[dict[str, list[int | str]]], words: rx.Var[list[str]]
) -> rx.Component:
    this_group = cast(ObjectVar[OptionGroup], group)
    return rx.vstack(
        rx.foreach(this_group.options, lambda option: blocked_note(option, Blocked(option.id, blocked, words))),
        spacing="1",
        padding_top="0.5rem",
    )


def model_picker() -> rx.Component:
    return rx.el.section(
        rx.heading("Model", as_="h2", size="4", id="slot-model"),
        rx.radio_cards.root(
            *(
                rx.radio_cards.item(
                    rx.vstack(
                        rx.text(model.name, weight="bold"),
                        rx.text(model.tagline, size="1", color=rx.color("gray", 11)),
                        spacing="0",
                        align="start",
                    ),
                    value=model.id,
                    aria_label=model.name,
                )
                for model in car_pictures().catalogue.models
            ),
            value=BuildState.model_id,
            on_value_change=BuildState.pick_model,
            columns="2",
            gap="0.5rem",
            aria_labelledby="slot-model",
        ),
        padding_bottom="1.25rem",
    )


def nickname_field() -> rx.Component:
    return rx.el.section(
        rx.heading("Name your car", as_="h2", size="4"),
        rx.text(
            "Optional, but a car called McGregor gets called McGregor everywhere.", size="2", color=rx.color("gray", 11)
        ),
        rx.input(
            default_value=BuildState.nickname,
            on_blur=BuildState.set_nickname,
            placeholder="McGregor",
            max_length=40,
            aria_label="Nickname",
            **tied_to_error(BuildState.nickname_error, "nickname-error"),
            size="3",
            margin_top="0.5rem",
        ),
        rx.text(BuildState.nickname_error, id="nickname-error", size="2", color=rx.color("red", 11), role="alert"),
    )


def notes() -> rx.Component:
    return rx.box(
        changes_since(),
        rx.foreach(
            BuildState.notes,
            lambda note: rx.callout(note, icon="info", size="1", margin_bottom="0.5rem"),
        ),
        aria_live="polite",
        width="100%",
    )


def change_line(row: ChangeRow) -> rx.Component:
    return rx.el.li(
        rx.text(row.sentence, size="2"),
        rx.cond(
            row.prices != "",
            rx.text(
                rx.el.span(row.prices, aria_hidden="true"),
                rx.el.span(row.aria, class_name="sr-only"),
                size="2",
                weight="bold",
                white_space="nowrap",
                style={"font_variant_numeric": "tabular-nums"},
            ),
        ),
        style={"display": "flex", "justify_content": "space-between", "gap": "0.75rem", "align_items": "baseline"},
    )


def changes_since() -> rx.Component:
    """What changed since the build was saved or linked, one line per change, with both prices."""
    return rx.cond(
        BuildState.changes.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("info")),
            rx.box(
                rx.text(BuildState.changes_since, weight="bold", size="2", as_="p"),
                rx.el.ul(
                    rx.foreach(BuildState.changes, change_line),
                    style={
                        "list_style": "none",
                        "margin": "0.25rem 0 0",
                        "padding": "0",
                        "display": "grid",
                        "gap": "0.35rem",
                    },
                ),
                width="100%",
            ),
            size="1",
            margin_bottom="0.5rem",
            id="build-changes",
        ),
    )


def phone_total() -> rx.Component:
    # Read from the same state as the price panel; screen readers already hear each new total there.
    return rx.flex(
        rx.text("Total", weight="bold", size="3"),
        rx.text(BuildState.total, weight="bold", size="3", style={"font_variant_numeric": "tabular-nums"}),
        justify="between",
        width="100%",
        display=rx.breakpoints(initial="flex", lg="none"),
        aria_hidden="true",
    )


def waiting() -> rx.Component:
    return rx.skeleton(rx.box(height="24rem", width="100%"), loading=True)


def configurator(near_total: tuple[rx.Component, ...] = ()) -> rx.Component:
    # On a wide screen the picture and price stay in view beside the options (scrolling inside their
    # column if the screen is short, so no focused button sits below the fold). On a phone the column
    # dissolves (display: contents): a compact picture and the total follow the options under the
    # header, and everything else comes in reading order, the same for eyes and for the Tab key.
    # The picture is there before the build is (the server draws the requested car into the page's
    # HTML, see first_load.py), in its place for good: only the rest waits for the state.
    return rx.grid(
        rx.flex(
            rx.box(
                picture_panel(),
                rx.cond(BuildState.ready, phone_total()),
                id="build-stage",
                width="100%",
                class_name="print-first",
            ),
            notes(),
            rx.box(rx.cond(BuildState.ready, price_panel(near_total), waiting()), width="100%"),
            display=rx.breakpoints(initial="contents", lg="flex"),
            direction="column",
            gap="1rem",
            position="sticky",
            top="5rem",
            max_height="calc(100vh - 6rem)",
            overflow_y="auto",
            align_self="start",
            class_name="build-aside",
        ),
        rx.box(
            rx.cond(
                BuildState.ready,
                rx.fragment(model_picker(), rx.foreach(BuildState.groups, option_group), nickname_field()),
                waiting(),
            ),
            class_name="no-print",
        ),
        columns=rx.breakpoints(initial="1", lg="2"),
        gap="2rem",
        class_name="print-single",
    )


def build_page(above: tuple[rx.Component, ...] = (), near_total: tuple[rx.Component, ...] = ()) -> rx.Component:
    """/build; `above` goes under the heading (an invite note), `near_total` under the price (delivery window)."""
    return page_shell(
        rx.cond(
            BuildState.previewing,
            preview_banner("the configurator with every draft colour, price, rule and layer; nothing is saved here."),
        ),
        rx.heading("Build your own", as_="h1", size=rx.breakpoints(initial="7", md="8"), margin_bottom="1.5rem"),
        *above,
        rx.cond(
            ~BuildState.ready & (BuildState.notes.length() > 0),
            rx.callout(BuildState.notes[0], icon="lock", color_scheme="amber", id="not-allowed"),
            configurator(near_total),
        ),
        current="/build",
    )
