"""Decode every layer once, crop it to what it shows, and keep a ready copy per output width."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from PIL import Image

from app.catalog import Catalogue

# Decoded views shared between libraries: a studio draft that replaces one layer of one angle
# decodes that angle only and borrows the others from the live library (most recently used kept).
SHARED_VIEWS = 24  # a little more than the live angles (2 models x 8); each is ~15 MB decoded
_shared: OrderedDict[tuple, tuple[dict, dict]] = OrderedDict()
_shared_lock = threading.Lock()

# A pixel whose gloss channels differ by no more than this is painted through one packed lookup
# instead of three (most reflections of a grey studio are grey); one level of gloss moves the paint
# by at most one level.
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
class PaintIndex:
    """Each body pixel's row in the paint table (light byte * 256 + gloss byte, see app.render.paint).

    `grey` covers the body's box using the green gloss channel, right wherever the gloss is grey;
    the few pixels where it is coloured are listed apart (`positions` in the flattened box) with a
    row per channel (`rows`, shape (3, n)), so painting is one packed lookup plus a small fix-up.
    """

    grey: np.ndarray
    positions: np.ndarray
    rows: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.grey.nbytes + self.positions.nbytes + self.rows.nbytes


@dataclass(frozen=True)
class BodyLayers:
    """The body's paint, prepared so that painting it is one table lookup and one plain paste.

    The result must be silhouette alpha `a` x (mask `m` x paint + (1 - m) x shade) over the backdrop.
    That is the paint with alpha am over the backdrop with the trim (the shade as rendered) pasted
    with alpha a(1-m)/(1-am). The trim is the same whatever the colour, so it is baked into the
    view's backdrop once; `base` is that baked backdrop over the body's box (packed RGBX). Painting
    looks the paint up over the box (`index`), keeps `base` where am is 0 (`show_base`), blends the
    soft-edge pixels (`partial`, flat positions) over their base (`partial_base`, a one-row image)
    by their am (`partial_alpha`, likewise) with Pillow, and pastes the box at `offset` as one
    opaque rectangle.
    """

    index: PaintIndex
    offset: tuple[int, int]
    base: np.ndarray
    show_base: np.ndarray
    partial: np.ndarray
    partial_base: Image.Image
    partial_alpha: Image.Image

    @property
    def nbytes(self) -> int:
        arrays = (self.base, self.show_base, self.partial)
        images = _image_bytes(self.partial_base) + _image_bytes(self.partial_alpha)
        return self.index.nbytes + sum(array.nbytes for array in arrays) + images


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
        for model, view in views_hero_first(self.catalogue):
            self._ensure(model, view)

    def load_view(self, model: str, view: str) -> None:
        self._ensure(model, view)

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
        index_bytes = sum(body.nbytes for body in list(self._bodies.values()))
        images += [piece.image for piece in pieces] + [piece.mask for piece in pieces if piece.mask]
        return index_bytes + sum(_image_bytes(image) for image in images)

    def _load_view(self, model: str, view: str) -> None:
        files = self._view_files(model, view)
        key = (files, self.catalogue.canvas, self.catalogue.widths)
        with _shared_lock:
            shared = _shared.get(key)
            if shared is not None:
                _shared.move_to_end(key)
        if shared is None:
            shared = self._decode_view(model, view)
            with _shared_lock:
                _shared[key] = shared
                while len(_shared) > SHARED_VIEWS:
                    _shared.popitem(last=False)
        layers, bodies = shared
        self._layers.update({(model, view, *k): v for k, v in layers.items()})
        self._bodies.update({(model, view, width): body for width, body in bodies.items()})

    def _view_files(self, model: str, view: str) -> tuple:
        """Every file a view is drawn from (the studio's uploads included): what makes two views the same."""
        path = self.catalogue.layer_path
        names = [(name, str(path(model, view, name))) for name in ("backdrop", "body_shade", "body_mask")]
        names += [(name, str(path(model, view, name))) for name in ("body_light", "body_gloss", "glass")]
        for option in self.catalogue.drawn_options:
            if option.available_on(model):
                names.append((option.id, str(path(model, view, option.id, option.slot))))
        return tuple(names)

    def _decode_view(self, model: str, view: str) -> tuple[dict, dict]:
        """A view's pieces by (width, name) and its bodies by width, decoded from its files."""
        path = self.catalogue.layer_path
        backdrop = _decode(path(model, view, "backdrop"), "RGB")
        shade = _decode(path(model, view, "body_shade"), "RGBA")
        mask = _decode(path(model, view, "body_mask"), "L")
        light = _decode(path(model, view, "body_light"), "L")
        gloss = _decode(path(model, view, "body_gloss"), "RGB")
        layers = {"glass": _decode(path(model, view, "glass"), "RGBA")}
        for option in self.catalogue.drawn_options:
            if option.available_on(model):
                layers["option:" + option.id] = _decode(path(model, view, option.id, option.slot), "RGBA")
        pieces_by_name, bodies = {}, {}
        for width in self.catalogue.widths:
            size = (width, self.catalogue.height_for(width))
            for name, image in layers.items():
                pieces = _visible_pieces(_shrink(image, size))
                if pieces:
                    pieces_by_name[(width, name)] = pieces
            passes = (_shrink(image, size) for image in (backdrop, shade, mask, light, gloss))
            bodies[width], base = _body_layers(*passes)
            pieces_by_name[(width, "backdrop")] = (Layer(base, (0, 0)),)
        return pieces_by_name, bodies


def views_hero_first(catalogue: Catalogue) -> list[tuple[str, str]]:
    """Every (model, view) drawn: each model's hero angle first, then the next angle of each, and so on."""
    models = catalogue.models
    return [
        (model.id, model.views[position])
        for position in range(max(len(m.views) for m in models))
        for model in models
        if position < len(model.views)
    ]


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


def _body_layers(
    backdrop: Image.Image, shade: Image.Image, mask: Image.Image, light: Image.Image, gloss: Image.Image
) -> tuple[BodyLayers, Image.Image]:
    """The paint to draw per picture, and the backdrop with the trim baked in (see BodyLayers)."""
    box = shade.getchannel("A").getbbox() or (0, 0, 1, 1)
    shade, mask, light, gloss = (image.crop(box) for image in (shade, mask, light, gloss))
    a = np.asarray(shade.getchannel("A"), dtype=np.float32) / 255
    m = np.asarray(mask, dtype=np.float32) / 255
    paint = _to_byte(a * m)
    with np.errstate(divide="ignore", invalid="ignore"):
        trim = np.where(paint < 255, a * (1 - m) / (1 - a * m), 0)
    base = backdrop.copy()
    for piece in _pieces(shade.convert("RGB"), _to_byte(trim), (box[0], box[1])):
        piece.paste_onto(base)
    rgbx = np.zeros((box[3] - box[1], box[2] - box[0], 4), dtype=np.uint8)
    rgbx[..., :3] = np.asarray(base.crop(box))
    partial = np.flatnonzero((paint > 0) & (paint < 255)).astype(np.int32)
    # One-row images of the soft-edge pixels (a row of one when there are none: Pillow has no empty image).
    edge = partial if partial.size else np.zeros(1, dtype=np.int32)
    strip = (edge.size, 1)
    body = BodyLayers(
        index=_paint_index(light, gloss),
        offset=(box[0], box[1]),
        base=rgbx.view(np.uint32)[..., 0],
        show_base=paint == 0,
        partial=partial,
        partial_base=Image.frombytes("RGB", strip, rgbx.view(np.uint32).reshape(-1)[edge].tobytes(), "raw", "RGBX"),
        partial_alpha=Image.frombytes("L", strip, paint.reshape(-1)[edge].tobytes()),
    )
    return body, base


def _paint_index(light: Image.Image, gloss: Image.Image) -> PaintIndex:
    rows = np.asarray(light, dtype=np.uint16) << 8
    channels = [np.asarray(gloss.getchannel(c), dtype=np.int16) for c in range(3)]
    spread = np.maximum(np.abs(channels[0] - channels[1]), np.abs(channels[1] - channels[2]))
    coloured = np.flatnonzero(spread > GREY_GLOSS_TOLERANCE).astype(np.int32)
    by_channel = np.stack([(rows | channel.astype(np.uint16)).reshape(-1)[coloured] for channel in channels])
    return PaintIndex(np.ascontiguousarray(rows | channels[1].astype(np.uint16)), coloured, by_channel)


def _to_byte(values: np.ndarray) -> np.ndarray:
    return np.rint(np.clip(values, 0, 1) * 255).astype(np.uint8)


def _image_bytes(image: Image.Image) -> int:
    per_pixel = 1 if image.mode == "L" else 4
    return image.width * image.height * per_pixel
