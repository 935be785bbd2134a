"""Checking a layer image a marketing user uploads, before anything else reads it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image

from app.catalog import Catalogue

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 1600 * 900 * 4
# Alpha at or below this is anti-aliasing dust or a faint glow, not part of the drawing.
VISIBLE_ALPHA = 8
_TRY_AGAIN = "upload a PNG or WebP with a transparent background."
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Leading bytes of the files people most often upload by mistake, to name them in the refusal.
_OTHER_MAGIC = (
    (b"\xff\xd8\xff", "a JPEG"),
    (b"GIF87a", "a GIF"),
    (b"GIF89a", "a GIF"),
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"BM", "a BMP"),
    (b"II*\x00", "a TIFF"),
    (b"MM\x00*", "a TIFF"),
)
_ALPHA_MODES = ("RGBA", "LA", "PA")

Box = tuple[int, int, int, int]


class UploadRefused(ValueError):
    """An upload that cannot become a layer; the message names the problem and what to do about it."""


class AsyncReader(Protocol):
    """What Reflex hands an upload handler (a Starlette-style UploadFile)."""

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class LayerImage:
    """An accepted layer: canonical RGBA PNG bytes (no metadata), their sha256, size and visible box."""

    png: bytes
    sha256: str
    size: tuple[int, int]
    visible_box: Box


class _Budget:
    """Collects chunks of an upload and refuses it the moment it grows past `limit` bytes."""

    def __init__(self, limit: int, chunk_size: int) -> None:
        self.limit = limit
        self.chunk_size = chunk_size
        self.chunks: list[bytes] = []
        self.total = 0

    def next_size(self) -> int:
        # Asking for at most one byte past the limit is enough to know the file is too big.
        return min(self.chunk_size, self.limit + 1 - self.total)

    def take(self, chunk: bytes) -> bool:
        """Keep `chunk`; False at the end of the stream; UploadRefused once over the limit."""
        if not chunk:
            return False
        self.total += len(chunk)
        if self.total > self.limit:
            raise UploadRefused(
                f"That file is bigger than {_size_text(self.limit)}; a layer must be smaller. "
                "Export it again as a PNG or WebP (a 1600×900 layer is usually well under 2 MB)."
            )
        self.chunks.append(chunk)
        return True

    def data(self) -> bytes:
        return b"".join(self.chunks)


async def read_limited(upload: AsyncReader, limit: int = MAX_UPLOAD_BYTES, chunk_size: int = 64 * 1024) -> bytes:
    """All of an async upload's bytes; UploadRefused as soon as it passes `limit` (asks for limit + 1 at most)."""
    budget = _Budget(limit, chunk_size)
    while budget.take(await upload.read(budget.next_size())):
        pass
    return budget.data()


def check_layer(
    data: bytes, *, canvas: tuple[int, int], allowed_box: Box | None, max_pixels: int = MAX_PIXELS
) -> LayerImage:
    """Accept `data` as a layer for this canvas, or raise UploadRefused saying exactly what is wrong."""
    _check_kind(data)
    image = _decode(data, canvas, max_pixels)
    if image.size != canvas:
        raise UploadRefused(
            f"That image is {image.width}×{image.height}; layers for this car must be exactly "
            f"{_size(canvas)}, so the part lines up with the rest of the car."
        )
    if image.mode not in _ALPHA_MODES and "transparency" not in image.info:
        raise UploadRefused(
            "That image has no transparency, so it would hide the whole car; "
            "export it again with a transparent background around the part."
        )
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    if alpha.getextrema() == (255, 255):
        raise UploadRefused(
            "That image is fully opaque, so it would hide the whole car; "
            "make the background around the part transparent and export it again."
        )
    box = visible_box(alpha)
    if box is None:
        raise UploadRefused(
            "That image is completely transparent, so it shows nothing; check you exported the right layer."
        )
    if allowed_box is not None:
        _check_inside(box, allowed_box, canvas)
    return _canonical(rgba, box)


def allowed_box_for(catalogue: Catalogue, model_id: str, view: str, slot: str, margin: int = 24) -> Box:
    """Where a new layer of `slot` may draw: the car's silhouette and that slot's existing layers, plus `margin`."""
    if view not in catalogue.model(model_id).views:
        raise ValueError(f"the {model_id} has no {view!r} view")
    if slot not in catalogue.choice_slots:
        raise ValueError(f"there is no choice slot {slot!r}")
    paths = [catalogue.layer_path(model_id, view, "body_shade")]
    paths += [
        catalogue.layer_path(model_id, view, option.id, slot)
        for option in catalogue.options_for(model_id, slot)
        if option.draws
    ]
    boxes = [box for path in paths if path.exists() and (box := _file_visible_box(path)) is not None]
    if not boxes:
        raise ValueError(f"nothing is drawn for the {model_id} {view} view to line a layer up with")
    left, top = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    right, bottom = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin
    width, height = catalogue.canvas
    return max(left, 0), max(top, 0), min(right, width), min(bottom, height)


def visible_box(alpha: Image.Image) -> Box | None:
    """The box (left, top, right, bottom; right/bottom exclusive) of pixels with alpha above VISIBLE_ALPHA."""
    threshold = [0] * (VISIBLE_ALPHA + 1) + [255] * (255 - VISIBLE_ALPHA)
    return alpha.point(threshold).getbbox()


def _file_visible_box(path: Path) -> Box | None:
    with Image.open(path) as image:
        return visible_box(image.convert("RGBA").getchannel("A"))


def _check_kind(data: bytes) -> None:
    # Judge by content: the file name and the browser's content type are whatever the sender says.
    if data.startswith(_PNG_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return
    if not data:
        raise UploadRefused(f"That file is empty; {_TRY_AGAIN}")
    kind = _other_kind(data)
    if kind:
        raise UploadRefused(f"That file is {kind}; {_TRY_AGAIN}")
    raise UploadRefused(f"That file is not a PNG or WebP image; {_TRY_AGAIN}")


def _other_kind(data: bytes) -> str | None:
    for magic, kind in _OTHER_MAGIC:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "a HEIC or AVIF photo" if data[8:12] in (b"heic", b"heix", b"avif", b"mif1") else "a video"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head:
        return "an SVG drawing"
    if head.startswith((b"<!doctype html", b"<html")) or b"<script" in head:
        return "a web page (HTML)"
    if head.startswith(b"<?xml"):
        return "an XML document"
    return None


def _decode(data: bytes, canvas: tuple[int, int], max_pixels: int) -> Image.Image:
    too_big = UploadRefused(
        f"That image is far too big to be a layer (over {max_pixels:,} pixels); "
        f"layers for this car must be exactly {_size(canvas)}."
    )
    damaged = UploadRefused(
        f"That file is damaged or incomplete, so it can't be read; export it again and {_TRY_AGAIN}"
    )
    try:
        # Only the header is read here; Pillow refuses huge declared sizes itself (a decompression bomb).
        image = Image.open(io.BytesIO(data), formats=["PNG", "WEBP"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning only arrives as an exception where warnings are errors; either way it is a bomb.
        raise too_big from None
    except Exception:
        raise damaged from None
    if image.width * image.height > max_pixels:
        raise too_big
    if getattr(image, "n_frames", 1) > 1:
        raise UploadRefused("That image is animated; a layer must be a single still picture.")
    try:
        image.load()
    except Exception:
        # Untrusted bytes can break a decoder in many ways; to the user each one means the same thing.
        raise damaged from None
    return image


def _check_inside(box: Box, allowed: Box, canvas: tuple[int, int]) -> None:
    overshoot = (
        (allowed[0] - box[0], "too far left"),
        (box[2] - allowed[2], "too far right"),
        (allowed[1] - box[1], "too high"),
        (box[3] - allowed[3], "too low"),
    )
    misses = [f"{pixels} px {where}" for pixels, where in overshoot if pixels > 0]
    if misses:
        raise UploadRefused(
            f"That layer doesn't line up with the car: what it draws reaches {_and(misses)}. "
            f"Draw the part where it sits on the car, on the full {_size(canvas)} canvas, and export it again."
        )


def _canonical(rgba: Image.Image, box: Box) -> LayerImage:
    # A fresh image carries only pixels: no text chunks, EXIF, ICC profile or anything else the file brought.
    bare = Image.frombytes("RGBA", rgba.size, rgba.tobytes())
    out = io.BytesIO()
    bare.save(out, "PNG")
    png = out.getvalue()
    return LayerImage(png=png, sha256=hashlib.sha256(png).hexdigest(), size=rgba.size, visible_box=box)


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}×{size[1]}"


def _size_text(limit: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if limit >= scale:
            return f"{round(limit / scale, 1):g} {unit}"
    return f"{limit} bytes"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
