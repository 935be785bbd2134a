"""Home page state: the live count of cars on their way home."""

import reflex as rx

from app import db
from app.orders.fleet import cars_on_their_way


class HomeState(rx.State):
    on_the_way: int = -1  # -1 until loaded, so the page never shows a made-up number

    @rx.event
    def load(self):
        with db.session() as s:
            self.on_the_way = cars_on_their_way(s)
