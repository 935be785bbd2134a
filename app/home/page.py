"""The home page: what Motorjoy is, and the three ways in."""

import reflex as rx

from app.home.state import HomeState
from app.render import car_pictures
from app.ui.car_picture import car_picture
from app.ui.layout import page_shell, section_card


def fleet_line() -> rx.Component:
    return rx.cond(
        HomeState.on_the_way >= 0,
        rx.hstack(
            rx.box(width="0.6rem", height="0.6rem", border_radius="999px", background=rx.color("grass", 9)),
            rx.text(
                rx.cond(
                    HomeState.on_the_way == 1,
                    "1 car is on its way home right now.",
                    f"{HomeState.on_the_way} cars are on their way home right now.",
                ),
                size="2",
                color=rx.color("gray", 11),
            ),
            align="center",
            spacing="2",
            id="fleet-line",
        ),
    )


def hero() -> rx.Component:
    return rx.vstack(
        rx.badge("The small car club", size="2", variant="soft", radius="full"),
        rx.heading(
            "Build it. Name it. Watch it come home.",
            as_="h1",
            size=rx.breakpoints(initial="8", md="9"),
            letter_spacing="-0.03em",
            max_width="44rem",
        ),
        rx.text(
            "Dream up your car down to the last stripe, see the real price as you go, and follow it "
            "from the plant to your driveway. The wait is part of the fun when you can see your baby grow.",
            size="5",
            color=rx.color("gray", 11),
            max_width="40rem",
        ),
        rx.flex(
            rx.link(rx.button("Build your own", size="4"), href="/build"),
            rx.link(rx.button("Where's my baby?", size="4", variant="soft"), href="/track"),
            gap="0.75rem",
            wrap="wrap",
        ),
        fleet_line(),
        spacing="5",
        align="start",
    )


def hero_car() -> rx.Component:
    catalogue = car_pictures().catalogue
    build = catalogue.build_from("hatch", {"stripes": "stripes-twin-white", "badge_bar": "badgebar-rally"})
    return car_picture(
        build, catalogue.model(build.model).views[0], sizes="(min-width: 64em) 36rem, 100vw", id="hero-car"
    )


def home() -> rx.Component:
    return page_shell(
        rx.cond(
            HomeState.announcement != "",
            rx.callout(rx.html(HomeState.announcement), icon="megaphone", id="announcement", margin_bottom="1.5rem"),
        ),
        rx.grid(
            hero(),
            hero_car(),
            columns=rx.breakpoints(initial="1", lg="2"),
            gap="2rem",
            align_items="center",
            padding_bottom="2.5rem",
        ),
        rx.grid(
            section_card(
                "paintbrush",
                "Build your own",
                "Chili red with a white roof and twin stripes? Any colour you like, priced in full as you click.",
                "/build",
                "Start building",
            ),
            section_card(
                "ship",
                "Where's My Baby?",
                "Follow your car like a parcel: built, shipped, landed, at your dealer. Honest dates, warm words.",
                "/track",
                "Track my car",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            gap="1.25rem",
        ),
        current="/",
    )
