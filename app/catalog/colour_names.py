"""A customer's own paint in words: the nearest everyday colour name to a hex code (for alt text)."""

from __future__ import annotations

import functools

# Words people use for car paint, each at a typical shade. Our own short list: a screen reader should say
# "a custom teal", not "two A nine D eight F".
NAMED_COLOURS: dict[str, str] = {
    "black": "#111111",
    "charcoal": "#36454F",
    "dark grey": "#5A5A5A",
    "grey": "#8C8C8C",
    "silver": "#C0C0C0",
    "white": "#F8F8F8",
    "cream": "#F3E9C6",
    "beige": "#D8C3A0",
    "brown": "#7B4A26",
    "chocolate brown": "#4A2C17",
    "bronze": "#A0672B",
    "gold": "#D4A62A",
    "yellow": "#F5D90A",
    "mustard": "#C9A227",
    "orange": "#F07A1A",
    "coral": "#F4765E",
    "red": "#D22B2B",
    "dark red": "#8B1A1A",
    "burgundy": "#6D1A36",
    "pink": "#F48FB1",
    "hot pink": "#E6348C",
    "magenta": "#C2188C",
    "purple": "#6E3A9E",
    "lavender": "#B9A5E3",
    "navy": "#1B2A5C",
    "blue": "#2B5FD9",
    "sky blue": "#7CC4F0",
    "turquoise": "#2EC4C4",
    "teal": "#1F8A86",
    "mint": "#A6E3C4",
    "green": "#2E9E48",
    "dark green": "#1E4D2B",
    "olive": "#7A7A2E",
    "lime": "#A8D82E",
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(hex_code: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65): distances there roughly match how different two colours look."""
    text = hex_code.lstrip("#")
    r, g, b = (_linear(int(text[i : i + 2], 16)) for i in (0, 2, 4))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


_LABS = {name: _lab(hex_code) for name, hex_code in NAMED_COLOURS.items()}


@functools.lru_cache(maxsize=4096)  # /build names the paint on every pick (~90 µs); it rarely changes
def colour_name(hex_code: str) -> str:
    """The everyday name nearest to `hex_code` ('#RRGGBB'), e.g. '#2A9D8F' → 'teal'."""
    target = _lab(hex_code)
    return min(_LABS, key=lambda name: sum((a - b) ** 2 for a, b in zip(_LABS[name], target, strict=True)))
