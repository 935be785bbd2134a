"""Turn a composed picture into WebP or JPEG bytes."""

from __future__ import annotations

import io

from PIL import Image

WEBP_QUALITY = 80
JPEG_QUALITY = 82
LIVE_METHOD = 0  # WebP effort for a request that is waiting (fast, a little bigger)
PRECOMPUTE_METHOD = 4  # WebP effort for pictures rendered ahead of time
CLEAR_LIVE_METHOD = 1  # the least effort for a mostly clear picture (a stack's piece) while someone waits


def encode(image: Image.Image, format: str, method: int = LIVE_METHOD) -> bytes:
    """Encode an RGB picture as 'webp' or 'jpg'; `method` is the WebP effort (0 fastest, 6 smallest)."""
    buffer = io.BytesIO()
    if format == "webp":
        # A stack's piece is mostly clear, and WebP's fastest effort spends 3-20x the bytes on the clear
        # part. A wheels piece at 800 wide: effort 0 39.8 KB in 42 ms, 1 9.1 KB in 15 ms, 4 8.1 KB in 26 ms.
        effort = max(method, CLEAR_LIVE_METHOD) if image.mode == "RGBA" else method
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=effort)
    elif format == "jpg":
        # Ahead of time, the smallest file that draws in as it comes; while someone waits, the plain
        # kind: a progressive scan took 4.9 ms at 800 wide against 1.0 ms (WebP's fastest: 5.6-7.6 ms).
        ahead = method > LIVE_METHOD
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=ahead, progressive=ahead)
    else:
        raise ValueError(f"unknown picture format {format!r}")
    return buffer.getvalue()
