"""Home page state: the live count of cars on their way home, and marketing's announcement."""

import reflex as rx

from app import db
from app.content.live import announcement
from app.content.markdown import render_markdown
from app.orders.fleet import cars_on_their_way
from app.ui.handlers import event


class HomeState(rx.State):
    on_the_way: int = -1  # -1 until loaded, so the page never shows a made-up number
    announcement: str = ""  # sanitised HTML of the studio's announcement; empty hides it

    @event
    def load(self):
        with db.session() as s:
            self.on_the_way = cars_on_their_way(s)
        text = announcement()
        self.announcement = render_markdown(text) if text else ""
