"""/dealer and /dealer/order/<number>: the dealer's desk and an order's whole story."""

import reflex as rx
from reflex.vars import ObjectVar

from app.configurator.page import price_row
from app.configurator.panel import BuildSummary
from app.dealer.state import NOT_ALLOWED, DeskState, OrderViewState
from app.orders.story import Line, OrderRow, OrderStory
from app.questions.page import answer_card, desk_questions
from app.render import car_pictures
from app.ui.car_picture import car_img
from app.ui.forms import field_label, tied_to_error
from app.ui.layout import page_shell
from app.ui.staff import not_allowed, staff_bar


def picture_of(paths, alt) -> rx.Component:
    return car_img([paths[i] for i in range(len(car_pictures().catalogue.widths))], alt, sizes="30rem")


def refused(message) -> rx.Component:
    return not_allowed(message, rx.cond(message == NOT_ALLOWED, rx.link("Go to staff sign-in", href="/signin")))


# Suggestions only: any IANA time zone is accepted (and checked) when the order is placed.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Toronto",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
    "Pacific/Auckland",
)


def field(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(
        field_label(label, f"f-{name}"),
        rx.input(
            id=f"f-{name}",
            name=name,
            size="2",
            width="100%",
            **tied_to_error(DeskState.form_error, "order-error"),
            **props,
        ),
        spacing="1",
        width="100%",
    )


def opt_in(name: str, label: str) -> rx.Component:
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, id=f"f-{name}"),
        " " + label,
        style={"display": "flex", "gap": "0.5rem", "align_items": "center", "font_size": "var(--font-size-2)"},
    )


def order_form(build: BuildSummary) -> rx.Component:
    return rx.grid(
        rx.vstack(
            picture_of(build.paths, build.alt),
            rx.heading(build.title, as_="h3", size="4"),
            rx.foreach(build.notes, lambda n: rx.callout(n, icon="triangle-alert", size="1")),
            rx.vstack(rx.foreach(build.lines, price_row), spacing="1", width="100%"),
            rx.flex(
                rx.text("Total", weight="bold"), rx.text(build.total, weight="bold"), justify="between", width="100%"
            ),
            rx.text(DeskState.delivery_estimate, size="2", color=rx.color("gray", 11), id="order-delivery-estimate"),
            spacing="2",
        ),
        rx.form(
            rx.vstack(
                rx.heading("Customer", as_="h3", size="4"),
                field("Customer's name", "name", required=True, max_length=120),
                field("Customer's email", "email", type="email", required=True, max_length=254),
                field("Phone (optional)", "phone", type="tel", max_length=40),
                field("The car's nickname (optional)", "nickname", default_value=DeskState.nickname, max_length=24),
                field(
                    "Customer's time zone (for the car's birthday card)",
                    "time_zone",
                    default_value="Europe/London",
                    max_length=60,
                    list="time-zones",
                ),
                rx.el.datalist(*(rx.el.option(value=zone) for zone in COMMON_TIME_ZONES), id="time-zones"),
                rx.el.fieldset(
                    rx.el.legend("Mail the customer has agreed to", style={"font_weight": "500"}),
                    opt_in("stage_news", "News at each stage of the journey"),
                    opt_in("club_news", "Club news: new features, now and then"),
                    style={"border": "none", "padding": "0", "display": "grid", "gap": "0.35rem"},
                ),
                invite_field(),
                rx.cond(
                    DeskState.is_admin,
                    rx.vstack(
                        field_label("Dealership", "f-dealership"),
                        rx.el.select(
                            rx.foreach(DeskState.dealerships, lambda d: rx.el.option(d.name, value=d.id)),
                            id="f-dealership",
                            name="dealership",
                        ),
                        spacing="1",
                    ),
                ),
                rx.text(DeskState.form_error, color=rx.color("red", 11), size="2", role="alert", id="order-error"),
                # The form carries its own build and idempotency key, so a retry works whatever the server lost.
                rx.el.input(type="hidden", name="code", value=build.code),
                rx.el.input(type="hidden", name="submission", value=DeskState.submission),
                rx.button("Place the order", type="submit", size="3"),
                spacing="3",
                width="100%",
            ),
            on_submit=DeskState.place,
            reset_on_submit=False,
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        gap="1.5rem",
    )


def invite_field() -> rx.Component:
    """Who invited the buyer, as their saved build remembers: the dealer corrects it, or clears it if they decline."""
    return rx.vstack(
        rx.cond(
            DeskState.invited_by != "",
            rx.callout(
                rx.text("Invited by ", rx.text.strong(DeskState.invited_by), ". Ask if they'd like to be linked."),
                icon="heart-handshake",
                size="1",
                id="invited-by",
            ),
        ),
        field(
            "Invited by (their invite link; empty if none, or if the buyer would rather not be linked)",
            "invite",
            default_value=DeskState.invite_token,
            max_length=200,
        ),
        spacing="1",
        width="100%",
    )


def order_row(row: OrderRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row.number, href=f"/dealer/order/{row.number}")),
        rx.table.cell(row.customer),
        rx.table.cell(row.car),
        rx.table.cell(row.stage),
        rx.table.cell(row.placed),
    )


def orders_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(*(rx.table.column_header_cell(h) for h in ("Order", "Customer", "Car", "Stage", "Placed")))
        ),
        rx.table.body(rx.foreach(DeskState.orders, order_row)),
        variant="surface",
        width="100%",
    )


def desk() -> rx.Component:
    return rx.vstack(
        staff_bar(DeskState),
        rx.card(
            rx.vstack(
                rx.heading("Order from a customer's build", as_="h2", size="5"),
                rx.text(
                    "Ask for the build code on their saved build (or build it with them on ",
                    rx.link("Build your own", href="/build", underline="always"),
                    " and save it).",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.form(
                    field_label("Build code", "f-code"),
                    rx.flex(
                        rx.input(
                            id="f-code",
                            name="code",
                            placeholder="e.g. 4K7QX2MN",
                            size="3",
                            max_length=20,
                            **tied_to_error(DeskState.code_error, "code-error"),
                        ),
                        rx.button("Open build", type="submit", size="3"),
                        gap="0.5rem",
                        wrap="wrap",
                    ),
                    on_submit=DeskState.open_build,
                    reset_on_submit=False,
                ),
                rx.text(DeskState.code_error, color=rx.color("red", 11), size="2", role="alert", id="code-error"),
                rx.foreach(DeskState.preview, order_form),
                spacing="3",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
        desk_questions(),
        rx.heading("Orders", as_="h2", size="5", margin_top="1rem"),
        rx.cond(DeskState.orders.length() > 0, orders_table(), rx.text("No orders yet.", color=rx.color("gray", 11))),
        spacing="4",
        width="100%",
    )


def dealer_page() -> rx.Component:
    return page_shell(
        rx.heading("Dealer desk", as_="h1", size="8", margin_bottom="1rem"),
        rx.cond(DeskState.allowed, desk(), rx.cond(DeskState.denied != "", refused(DeskState.denied))),
        current="/dealer",
    )


def story_list(title: str, lines, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, as_="h2", size="4"),
        rx.cond(
            lines.length() > 0,
            rx.el.ul(
                rx.foreach(
                    lines,
                    lambda line: rx.el.li(
                        rx.text(rx.text.strong(line.label), " · ", line.value, size="2"),
                        rx.cond(line.detail != "", rx.text(line.detail, size="1", color=rx.color("gray", 11))),
                    ),
                ),
                style={"display": "grid", "gap": "0.4rem", "padding_left": "1rem"},
            ),
            rx.text(empty, size="2", color=rx.color("gray", 11)),
        ),
        spacing="2",
        width="100%",
    )


def price_line(line: Line) -> rx.Component:
    return rx.flex(
        rx.text(line.label, size="2", color=rx.color("gray", 11)),
        rx.text(line.value, size="2"),
        justify="between",
        width="100%",
    )


def buyer_view() -> rx.Component:
    """The buyer's tracker in short, so dealer and buyer read the same facts."""
    return rx.card(
        rx.vstack(
            rx.heading("What the buyer sees", as_="h2", size="4"),
            rx.el.dl(
                rx.foreach(
                    OrderViewState.facts,
                    lambda fact: rx.box(
                        rx.el.dt(fact.label, style={"font_weight": "500"}),
                        rx.el.dd(
                            fact.value,
                            rx.cond(fact.detail != "", rx.text(fact.detail, size="1", color=rx.color("gray", 11))),
                            style={"margin": "0"},
                        ),
                    ),
                ),
                id="buyer-facts",
                style={"display": "grid", "gap": "0.5rem", "font_size": "var(--font-size-2)", "margin": "0"},
            ),
            rx.link("Open the buyer's tracker", href=OrderViewState.tracker, is_external=True, size="2"),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def story_view(story: ObjectVar[OrderStory]) -> rx.Component:
    return rx.vstack(
        rx.heading(story.title, " · order ", story.number, as_="h1", size="6", id="order-title"),
        rx.text(story.customer, " · ", story.contact, " · ", story.dealership, " · placed ", story.placed, size="2"),
        rx.grid(
            rx.vstack(
                rx.cond(story.paths.length() > 0, picture_of(story.paths, story.alt), rx.text(story.alt)),
                rx.card(
                    rx.vstack(
                        rx.heading("Spec and price, as ordered", as_="h2", size="4"),
                        rx.foreach(story.spec, price_line),
                        rx.separator(size="4"),
                        rx.foreach(story.prices, price_line),
                        rx.flex(
                            rx.text("Total", weight="bold"),
                            rx.text(story.total, weight="bold"),
                            justify="between",
                            width="100%",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    width="100%",
                ),
                spacing="3",
            ),
            rx.vstack(
                buyer_view(),
                answer_card(after_answer=OrderViewState.load),
                story_list("Journey", story.stages, "No stages yet."),
                story_list("Messages to the customer", story.mails, "Nothing sent yet."),
                story_list("Notes", story.notes, "No notes yet."),
                rx.form(
                    rx.vstack(
                        field_label("New note", "f-note"),
                        rx.text_area(
                            id="f-note",
                            name="note",
                            placeholder="For whoever helps this customer next",
                            max_length=2000,
                            width="100%",
                            **tied_to_error(OrderViewState.note_error, "note-error"),
                        ),
                        rx.text(
                            OrderViewState.note_error,
                            color=rx.color("red", 11),
                            size="2",
                            role="alert",
                            id="note-error",
                        ),
                        rx.button("Add note", type="submit", variant="soft"),
                        width="100%",
                    ),
                    on_submit=OrderViewState.add_note,
                    reset_on_submit=True,
                    width="100%",
                ),
                spacing="4",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1.5rem",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def order_page() -> rx.Component:
    return page_shell(
        rx.link("← Dealer desk", href="/dealer", size="2"),
        rx.cond(
            OrderViewState.found,
            rx.vstack(staff_bar(OrderViewState), rx.foreach(OrderViewState.story, story_view), spacing="3"),
            rx.cond(
                OrderViewState.message != "",
                rx.vstack(rx.heading("Order", as_="h1", size="6"), refused(OrderViewState.message), spacing="3"),
            ),
        ),
        current="/dealer",
    )
