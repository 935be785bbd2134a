"""Decode every layer once, crop it to what it shows, and keep a ready copy per output width."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

from app.catalog import Catalogue

# A view whose gloss channels never differ by more than this is painted through one packed lookup
# instead of three (the renders' reflections of a grey studio are grey); one level of gloss moves the
# paint by at most one level.
GREY_GLOSS_TOLERANCE = 1
# Layers are cut into tiles this size: empty tiles are dropped, fully opaque runs are pasted
# without a mask (a plain copy, ~20x faster than a masked blend), and only the edges are blended.
TILE = 64


@dataclass(frozen=True)
class Layer:
    """One piece of a layer: RGB pixels, where they go on the canvas, and their alpha (None = opaque)."""

    image: Image.Image
    offset: tuple[int, int]
    mask: Image.Image | None = None

    def paste_onto(self, canvas: Image.Image) -> None:
        canvas.paste(self.image, self.offset, self.mask)


@dataclass(frozen=True)
class Cut:
    """Where to take a piece from a picture (`box`) and its alpha there (None = opaque)."""

    box: tuple[int, int, int, int]
    mask: Image.Image | None


@dataclass(frozen=True)
class BodyLayers:
    """The body, prepared so that painting it is three table lookups and a few plain pastes.

    The result must be silhouette alpha `a` x (mask `m` x paint + (1 - m) x shade) over the canvas.
    Pasting `trim` (the shade as rendered) with alpha a(1-m)/(1-am) first, then the paint with alpha
    am, gives exactly that. `index` holds each pixel's row in the paint table (light byte * 256 +
    gloss byte, see app.render.paint) over the body's box: one array when the gloss is grey, else
    one per channel; `paint` says which parts of the painted box to paste; boxes are relative to `offset`.
    """

    index: tuple[np.ndarray, ...]
    offset: tuple[int, int]
    paint: tuple[Cut, ...]
    trim: tuple[Layer, ...]


class LayerLibrary:
    """A catalogue's layers, decoded and pre-shrunk one view at a time on first use; read-only once loaded.

    Eight angles of two models take ~20 s to decode on a small machine, so a view is decoded when a
    picture of it is first wanted (about a second), and `load_all` does the rest ahead of time.
    """

    def __init__(self, catalogue: Catalogue, *, eager: bool = False) -> None:
        self.catalogue = catalogue
        self._layers: dict[tuple[str, str, int, str], tuple[Layer, ...]] = {}
        self._bodies: dict[tuple[str, str, int], BodyLayers] = {}
        self._loaded: set[tuple[str, str]] = set()
        self._locks = {(m.id, v): threading.Lock() for m in catalogue.models for v in m.views}
        if eager:
            self.load_all()

    def load_all(self) -> None:
        """Decode every view not decoded yet: each model's hero angle first, as pages ask for it most."""
        models = self.catalogue.models
        for position in range(max(len(m.views) for m in models)):
            for model in models:
                if position < len(model.views):
                    self._ensure(model.id, model.views[position])

    def backdrop(self, model: str, view: str, width: int) -> Layer:
        self._ensure(model, view)
        return self._layers[(model, view, width, "backdrop")][0]

    def glass(self, model: str, view: str, width: int) -> tuple[Layer, ...]:
        self._ensure(model, view)
        return self._layers.get((model, view, width, "glass"), ())

    def option(self, model: str, view: str, width: int, option_id: str) -> tuple[Layer, ...]:
        """The option's layer pieces; empty when the option draws nothing (or nothing visible)."""
        self._ensure(model, view)
        return self._layers.get((model, view, width, "option:" + option_id), ())

    def body(self, model: str, view: str, width: int) -> BodyLayers:
        self._ensure(model, view)
        return self._bodies[(model, view, width)]

    def _ensure(self, model: str, view: str) -> None:
        if (model, view) in self._loaded:
            return
        # One lock per view: a request for one angle never waits while another angle is decoded.
        with self._locks[(model, view)]:
            if (model, view) not in self._loaded:
                self._load_view(model, view)
                self._loaded.add((model, view))

    @property
    def nbytes(self) -> int:
        """Approximate pixel memory held (Pillow stores RGB and RGBA as 4 bytes a pixel)."""
        pieces = [piece for pieces in list(self._layers.values()) for piece in pieces]
        images = []
        index_bytes = 0
        for body in list(self._bodies.values()):
            pieces += body.trim
            images += [cut.mask for cut in body.paint if cut.mask]
            index_bytes += sum(channel.nbytes for channel in body.index)
        images += [piece.image for piece in pieces] + [piece.mask for piece in pieces if piece.mask]
        return index_bytes + sum(_image_bytes(image) for image in images)

    def _load_view(self, model: str, view: str) -> None:
        path = self.catalogue.layer_path
        backdrop = _decode(path(model, view, "backdrop"), "RGB")
        shade = _decode(path(model, view, "body_shade"), "RGBA")
        mask = _decode(path(model, view, "body_mask"), "L")
        light = _decode(path(model, view, "body_light"), "L")
        gloss = _decode(path(model, view, "body_gloss"), "RGB")
        layers = {"glass": _decode(path(model, view, "glass"), "RGBA")}
        for option in self.catalogue.options:
            if option.draws and option.available_on(model):
                layers["option:" + option.id] = _decode(path(model, view, option.id, option.slot), "RGBA")
        for width in self.catalogue.widths:
            size = (width, self.catalogue.height_for(width))
            self._layers[(model, view, width, "backdrop")] = (Layer(_shrink(backdrop, size), (0, 0)),)
            for name, image in layers.items():
                pieces = _visible_pieces(_shrink(image, size))
                if pieces:
                    self._layers[(model, view, width, name)] = pieces
            passes = (_shrink(image, size) for image in (shade, mask, light, gloss))
            self._bodies[(model, view, width)] = _body_layers(*passes)


def _decode(path, mode: str) -> Image.Image:
    with Image.open(path) as image:
        if mode == "L" and image.mode != "L":
            # Lossless WebP has no greyscale mode: a single-channel pass is stored as R = G = B.
            return image.getchannel("R")
        return image.convert(mode)


def _shrink(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    # Shrink the full canvas before cropping so every layer lands on the same pixel grid.
    if image.size == size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _visible_pieces(image: Image.Image) -> tuple[Layer, ...]:
    """An RGBA layer as tiled pieces (see TILE)."""
    return _pieces(image.convert("RGB"), np.asarray(image.getchannel("A")))


def _pieces(colour: Image.Image, alpha: np.ndarray, origin: tuple[int, int] = (0, 0)) -> tuple[Layer, ...]:
    return tuple(
        Layer(colour.crop(cut.box), (origin[0] + cut.box[0], origin[1] + cut.box[1]), cut.mask) for cut in _cuts(alpha)
    )


def _cuts(alpha: np.ndarray) -> tuple[Cut, ...]:
    """Where `alpha` shows anything: per band of TILE rows, runs of opaque or partial tiles, tightened."""
    cuts = []
    height, width = alpha.shape
    for y0 in range(0, height, TILE):
        band = alpha[y0 : y0 + TILE]
        kinds = [_tile_kind(band[:, x0 : x0 + TILE]) for x0 in range(0, width, TILE)]
        x0 = 0
        for kind, run in itertools.groupby(kinds):
            x1 = min(width, x0 + TILE * len(list(run)))
            if kind != "empty":
                cuts.append(_cut(alpha, (x0, y0, x1, y0 + band.shape[0])))
            x0 = x1
    return tuple(cuts)


def _tile_kind(tile: np.ndarray) -> str:
    if not tile.any():
        return "empty"
    return "opaque" if tile.min() == 255 else "partial"


def _cut(alpha: np.ndarray, box: tuple[int, int, int, int]) -> Cut:
    x0, y0, x1, y1 = box
    region = alpha[y0:y1, x0:x1]
    rows, cols = np.flatnonzero(region.any(axis=1)), np.flatnonzero(region.any(axis=0))
    x0, x1, y0, y1 = (int(v) for v in (x0 + cols[0], x0 + cols[-1] + 1, y0 + rows[0], y0 + rows[-1] + 1))
    region = alpha[y0:y1, x0:x1]
    mask = None if region.min() == 255 else Image.fromarray(np.ascontiguousarray(region), "L")
    return Cut((x0, y0, x1, y1), mask)


def _body_layers(shade: Image.Image, mask: Image.Image, light: Image.Image, gloss: Image.Image) -> BodyLayers:
    box = shade.getchannel("A").getbbox() or (0, 0, 1, 1)
    shade, mask, light, gloss = (image.crop(box) for image in (shade, mask, light, gloss))
    a = np.asarray(shade.getchannel("A"), dtype=np.float32) / 255
    m = np.asarray(mask, dtype=np.float32) / 255
    paint = a * m
    with np.errstate(divide="ignore", invalid="ignore"):
        trim = np.where(paint < 1, a * (1 - m) / (1 - paint), 0)
    origin = (box[0], box[1])
    trim_pieces = _pieces(shade.convert("RGB"), _to_byte(trim), origin)
    return BodyLayers(_paint_index(light, gloss), origin, _cuts(_to_byte(paint)), trim_pieces)


def _paint_index(light: Image.Image, gloss: Image.Image) -> tuple[np.ndarray, ...]:
    """Each pixel's row in the paint table, light byte * 256 + gloss byte (uint16): once if the gloss is grey."""
    rows = np.asarray(light, dtype=np.uint16) << 8
    channels = [np.asarray(gloss.getchannel(c), dtype=np.int16) for c in range(3)]
    spread = max(int(np.abs(channels[0] - channels[1]).max()), int(np.abs(channels[1] - channels[2]).max()))
    if spread <= GREY_GLOSS_TOLERANCE:
        return (np.ascontiguousarray(rows | channels[1].astype(np.uint16)),)
    return tuple(np.ascontiguousarray(rows | channel.astype(np.uint16)) for channel in channels)


def _to_byte(values: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(values, 0, 1) * 255).astype(np.uint8)


def _image_bytes(image: Image.Image) -> int:
    per_pixel = 1 if image.mode == "L" else 4
    return image.width * image.height * per_pixel
