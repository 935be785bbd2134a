"""Paint the body: map the shade's luminance through a dark -> paint colour -> light ramp per channel."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

from app.render.layers import BodyLayers

MID = 128  # the shade value drawn at the paint's true tone
SHADOW_FLOOR = 0.10  # shade 0 keeps 10% of a dark paint, so it keeps its hue in shadow
WHITE_SHADOW_FLOOR = 0.28  # ...and more of a light one: white's shadows read as grey, not black
HIGHLIGHT = 0.60  # shade 255 goes 60% of the way from the paint to white
BLACK_LIFT = 18  # black has no room below it, so its ramp starts from a lifted near-black


@lru_cache(maxsize=256)
def paint_luts(hex_colour: str) -> tuple[int, ...]:
    """The 768-entry lookup table (R, G, B ramps) that turns shade luminance into paint."""
    paint = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)
    paint = np.maximum(paint, BLACK_LIFT * (1 - paint.max() / 255))
    lightness = paint.min() / 255
    dark = paint * (SHADOW_FLOOR + (WHITE_SHADOW_FLOOR - SHADOW_FLOOR) * lightness)
    light = paint + (255 - paint) * HIGHLIGHT
    # One slope at the paint tone for both halves keeps the ramp free of a kink there.
    upper = 255 - MID
    mid_slope = ((paint - dark) + (light - paint) * MID / upper) / 2
    shade = np.arange(256, dtype=np.float64)[:, None]
    lower_half = _hermite(shade / MID, dark, paint, paint - dark, mid_slope)
    upper_half = _hermite((shade - MID) / upper, paint, light, mid_slope * upper / MID, light - paint)
    ramp = np.where(shade <= MID, lower_half, upper_half)
    # Hermite curves can overshoot a little; the ramp must never get darker as the shade gets lighter.
    ramp = np.maximum.accumulate(np.clip(ramp, 0, 255), axis=0)
    return tuple(np.rint(ramp).astype(np.uint8).T.reshape(-1).tolist())


def _hermite(t, start, end, start_slope, end_slope):
    t2, t3 = t * t, t * t * t
    return (
        (2 * t3 - 3 * t2 + 1) * start
        + (t3 - 2 * t2 + t) * start_slope
        + (-2 * t3 + 3 * t2) * end
        + (t3 - t2) * end_slope
    )


def paint_body(canvas: Image.Image, body: BodyLayers, hex_colour: str) -> None:
    """Draw the body onto the canvas: the trim as drawn, then the paint (see BodyLayers for why this order)."""
    for piece in body.trim:
        piece.paste_onto(canvas)
    painted = body.shade.point(paint_luts(hex_colour))
    x, y = body.offset
    for cut in body.paint:
        canvas.paste(painted.crop(cut.box), (x + cut.box[0], y + cut.box[1]), cut.mask)
