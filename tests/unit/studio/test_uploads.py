"""Uploaded layer images are judged by content, bounded in size, lined up with the car, and re-encoded clean."""

import asyncio
import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from PIL import Image, PngImagePlugin

from app.catalog import load_catalogue
from app.studio.uploads import (
    MAX_UPLOAD_BYTES,
    LayerImage,
    UploadRefused,
    allowed_box_for,
    check_layer,
    read_limited,
    visible_box,
)

CANVAS = (1600, 900)
PART = (700, 400, 900, 500)
TRY_AGAIN = "upload a PNG or WebP with a transparent background."
CATALOGUE = load_catalogue()


def layer_image(box=PART, size=CANVAS, alpha=255) -> Image.Image:
    """A transparent canvas with one red rectangle in `box`."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    image.paste((200, 30, 30, alpha), box)
    return image


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def refusal(data: bytes, allowed_box=None, **options) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_layer(data, canvas=CANVAS, allowed_box=allowed_box, **options)
    return str(refused.value)


def png_chunks(data: bytes) -> list[bytes]:
    chunks, position = [], 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunks.append(kind)
        position += 12 + length
    return chunks


def with_declared_size(png: bytes, width: int, height: int) -> bytes:
    """The same PNG with its IHDR claiming another size (and a correct CRC, so only the size is wrong)."""
    ihdr = struct.pack(">II", width, height) + png[24:29]
    return png[:8] + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + png[33:]


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("layer.png", b"not really")
    return out.getvalue()


# --- what the file is ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (encode(layer_image().convert("RGB"), "JPEG"), "a JPEG"),
        (encode(layer_image(), "GIF"), "a GIF"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "an SVG"),
        (b"\xef\xbb\xbf  <svg onload=alert(1)>", "an SVG drawing"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "a web page (HTML)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF"),
        (zip_bytes(), "a ZIP archive"),
    ],
    ids=["jpeg", "gif", "svg", "svg-bom", "html", "pdf", "zip"],
)
def test_other_file_types_are_refused_by_content_and_named(data, kind):
    message = refusal(data)
    assert message.startswith(f"That file is {kind}")
    assert message.endswith(TRY_AGAIN)


def test_a_jpeg_is_named_exactly():
    jpeg = encode(layer_image().convert("RGB"), "JPEG")
    assert refusal(jpeg) == f"That file is a JPEG; {TRY_AGAIN}"


def test_unknown_and_empty_files_are_refused():
    assert refusal(b"hello, this is a text file") == f"That file is not a PNG or WebP image; {TRY_AGAIN}"
    assert refusal(b"") == f"That file is empty; {TRY_AGAIN}"


# --- reading it safely ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(30000, 30000), (3000, 3000)], ids=["pillow-bomb-limit", "our-pixel-limit"])
def test_a_decompression_bomb_is_refused_from_its_header(size):
    bomb = with_declared_size(encode(Image.new("1", (8, 8))), *size)
    assert len(bomb) < 200
    # The pixel data is for 8×8, so decoding it would have said "damaged": the header alone refused it.
    assert refusal(bomb) == (
        "That image is far too big to be a layer (over 5,760,000 pixels); layers for this car must be exactly 1600×900."
    )


def test_the_pixel_limit_is_a_parameter():
    message = refusal(encode(layer_image()), max_pixels=1000)
    assert message.startswith("That image is far too big to be a layer (over 1,000 pixels)")


def test_the_global_pillow_limit_is_left_alone():
    before = Image.MAX_IMAGE_PIXELS
    refusal(with_declared_size(encode(Image.new("1", (8, 8))), 30000, 30000))
    assert before == Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    "damage",
    [
        lambda png: png[: len(png) // 2],
        lambda png: png[:40],
        lambda png: png[:60] + bytes(b ^ 0xFF for b in png[60:200]) + png[200:],
        lambda png: png[:12] + b"IHDX" + png[16:],
    ],
    ids=["cut-in-half", "header-only", "scrambled-pixels", "broken-header"],
)
def test_a_damaged_png_is_refused(damage):
    assert refusal(damage(encode(layer_image()))) == (
        f"That file is damaged or incomplete, so it can't be read; export it again and {TRY_AGAIN}"
    )


def test_an_animated_image_is_refused():
    frames = [layer_image(), layer_image(box=(710, 400, 910, 500))]
    apng = encode(frames[0], save_all=True, append_images=frames[1:])
    assert refusal(apng) == "That image is animated; a layer must be a single still picture."


# --- what it shows --------------------------------------------------------------------------------


def test_the_wrong_canvas_size_is_refused():
    assert refusal(encode(layer_image(box=(10, 10, 50, 50), size=(1200, 700)))) == (
        "That image is 1200×700; layers for this car must be exactly 1600×900, "
        "so the part lines up with the rest of the car."
    )


def test_an_image_without_transparency_is_refused():
    assert refusal(encode(layer_image().convert("RGB"))) == (
        "That image has no transparency, so it would hide the whole car; "
        "export it again with a transparent background around the part."
    )


def test_a_fully_opaque_rgba_image_is_refused():
    assert refusal(encode(Image.new("RGBA", CANVAS, (10, 20, 30, 255)))) == (
        "That image is fully opaque, so it would hide the whole car; "
        "make the background around the part transparent and export it again."
    )


@pytest.mark.parametrize("alpha", [0, 8], ids=["transparent", "faint-dust"])
def test_an_image_showing_nothing_is_refused(alpha):
    assert refusal(encode(Image.new("RGBA", CANVAS, (200, 30, 30, alpha)))) == (
        "That image is completely transparent, so it shows nothing; check you exported the right layer."
    )


def test_a_misaligned_layer_says_how_far_it_pokes_out_and_where():
    message = refusal(encode(layer_image(box=(450, 480, 560, 520))), allowed_box=(100, 100, 500, 500))
    assert message == (
        "That layer doesn't line up with the car: what it draws reaches 60 px too far right and 20 px too low. "
        "Draw the part where it sits on the car, on the full 1600×900 canvas, and export it again."
    )


def test_a_blob_in_the_sky_is_refused_for_a_real_car():
    allowed = allowed_box_for(CATALOGUE, "hatch", "side", "badge")
    message = refusal(encode(layer_image(box=(20, 20, 120, 120))), allowed_box=allowed)
    assert f"reaches {allowed[0] - 20} px too far left and {allowed[1] - 20} px too high." in message


# --- what comes out -------------------------------------------------------------------------------


def test_an_accepted_png_is_canonical_rgba_with_its_visible_box():
    layer = check_layer(encode(layer_image()), canvas=CANVAS, allowed_box=(600, 300, 1000, 600))
    assert isinstance(layer, LayerImage)
    assert layer.size == CANVAS
    assert layer.visible_box == PART
    assert layer.sha256 == hashlib.sha256(layer.png).hexdigest()
    with Image.open(io.BytesIO(layer.png)) as decoded:
        assert (decoded.format, decoded.mode, decoded.size) == ("PNG", "RGBA", CANVAS)
        assert decoded.tobytes() == layer_image().tobytes()


def test_a_webp_with_alpha_is_accepted_and_stored_as_png():
    layer = check_layer(encode(layer_image(), "WEBP", lossless=True), canvas=CANVAS, allowed_box=None)
    assert layer.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert layer.visible_box == PART


def test_a_palette_png_with_a_transparent_colour_is_accepted():
    palette = layer_image().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    transparent_index = palette.getpixel((0, 0))
    layer = check_layer(encode(palette, transparency=transparent_index), canvas=CANVAS, allowed_box=None)
    assert layer.visible_box == PART


def test_metadata_is_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta/>")
    exif = Image.Exif()
    exif[0x010E] = "camera notes"
    upload = encode(layer_image(), pnginfo=info, exif=exif, icc_profile=b"\0" * 128)
    assert {b"tEXt", b"iTXt", b"eXIf", b"iCCP"} <= set(png_chunks(upload))
    layer = check_layer(upload, canvas=CANVAS, allowed_box=None)
    assert set(png_chunks(layer.png)) == {b"IHDR", b"IDAT", b"IEND"}


def test_the_same_pixels_give_the_same_file_however_they_were_encoded():
    encodings = [
        encode(layer_image(), compress_level=1),
        encode(layer_image(), compress_level=9),
        encode(layer_image(), "WEBP", lossless=True),
    ]
    hashes = {check_layer(data, canvas=CANVAS, allowed_box=None).sha256 for data in encodings}
    assert len(hashes) == 1


# --- the real catalogue ---------------------------------------------------------------------------


def _real_slots() -> list[tuple[str, str, str]]:
    return [
        (model.id, view, slot)
        for model in CATALOGUE.models
        for view in model.views
        for slot in CATALOGUE.choice_slots
        if any(option.draws for option in CATALOGUE.options_for(model.id, slot))
    ]


@pytest.mark.parametrize(("model_id", "view", "slot"), _real_slots())
def test_every_existing_option_layer_passes_with_its_own_allowed_box(model_id, view, slot):
    allowed = allowed_box_for(CATALOGUE, model_id, view, slot)
    for option in CATALOGUE.options_for(model_id, slot):
        if option.draws:
            data = CATALOGUE.layer_path(model_id, view, option.id, slot).read_bytes()
            with Image.open(io.BytesIO(data)) as shipped:
                if visible_box(shipped.convert("RGBA").getchannel("A")) is None:
                    continue  # hidden from this angle (a front badge seen from behind): nothing to line up
            layer = check_layer(data, canvas=CATALOGUE.canvas, allowed_box=allowed)
            left, top, right, bottom = layer.visible_box
            assert allowed[0] <= left and allowed[1] <= top and right <= allowed[2] and bottom <= allowed[3]


def test_there_are_real_layers_to_check():
    assert len(_real_slots()) >= 8
    # Most shipped option layers show something from most angles, so the check above checks real pixels.
    shown = [
        option
        for model_id, view, slot in _real_slots()
        for option in CATALOGUE.options_for(model_id, slot)
        if option.draws
        and _file_shows_something(CATALOGUE.layer_path(model_id, view, option.id, slot))
    ]
    assert len(shown) >= 200


def _file_shows_something(path) -> bool:
    with Image.open(path) as image:
        return visible_box(image.convert("RGBA").getchannel("A")) is not None


def test_the_allowed_box_covers_the_car_plus_the_margin():
    # "The car" as the upload check sees it: pixels above its visibility threshold, not faint render noise.
    with Image.open(CATALOGUE.layer_path("hatch", "side", "body_shade")) as shade:
        body = visible_box(shade.convert("RGBA").getchannel("A"))
    assert body is not None
    left, top, right, bottom = allowed_box_for(CATALOGUE, "hatch", "side", "mirrors", margin=24)
    assert left <= body[0] - 24 and top <= body[1] - 24
    assert right >= body[2] + 24 and bottom >= body[3] + 24


def test_the_allowed_box_is_clipped_to_the_canvas():
    assert allowed_box_for(CATALOGUE, "hatch", "front", "wheels", margin=5000) == (0, 0, 1600, 900)


def test_the_allowed_box_needs_a_real_view_and_slot():
    with pytest.raises(ValueError, match="no 'top' view"):
        allowed_box_for(CATALOGUE, "hatch", "top", "wheels")
    with pytest.raises(ValueError, match="no choice slot 'spoiler'"):
        allowed_box_for(CATALOGUE, "hatch", "side", "spoiler")


# --- reading the upload ---------------------------------------------------------------------------


class EndlessUpload:
    """An upload that never ends, counting the bytes pulled from it; `fixed` ignores the size asked for."""

    def __init__(self, fixed: int | None = None) -> None:
        self.fixed = fixed
        self.pulled = 0

    def _chunk(self, size: int) -> bytes:
        chunk = b"x" * (self.fixed or size)
        self.pulled += len(chunk)
        return chunk

    async def read(self, size: int = -1) -> bytes:
        return self._chunk(size)


class AsyncBytes:
    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


def test_an_endless_upload_is_stopped_one_byte_past_the_limit():
    upload = EndlessUpload()
    with pytest.raises(UploadRefused) as refused:
        asyncio.run(read_limited(upload, limit=10_000, chunk_size=4096))
    assert upload.pulled == 10_001
    assert str(refused.value).startswith("That file is bigger than 9.8 KB; a layer must be smaller.")


def test_a_reader_that_ignores_the_size_is_stopped_within_one_chunk():
    chunk = 64 * 1024
    upload = EndlessUpload(fixed=chunk)
    with pytest.raises(UploadRefused) as refused:
        asyncio.run(read_limited(upload))
    assert upload.pulled == MAX_UPLOAD_BYTES + chunk
    assert str(refused.value) == (
        "That file is bigger than 8 MB; a layer must be smaller. "
        "Export it again as a PNG or WebP (a 1600×900 layer is usually well under 2 MB)."
    )


def test_an_upload_within_the_limit_is_read_whole():
    data = bytes(range(256)) * 40
    assert asyncio.run(read_limited(AsyncBytes(data), limit=len(data), chunk_size=1000)) == data
