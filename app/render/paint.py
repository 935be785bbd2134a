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

from app.render.layers import BodyLayers, PaintIndex

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


def paint_body(canvas: Image.Image, body: BodyLayers, hex_colour: str, light_max: float) -> None:
    """Draw the paint onto a canvas that starts from the view's backdrop, trim baked in (see BodyLayers)."""
    height, width = body.index.grey.shape
    rgbx = painted_rgbx(body.index, hex_colour, light_max)
    flat = rgbx.reshape(-1)
    if body.partial.size:  # soft edges: the paint over the base by am, blended by Pillow in one row
        paint = Image.frombytes("RGB", body.partial_base.size, flat[body.partial], "raw", "RGBX")
        mixed = Image.composite(paint, body.partial_base, body.partial_alpha)
        flat[body.partial] = np.frombuffer(mixed.tobytes("raw", "RGBX"), dtype=np.uint32)
    np.copyto(rgbx, body.base, where=body.show_base)
    # frombytes unpacks RGBX into a true RGB image (frombuffer would keep it RGBX, and pasting that
    # onto the RGB canvas would convert it again).
    canvas.paste(Image.frombytes("RGB", (width, height), rgbx, "raw", "RGBX"), body.offset)


def painted_rgbx(index: PaintIndex, hex_colour: str, light_max: float) -> np.ndarray:
    """The paint over the body's box, packed RGBX: one lookup a pixel, then the coloured-gloss pixels per channel."""
    # mode 'clip' skips numpy's bounds-check buffering (a uint16 index can't leave a 65536-row table).
    rgbx = packed_paint_table(hex_colour, light_max).take(index.grey, mode="clip")
    if index.positions.size:
        table = paint_table(hex_colour, light_max)
        fixed = np.zeros((index.positions.size, 4), dtype=np.uint8)
        for c in range(3):
            fixed[:, c] = table[c].take(index.rows[c], mode="clip")
        rgbx.reshape(-1)[index.positions] = fixed.view(np.uint32).reshape(-1)
    return rgbx
