"""Paint the body from the renderer's passes: the colour times the light on it, plus its reflections.

For a paint hex, per channel: `a = srgb_to_linear(hex)`, `linear = a * light + gloss`, and the painted
pixel is `linear_to_srgb(clip(linear, 0, 1))` (Blender's "Standard" view transform). `light` comes from
the body_light byte v as `light_max * (v / 255) ** 2.2`, `gloss` from the body_gloss byte through the
sRGB curve. A pixel's colour therefore depends only on (v, gloss byte) per channel, so the whole formula
is one 256 x 256 table per channel and hex, looked up with an index the layer library prepares once.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

from app.render.layers import BodyLayers

LIGHT_GAMMA = 2.2  # how body_light stores light (see the layer contract in layers/README.md)


def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """sRGB-encoded values in 0..1 to linear light (the IEC 61966-2-1 curve)."""
    values = np.asarray(values, dtype=np.float64)
    return np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(values: np.ndarray) -> np.ndarray:
    """Linear light in 0..1 to sRGB-encoded values in 0..1."""
    values = np.clip(np.asarray(values, dtype=np.float64), 0, 1)
    return np.where(values <= 0.0031308, values * 12.92, 1.055 * values ** (1 / 2.4) - 0.055)


def hex_linear(hex_colour: str) -> np.ndarray:
    """'#RRGGBB' as three linear channel values."""
    return srgb_to_linear(np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255)


def light_from_bytes(light: np.ndarray, light_max: float) -> np.ndarray:
    return light_max * (np.asarray(light, dtype=np.float64) / 255) ** LIGHT_GAMMA


def paint_reference(hex_colour: str, light: np.ndarray, gloss: np.ndarray, light_max: float) -> np.ndarray:
    """The contract's formula in floating point: sRGB 0..255 (unrounded) for light (H, W) and gloss (H, W, 3) bytes."""
    linear = hex_linear(hex_colour) * light_from_bytes(light, light_max)[..., None]
    linear = linear + srgb_to_linear(np.asarray(gloss, dtype=np.float64) / 255)
    return linear_to_srgb(linear) * 255


@lru_cache(maxsize=64)
def paint_table(hex_colour: str, light_max: float) -> np.ndarray:
    """(3, 65536) bytes: channel c of a pixel with light byte v and gloss byte g is table[c, v * 256 + g]."""
    light = light_from_bytes(np.arange(256), light_max)
    gloss = srgb_to_linear(np.arange(256) / 255)
    linear = hex_linear(hex_colour)[:, None, None] * light[None, :, None] + gloss[None, None, :]
    table = np.rint(linear_to_srgb(linear) * 255).astype(np.uint8).reshape(3, 65536)
    table.flags.writeable = False
    return table


@lru_cache(maxsize=64)
def packed_paint_table(hex_colour: str, light_max: float) -> np.ndarray:
    """`paint_table` as one uint32 a row holding the bytes R, G, B, 0: one lookup paints a grey-gloss pixel."""
    rgbx = np.zeros((65536, 4), dtype=np.uint8)
    rgbx[:, :3] = paint_table(hex_colour, light_max).T
    packed = rgbx.view(np.uint32).reshape(65536)
    packed.flags.writeable = False
    return packed


def painted_box(index: tuple[np.ndarray, ...], hex_colour: str, light_max: float) -> Image.Image:
    """The paint over the body's box: one packed lookup for a grey gloss, else one per channel."""
    height, width = index[0].shape
    # mode 'clip' skips numpy's bounds-check buffering (a uint16 index can't leave a 65536-row table).
    if len(index) == 1:
        rgbx = packed_paint_table(hex_colour, light_max).take(index[0], mode="clip")
        return Image.frombuffer("RGB", (width, height), rgbx, "raw", "RGBX", 0, 1)
    table = paint_table(hex_colour, light_max)
    return Image.merge("RGB", [Image.fromarray(table[c].take(index[c], mode="clip"), "L") for c in range(3)])


def paint_body(canvas: Image.Image, body: BodyLayers, hex_colour: str, light_max: float) -> None:
    """Draw the body onto the canvas: the trim as rendered, then the paint (see BodyLayers for why this order)."""
    for piece in body.trim:
        piece.paste_onto(canvas)
    if not body.paint:
        return
    painted = painted_box(body.index, hex_colour, light_max)
    x, y = body.offset
    for cut in body.paint:
        canvas.paste(painted.crop(cut.box), (x + cut.box[0], y + cut.box[1]), cut.mask)
