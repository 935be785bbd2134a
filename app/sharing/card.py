"""The 1200×630 share card: the car as drawn by the compositor, its nickname and one line (Pillow only)."""

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BAND = 178  # the text band across the bottom
INK, ACCENT, PAPER = (33, 32, 28), (209, 52, 21), (249, 249, 248)
CARD_DESIGN = "1"  # bump when the layout changes: card URLs include it, so caches never keep an old design


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own bundled font: no system fonts needed, the same on every server.
    return ImageFont.load_default(size=size)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, size: int, max_width: int
) -> "ImageFont.FreeTypeFont | ImageFont.ImageFont":
    """The largest font up to `size` in which `text` fits `max_width` (long nicknames shrink, never overflow)."""
    while size > 18:
        font = _font(size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 4
    return _font(size)


def draw_card(car: Image.Image, title: str, line: str) -> bytes:
    """The card as a JPEG: `car` fills the top (cropped to the card's shape), `title` and `line` on a band below."""
    card = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    top = HEIGHT - BAND
    scale = max(WIDTH / car.width, top / car.height)
    resized = car.convert("RGB").resize((round(car.width * scale), round(car.height * scale)), Image.Resampling.LANCZOS)
    left, upper = (resized.width - WIDTH) // 2, (resized.height - top) // 2
    card.paste(resized.crop((left, upper, left + WIDTH, upper + top)), (0, 0))
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, top, WIDTH, top + 8), fill=ACCENT)
    margin = 48
    draw.text((margin, top + 28), title, font=_fit(draw, title, 64, WIDTH - 2 * margin), fill=INK)
    draw.text((margin, top + 108), line, font=_fit(draw, line, 34, WIDTH - 2 * margin - 200), fill=INK)
    brand = _font(30)
    brand_left = WIDTH - margin - draw.textlength("Motorjoy", font=brand)
    draw.text((brand_left, top + 112), "Motorjoy", font=brand, fill=ACCENT)
    out = io.BytesIO()
    card.save(out, "JPEG", quality=86, optimize=True, progressive=True)
    return out.getvalue()
