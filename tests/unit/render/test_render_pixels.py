"""The composed picture: the body takes the requested paint, lit by the light and gloss passes, and each
option's layer shows where it should."""

import colorsys
import dataclasses

import numpy as np
import pytest
from PIL import Image

from app.catalog import Catalogue
from app.render import CarPictures
from app.render.composite import compose
from app.render.layers import LayerLibrary, _body_layers
from app.render.paint import paint_body, paint_reference, paint_table
from tests.unit.catalog import synthetic_layers as synthetic


def _picture(pictures: CarPictures, choices=None, hex=None, model="hatch", width=160):
    build = pictures.catalogue.build_from(model, choices or {}, hex=hex)
    return compose(pictures.library, pictures.key(build, "side", width))


def _luma(rgb) -> float:
    r, g, b = rgb[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


def _hue(rgb) -> float:
    return colorsys.rgb_to_hsv(*(c / 255 for c in rgb[:3]))[0]


@pytest.mark.parametrize("hex", ["#C0392B", "#1E8449", "#2255CC", "#F1C40F", "#8E44AD", "#1A2B3C"])
def test_body_takes_the_requested_colour(pictures: CarPictures, hex: str) -> None:
    image = _picture(pictures, {"colour": "custom"}, hex=hex)
    wanted = tuple(int(hex[i : i + 2], 16) for i in (1, 3, 5))
    mid = image.getpixel(synthetic.MID_AT)
    # Light 1.0 without gloss is the paint's true tone.
    assert all(abs(a - b) <= 2 for a, b in zip(mid, wanted, strict=True))
    shadow = image.getpixel(synthetic.SHADOW_AT)
    hue_gap = abs(_hue(shadow) - _hue(wanted))
    assert min(hue_gap, 1 - hue_gap) < 0.05  # less light keeps the hue
    assert _luma(shadow) < _luma(mid) < _luma(image.getpixel(synthetic.HIGHLIGHT_AT))


def test_named_colour_uses_its_hex(pictures: CarPictures) -> None:
    image = _picture(pictures, {"colour": "chili-red"})
    assert all(abs(a - b) <= 1 for a, b in zip(image.getpixel(synthetic.MID_AT), (0xC0, 0x39, 0x2B), strict=True))


def test_black_paint_is_black_but_keeps_its_reflections_white(pictures: CarPictures) -> None:
    image = _picture(pictures, {"colour": "midnight-black"})
    mid, shadow, highlight = (
        image.getpixel(at) for at in (synthetic.MID_AT, synthetic.SHADOW_AT, synthetic.HIGHLIGHT_AT)
    )
    assert max(mid) <= 2 and max(shadow) <= 2
    # The clear coat's reflection is added, not multiplied: white on black, not grey-black.
    assert min(highlight) >= synthetic.GLOSS_RGB[0] - 2 and max(highlight) - min(highlight) <= 1


def test_white_paint_is_white_but_keeps_its_shadows(pictures: CarPictures) -> None:
    image = _picture(pictures, {"colour": "snow-white"})
    mid, shadow, highlight = (
        image.getpixel(at) for at in (synthetic.MID_AT, synthetic.SHADOW_AT, synthetic.HIGHLIGHT_AT)
    )
    assert min(mid) >= 253 and min(highlight) >= 253
    assert _luma(shadow) <= _luma(mid) - 50
    assert max(shadow) - min(shadow) <= 1  # a true grey shadow: white paint has no hue to lose


@pytest.mark.parametrize("hex", ["#000000", "#FFFFFF", "#C0392B", "#00FF00", "#1A2B3C"])
@pytest.mark.parametrize("light_max", [1.0, 2.0, 3.7])
def test_paint_table_is_the_contract_formula(hex: str, light_max: float) -> None:
    table = paint_table(hex, light_max).astype(np.int16)
    light, gloss = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    expected = paint_reference(hex, light, np.repeat(gloss[..., None], 3, axis=-1), light_max)
    for channel in range(3):
        got = table[channel].reshape(256, 256)
        assert np.abs(got - expected[..., channel]).max() <= 0.5 + 1e-9
        # More light or more gloss never makes the paint darker.
        assert (np.diff(got, axis=0) >= 0).all() and (np.diff(got, axis=1) >= 0).all()


def test_trim_is_drawn_as_is_whatever_the_paint(pictures: CarPictures) -> None:
    for colour in ("chili-red", "snow-white"):
        assert _picture(pictures, {"colour": colour}).getpixel(synthetic.TRIM_AT) == (40, 40, 40)


@pytest.mark.parametrize(
    ("slot", "option_id", "at", "expected"),
    [
        ("stripes", "stripes-black", synthetic.STRIPE_AT, (10, 10, 10)),
        ("roof", "roof-white", synthetic.ROOF_AT, (250, 250, 250)),
        ("roof", "roof-black", synthetic.ROOF_AT, (15, 15, 15)),
        ("badge", "badge-sport", synthetic.BADGE_AT, (220, 20, 60)),
        ("badge", "badge-classic", synthetic.BADGE_AT, (212, 175, 55)),
        ("badge_bar", "badgebar-rally", synthetic.BADGE_BAR_AT, (230, 180, 20)),
    ],
)
def test_option_layers_appear_where_drawn(pictures: CarPictures, slot, option_id, at, expected) -> None:
    assert _picture(pictures, {slot: option_id}).getpixel(at) == expected


def test_options_that_draw_nothing_leave_the_car_as_it_was(pictures: CarPictures) -> None:
    image = _picture(pictures, {"roof": "roof-body", "stripes": "stripes-none"})
    assert image.getpixel(synthetic.ROOF_AT) == synthetic.BACKDROP_RGB
    assert image.getpixel(synthetic.STRIPE_AT) == (0xC0, 0x39, 0x2B)


def test_paint_order_wheels_over_body_glass_on_top(pictures: CarPictures) -> None:
    image = _picture(pictures, {"wheels": "wheels-turbine"})
    assert image.getpixel((50, 80)) == (90, 90, 95)  # below the body: wheel shows
    # Wheels are drawn after the body but hold only their visible pixels: the body's trim is untouched.
    assert image.getpixel((50, 63)) == (40, 40, 40)
    r, _, b = image.getpixel((90, 34))  # glass (alpha 140) over red paint
    assert b > 100 and r < 192


def test_smaller_widths_scale_the_whole_picture(pictures: CarPictures) -> None:
    for width, size in ((80, (80, 45)), (40, (40, 22))):
        image = _picture(pictures, {"stripes": "stripes-black"}, width=width)
        assert image.size == size and image.mode == "RGB"
    half = _picture(pictures, {"stripes": "stripes-black"}, width=80)
    assert max(half.getpixel((synthetic.STRIPE_AT[0] // 2, synthetic.STRIPE_AT[1] // 2))) < 40


def test_layers_are_cropped_to_what_they_show(pictures: CarPictures) -> None:
    (stripe,) = pictures.library.option("hatch", "side", 160, "stripes-black")
    assert stripe.offset == (70, 31) and stripe.image.size == (11, 29)
    assert stripe.mask is None  # fully opaque: pasted as a plain copy
    assert pictures.library.option("hatch", "side", 160, "roof-body") == ()
    full_frames = 4 * 160 * 90 * 4 * len(pictures.catalogue.widths)
    assert pictures.library.nbytes < full_frames


@pytest.mark.parametrize("option_id", ["wheels-spoke", "roof-white", "badge-sport", "mirrors-chrome"])
def test_layer_pieces_paint_exactly_the_layer(layers_dir, pictures: CarPictures, option_id: str) -> None:
    option = pictures.catalogue.option(option_id)
    original = Image.open(layers_dir / "img/hatch/side" / option.slot / f"{option_id}.webp").convert("RGBA")
    expected = Image.new("RGB", original.size, (1, 2, 3))
    expected.paste(original, (0, 0), original)
    pieces = pictures.library.option("hatch", "side", 160, option_id)
    got = Image.new("RGB", original.size, (1, 2, 3))
    for piece in pieces:
        piece.paste_onto(got)
    assert got.tobytes() == expected.tobytes()
    box = original.getchannel("A").getbbox()
    assert sum(p.image.width * p.image.height for p in pieces) <= (box[2] - box[0]) * (box[3] - box[1])


def test_estate_has_no_layer_for_options_it_does_not_offer(catalogue: Catalogue, pictures: CarPictures) -> None:
    assert pictures.library.option("estate", "side", 160, "badgebar-rally") == ()
    assert pictures.library.option("hatch", "side", 160, "badgebar-rally") != ()


@pytest.mark.parametrize("gloss_kind", ["coloured", "grey", "nearly grey"])
def test_soft_edges_blend_paint_and_trim_as_the_float_formula(gloss_kind: str) -> None:
    rng = np.random.default_rng(7)
    size = (150, 70)  # bigger than a tile, so pieces meet
    shape = (size[1], size[0])
    grey, alpha, mask, light = (rng.integers(0, 256, shape, dtype=np.uint8) for _ in range(4))
    gloss = rng.integers(0, 256, (*shape, 3), dtype=np.uint8)
    if gloss_kind != "coloured":  # a grey studio's reflections: one packed lookup instead of three
        gloss[..., 0] = gloss[..., 1] = gloss[..., 2] = np.minimum(gloss[..., 1], 254)
        if gloss_kind == "nearly grey":
            gloss[..., 0] += rng.integers(0, 2, shape, dtype=np.uint8)
    gloss[: shape[0] // 2] = 0  # half the body without reflections, as most of a real one
    shade = Image.fromarray(np.dstack([grey, grey, grey, alpha]), "RGBA")
    backdrop = Image.new("RGB", size, (0, 90, 200))
    passes = (Image.fromarray(mask, "L"), Image.fromarray(light, "L"), Image.fromarray(gloss, "RGB"))
    body, canvas = _body_layers(backdrop, shade, *passes)
    paint_body(canvas, body, "#C0392B", 2.0)
    r, g, b = (gloss[..., c].astype(int) for c in range(3))
    coloured = np.maximum(abs(r - g), abs(g - b)) > 1  # looked up per channel, the rest in one packed lookup
    assert body.index.positions.size == coloured.sum() and (coloured.sum() > 0) == (gloss_kind == "coloured")

    painted = paint_reference("#C0392B", light, gloss, 2.0)
    a, m = alpha[..., None] / 255, mask[..., None] / 255
    expected = a * (m * painted + (1 - m) * grey[..., None]) + (1 - a) * np.array([0, 90, 200])
    assert np.abs(np.asarray(canvas, dtype=np.float64) - expected).max() <= 2


def test_a_view_is_decoded_on_first_use(catalogue: Catalogue) -> None:
    library = LayerLibrary(catalogue)
    assert library.nbytes == 0
    library.body("hatch", "front", 40)
    one_view = library.nbytes
    assert one_view > 0
    library.option("hatch", "front", 160, "roof-white")
    assert library.nbytes == one_view  # every width of a view comes with it
    library.load_all()
    assert library.nbytes > 3 * one_view


def test_spin_frames_list_every_angle_in_turning_order(pictures: CarPictures) -> None:
    build = pictures.catalogue.build_from("hatch")
    frames = pictures.spin_frames(build)
    assert [f["view"] for f in frames] == ["front-left", "side", "front"]
    assert frames[0]["label"] == "front three-quarter, left"
    assert frames[1]["paths"] == pictures.paths_and_alt(build, "side")[0]
    assert all(f["alt"].endswith("seen from the " + f["label"]) for f in frames)


def test_libraries_share_the_views_a_studio_draft_leaves_alone(catalogue: Catalogue, layers_dir, tmp_path) -> None:
    upload = tmp_path / "upload.png"
    Image.open(layers_dir / "img/hatch/side/roof/roof-black.webp").save(upload)
    draft = dataclasses.replace(catalogue, layer_files={("hatch", "side", "roof-white"): upload})
    live, again, drafted = LayerLibrary(catalogue), LayerLibrary(catalogue), LayerLibrary(draft)
    assert again.body("hatch", "front", 160) is live.body("hatch", "front", 160)  # decoded once
    assert drafted.option("hatch", "front", 160, "roof-white") is live.option("hatch", "front", 160, "roof-white")
    # The angle the upload replaces is decoded from the upload, not borrowed.
    assert drafted.option("hatch", "side", 160, "roof-white") is not live.option("hatch", "side", 160, "roof-white")
    assert compose_option_pixel(drafted) == (15, 15, 15) and compose_option_pixel(live) == (250, 250, 250)


def compose_option_pixel(library: LayerLibrary) -> tuple[int, int, int]:
    canvas = Image.new("RGB", synthetic.CANVAS)
    for piece in library.option("hatch", "side", 160, "roof-white"):
        piece.paste_onto(canvas)
    return canvas.getpixel(synthetic.ROOF_AT)
