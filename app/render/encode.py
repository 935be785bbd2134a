"""Turn a composed picture into WebP or JPEG bytes."""

from __future__ import annotations

import io

from PIL import Image

WEBP_QUALITY = 80
JPEG_QUALITY = 82
LIVE_METHOD = 0  # WebP effort for a request that is waiting (fast, a little bigger)
PRECOMPUTE_METHOD = 4  # WebP effort for pictures rendered ahead of time


def encode(image: Image.Image, format: str, method: int = LIVE_METHOD) -> bytes:
    """Encode an RGB picture as 'webp' or 'jpg'; `method` is the WebP effort (0 fastest, 6 smallest)."""
    buffer = io.BytesIO()
    if format == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=method)
    elif format == "jpg":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=method > LIVE_METHOD, progressive=True)
    else:
        raise ValueError(f"unknown picture format {format!r}")
    return buffer.getvalue()
