"""The car's spin: one picture that turns through every angle of a build, driven by assets/spin.js.
It shows each angle as a stack of pictures once the build changes (see assets/spin.js).

The page renders the angle the state names (so the picture is right before any script runs); the
script turns it in the browser, preloading the other angles, and tells the state the angle it stopped
at through the hidden sync button (when the page wants to know, e.g. for the share link).
"""

import json
from collections.abc import Sequence

import reflex as rx
from reflex.vars import Var

from app.render import car_pictures
from app.ui.car_picture import car_img

HELP = "Drag the car or use the arrow keys to walk round it."


def turn_button(text: str, icon: str, step: int) -> rx.Component:
    return rx.button(
        rx.icon(icon, size=16, aria_hidden="true"),
        text,
        type="button",
        variant="soft",
        size="2",
        custom_attrs={"data-turn": str(step)},
    )


def car_spin(
    frames: Var[str] | str,
    paths: Sequence[Var[str] | str],
    alt: Var[str] | str,
    view: Var[str] | str,
    label: Var[str] | str,
    position: Var | int,
    count: Var | int,
    *,
    sizes: str,
    on_sync=None,
    id: str = "car-picture",
    data: dict[str, Var | str] | None = None,
) -> rx.Component:
    """The spin for a build: `frames` is CarPictures.spin_frames as JSON; `view`, `label`, `position`
    (1-based) and `count` describe the angle the page opens at; `on_sync(view)` hears where turning stopped.
    `data`: more data-* attributes for scripts that feed the spin its frames (assets/predict.js)."""
    sync = []
    if on_sync is not None:
        current = Var(_js_expr="(document.querySelector('[data-spin]')?.dataset.view ?? '')").to(str)
        sync = [
            rx.el.button(
                hidden=True,
                tab_index=-1,
                aria_hidden="true",
                on_click=on_sync(current),
                custom_attrs={"data-spin-sync": ""},
            )
        ]
    return rx.el.div(
        rx.el.div(
            car_img(paths, alt, sizes=sizes, id=id, draggable=False),
            # The pieces of the build's stack, which spin.js lays over the picture (the picture's alt says it all).
            rx.el.div(class_name="spin-pieces", aria_hidden="true", custom_attrs={"data-spin-pieces": ""}),
            # The slider lies over the picture rather than around it: a slider's content is presentational,
            # and the picture's alt text must still be read.
            rx.el.div(
                role="slider",
                tab_index=0,
                aria_label="Turn the car",
                aria_valuemin=1,
                aria_valuemax=count,
                aria_valuenow=position,
                aria_valuetext=label,
                aria_describedby="spin-help",
                class_name="spin-handle",
            ),
            class_name="spin-stage",
        ),
        rx.el.div(
            turn_button("Turn left", "rotate-ccw", -1),
            # The label is an attribute the stylesheet shows, not text: spin.js rewrites it as the car turns,
            # and a text node the script replaced made React's next update of it throw (removeChild),
            # which took the whole page down.
            rx.el.span(class_name="spin-label", aria_hidden="true", custom_attrs={"data-spin-label": label}),
            turn_button("Turn right", "rotate-cw", 1),
            class_name="spin-controls no-print",
        ),
        rx.el.p(HELP, id="spin-help", class_name="spin-help no-print"),
        *sync,
        rx.script(src="/spin.js"),
        class_name="car-spin",
        custom_attrs={
            "data-spin": "",
            "data-frames": frames,
            "data-server-view": view,
            "data-widths": json.dumps(list(car_pictures().catalogue.widths)),
            **(data or {}),
        },
    )
