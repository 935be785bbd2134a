"""The learnt delivery window on /build, under the price: "Order today, expect it between … and …".

A substate of the configurator's state, so it reads the model on screen; it lives here because the
configurator may not import tracking (orders import the configurator, and tracking imports orders).
"""

import reflex as rx

from app.configurator.state import BuildState
from app.content.live import journey
from app.tracking.window import expected_for_new_order


class BuildEstimateState(BuildState):
    @rx.var
    def delivery_estimate(self) -> str:
        """Learnt from the finished journeys of the model on screen (relearnt every ten minutes)."""
        return expected_for_new_order(self.model_id, journey()) if self.model_id else ""


def estimate_line() -> rx.Component:
    return rx.cond(
        BuildEstimateState.delivery_estimate != "",
        rx.flex(
            rx.icon("calendar-clock", size=16, aria_hidden="true", flex_shrink="0"),
            rx.text(BuildEstimateState.delivery_estimate, size="2", id="delivery-estimate"),
            gap="0.5rem",
            align="center",
            color=rx.color("gray", 11),
        ),
    )
