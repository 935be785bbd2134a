"""A tiny synthetic manifest and layer set (160x90) that catalogue and render tests build in tmp_path.

The body comes in the renderer's passes (see CONTRACT in layers/README.md): a grey shade, the paint mask,
the light on the paint (bands of shadow, true tone and bright light) and a gloss highlight strip.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from PIL import Image, ImageDraw

CANVAS = (160, 90)
BODY_BOX = (30, 30, 130, 66)  # the car body rectangle (exclusive right/bottom)
SHADOW_AT, MID_AT, HIGHLIGHT_AT = (40, 40), (60, 40), (118, 40)  # light 0.25 / 1.0 / 1.0 + white gloss
LIGHT_MAX = 2.0
# body_light bytes: light = LIGHT_MAX * (v / 255) ** 2.2, so 186 is light 1.0 (the paint's true tone).
SHADOW_LIGHT, MID_LIGHT = 99, 186
GLOSS_RGB = (235, 235, 235)  # the highlight band's reflection, sRGB-encoded
TRIM_AT = (60, 63)  # mask 0: drawn as-is (dark grey trim)
STRIPE_AT, ROOF_AT, BADGE_AT, BADGE_BAR_AT = (75, 35), (80, 25), (37, 47), (125, 42)
BACKDROP_RGB = (200, 205, 210)

MANIFEST = """
asset_version = "test-1"
currency = "GBP"
destination_charge = 995
canvas = [160, 90]
widths = [160, 80, 40]
layer_dir = "img"
slot_order = ["backdrop", "body", "wheels", "roof", "mirrors", "stripes", "badge_bar", "badge", "glass"]
choice_slots = ["colour", "roof", "mirrors", "stripes", "badge_bar", "badge", "wheels"]

[paint]
light_max = 2.0

[views.front-left]
label = "front three-quarter, left"
angle = 45
[views.side]
label = "left side"
angle = 90
[views.front]
label = "front"
angle = 0

[slots.colour]
label = "Colour"
[slots.roof]
label = "Roof"
[slots.mirrors]
label = "Mirrors"
[slots.stripes]
label = "Stripes"
[slots.badge_bar]
label = "Badge bar"
[slots.badge]
label = "Badge"
[slots.wheels]
label = "Wheels"

[[models]]
id = "hatch"
name = "Hatch"
tagline = "Small and quick"
description = "The little one."
base_price = 19950
views = ["front-left", "side", "front"]
defaults.colour = "chili-red"
defaults.roof = "roof-white"
defaults.mirrors = "mirrors-body"
defaults.stripes = "stripes-none"
defaults.badge_bar = "badgebar-none"
defaults.badge = "badge-classic"
defaults.wheels = "wheels-spoke"

[[models]]
id = "estate"
name = "Estate"
tagline = "Room for the dog"
description = "The long one."
base_price = 23950
views = ["side"]
defaults.colour = "snow-white"
defaults.roof = "roof-body"
defaults.mirrors = "mirrors-body"
defaults.stripes = "stripes-none"
defaults.badge_bar = "badgebar-none"
defaults.badge = "badge-classic"
defaults.wheels = "wheels-turbine"

[[options]]
id = "chili-red"
slot = "colour"
name = "Chili Red"
price = 0
hex = "#C0392B"

[[options]]
id = "snow-white"
slot = "colour"
name = "Snow White"
price = 0
hex = "#FFFFFF"

[[options]]
id = "midnight-black"
slot = "colour"
name = "Midnight Black"
price = 250
hex = "#000000"

[[options]]
id = "custom"
slot = "colour"
name = "Any colour you like"
price = 900
custom = true

[[options]]
id = "roof-white"
slot = "roof"
name = "White roof"
price = 300
alt = "a white roof"

[[options]]
id = "roof-black"
slot = "roof"
name = "Black roof"
price = 300
alt = "a black roof"

[[options]]
id = "roof-body"
slot = "roof"
name = "Body-coloured roof"
price = 0
draws = false

[[options]]
id = "mirrors-body"
slot = "mirrors"
name = "Body-coloured mirrors"
price = 0
draws = false

[[options]]
id = "mirrors-chrome"
slot = "mirrors"
name = "Chrome mirror caps"
price = 120
alt = "chrome mirror caps"

[[options]]
id = "stripes-none"
slot = "stripes"
name = "No stripes"
price = 0
draws = false

[[options]]
id = "stripes-black"
slot = "stripes"
name = "Black bonnet stripes"
price = 450
alt = "black bonnet stripes"

[[options]]
id = "badgebar-none"
slot = "badge_bar"
name = "No badge bar"
price = 0
draws = false

[[options]]
id = "badgebar-rally"
slot = "badge_bar"
name = "Rally badge bar"
price = 350
alt = "a rally badge bar"
models = ["hatch"]

[[options]]
id = "badge-classic"
slot = "badge"
name = "Classic badge"
price = 0
alt = ""

[[options]]
id = "badge-sport"
slot = "badge"
name = "Sport badge"
price = 80
alt = "a sport badge"

[[options]]
id = "wheels-spoke"
slot = "wheels"
name = "15-inch spoke wheels"
price = 0
alt = "15-inch spoke wheels"

[[options]]
id = "wheels-turbine"
slot = "wheels"
name = "16-inch turbine wheels"
price = 600
alt = "16-inch turbine wheels"
"""

# Where each drawing option paints, and in what colour (RGBA).
OPTION_SHAPES = {
    "roof-white": ("rect", (50, 22, 110, 30), (250, 250, 250, 255)),
    "roof-black": ("rect", (50, 22, 110, 30), (15, 15, 15, 255)),
    "mirrors-chrome": ("rect", (40, 26, 46, 31), (190, 190, 200, 255)),
    "stripes-black": ("rect", (70, 31, 81, 60), (10, 10, 10, 255)),
    "badgebar-rally": ("rect", (120, 39, 130, 46), (230, 180, 20, 255)),
    "badge-classic": ("rect", (34, 44, 40, 50), (212, 175, 55, 255)),
    "badge-sport": ("rect", (34, 44, 40, 50), (220, 20, 60, 255)),
    "wheels-spoke": ("wheels", 12, (30, 30, 30, 255)),
    "wheels-turbine": ("wheels", 13, (90, 90, 95, 255)),
}


def manifest_data() -> dict:
    """The synthetic manifest as parsed TOML, for tests that break one entry."""
    return tomllib.loads(MANIFEST)


def make_layers(root: Path) -> Path:
    """Write manifest.toml and every lossless WebP layer under root; returns root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    data = manifest_data()
    for model in data["models"]:
        for view in model["views"]:
            folder = root / "img" / model["id"] / view
            _write_fixed_layers(folder)
            for option in data["options"]:
                if option["slot"] == "colour" or not option.get("draws", True):
                    continue
                if model["id"] in option.get("models", [model["id"]]):
                    path = folder / option["slot"] / f"{option['id']}.webp"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    save_layer(_option_layer(option["id"]), path)
    return root


def save_layer(image: Image.Image, path: Path) -> None:
    image.save(path, "WEBP", lossless=True, exact=True)


def _write_fixed_layers(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    backdrop = Image.new("RGB", CANVAS, BACKDROP_RGB)
    ImageDraw.Draw(backdrop).rectangle((0, 75, 159, 89), fill=(120, 120, 120))
    save_layer(backdrop, folder / "backdrop.webp")

    x0, y0, x1, y1 = BODY_BOX
    shade = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shade)
    draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=(128, 128, 128, 255))  # mid-grey paint as rendered
    draw.rectangle((x0, 61, x1 - 1, y1 - 1), fill=(40, 40, 40, 255))  # trim strip
    save_layer(shade, folder / "body_shade.webp")

    mask = Image.new("L", CANVAS, 0)
    ImageDraw.Draw(mask).rectangle((x0, y0, x1 - 1, 60), fill=255)
    save_layer(mask.convert("RGB"), folder / "body_mask.webp")

    # Light bands: shadow on the left, the true tone across the middle and the right.
    light = Image.new("L", CANVAS, 0)
    draw = ImageDraw.Draw(light)
    draw.rectangle((x0, y0, 49, y1 - 1), fill=SHADOW_LIGHT)
    draw.rectangle((50, y0, x1 - 1, y1 - 1), fill=MID_LIGHT)
    save_layer(light.convert("RGB"), folder / "body_light.webp")

    gloss = Image.new("RGB", CANVAS, (0, 0, 0))
    ImageDraw.Draw(gloss).rectangle((110, y0, x1 - 1, 60), fill=GLOSS_RGB)
    save_layer(gloss, folder / "body_gloss.webp")

    glass = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    ImageDraw.Draw(glass).rectangle((85, 31, 100, 38), fill=(120, 160, 200, 140))
    save_layer(glass, folder / "glass.webp")


def _option_layer(option_id: str) -> Image.Image:
    image = Image.new("RGBA", CANVAS, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    kind, geometry, colour = OPTION_SHAPES[option_id]
    if kind == "rect":
        x0, y0, x1, y1 = geometry
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=colour)
    else:
        for cx in (50, 110):
            draw.ellipse((cx - geometry, 72 - geometry, cx + geometry, 72 + geometry), fill=colour)
        # Rendered with the body as a holdout: only the part below the body is in the layer.
        x0, y0, x1, y1 = BODY_BOX
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=(0, 0, 0, 0))
    return image
