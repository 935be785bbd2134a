"""/track: Where's My Baby?"""

import reflex as rx

from app.ui.shell_page import coming_page


def track_page() -> rx.Component:
    return coming_page(
        "/track",
        "Where's My Baby?",
        "Your car is in good hands.",
        "From the plant to your driveway, follow every stage of your car's journey, with honest "
        "dates and a word from us at every step.",
        [
            "Every stage with the day it was reached: built, shipped, landed, at your dealer.",
            "An honest delivery window that narrows as your car gets closer.",
            "The ship at sea, and why public vessel trackers can be a step ahead of ours.",
            "A heads-up from us when something runs late, before you have to ask.",
        ],
    )
