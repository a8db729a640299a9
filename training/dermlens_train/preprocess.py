"""The preprocessing spec of model/README.md, in numpy: the app implements the same maths in TS.

Decode (EXIF-rotated) -> alpha over white -> centre square crop -> exact separable area resize
-> floor(v + 0.5) to uint8. Training caches the uint8 result; the network sees uint8 / 255.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from .arrays import Float32s, Floats, Images

ALPHA_BACKGROUND = (255, 255, 255)

SPEC: dict[str, object] = {
    "orientation": "exif",
    "alphaBackground": list(ALPHA_BACKGROUND),
    "crop": "centre-square: side=min(w,h), x0=floor((w-side)/2), y0=floor((h-side)/2)",
    "resize": "area (exact separable box filter, source interval [i*s,(i+1)*s), s=side/N)",
    "rounding": "uint8 = clamp(floor(v + 0.5), 0, 255)",
    "valueRange": [0, 1],
    "scale": "uint8 / 255",
    "channelOrder": "RGB",
    "layout": "NHWC",
}


def decode_rgb(path: Path | str) -> Images:
    """Decode an image file to HxWx3 uint8 RGB, upright per EXIF, alpha composited over white."""
    with Image.open(path) as opened:
        img = ImageOps.exif_transpose(opened)
        assert img is not None, "exif_transpose returns a new image unless asked to work in place"
        if img.mode in ("RGBA", "LA", "P", "PA") or "transparency" in img.info:
            rgba = img.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (*ALPHA_BACKGROUND, 255))
            img = Image.alpha_composite(background, rgba)
        return np.asarray(img.convert("RGB"), dtype=np.uint8)


def centre_square_box(width: int, height: int) -> tuple[int, int, int]:
    """(x0, y0, side) of the centre square crop."""
    side = min(width, height)
    return (width - side) // 2, (height - side) // 2, side


@lru_cache(maxsize=64)
def area_weights(source: int, target: int) -> Floats:
    """target x source matrix: row i averages source pixels by their overlap with [i*s, (i+1)*s)."""
    scale = source / target
    weights = np.zeros((target, source), dtype=np.float64)
    for i in range(target):
        start, end = i * scale, (i + 1) * scale
        first, last = int(np.floor(start)), min(int(np.ceil(end)), source)
        for j in range(first, last):
            overlap = min(end, j + 1) - max(start, j)
            if overlap > 0:
                weights[i, j] = overlap / scale
    return weights


def resize_area(square: Images, size: int) -> Images:
    """Area-resize an SxSx3 uint8 square to size x size x 3 uint8 (rows first, then columns)."""
    side = square.shape[0]
    weights = area_weights(side, size)
    pixels = square.astype(np.float64)
    rows = np.tensordot(weights, pixels, axes=(1, 0))  # (size, side, 3)
    both = np.tensordot(weights, rows, axes=(1, 1)).transpose(1, 0, 2)  # (size, size, 3)
    rounded: Images = np.clip(np.floor(both + 0.5), 0, 255).astype(np.uint8)
    return rounded


def preprocess_array(rgb: Images, size: int) -> Images:
    """HxWx3 uint8 -> size x size x 3 uint8 by the spec (crop + area resize + rounding)."""
    height, width = rgb.shape[:2]
    x0, y0, side = centre_square_box(width, height)
    return resize_area(rgb[y0 : y0 + side, x0 : x0 + side], size)


def preprocess_file(path: Path | str, size: int) -> Images:
    """Image file -> size x size x 3 uint8, exactly as the app computes it."""
    return preprocess_array(decode_rgb(path), size)


def to_network_input(batch_uint8: Images) -> Float32s:
    """NxHxWx3 uint8 -> float32 in [0, 1] (the network's input)."""
    return batch_uint8.astype(np.float32) / 255.0
