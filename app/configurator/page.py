"""/build: the configurator."""

import reflex as rx

from app.ui.shell_page import coming_page


def build_page() -> rx.Component:
    return coming_page(
        "/build",
        "Build your own",
        "Your car, exactly as you dream it.",
        "Pick a body, a colour (any colour, even one we never thought of), a roof, stripes, badges "
        "and wheels, and watch the picture and the price change the moment you click.",
        [
            "A live picture of your exact build, from the side and from the front.",
            "Every price line in full: base price, each option, delivery, the total.",
            "Save your build, give your car a name, and share the link.",
            "Your dealer orders from the very same build: nothing lost in translation.",
        ],
    )
