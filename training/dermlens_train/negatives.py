"""Photos that are not close-ups of a skin spot, made here, to choose and test the not-a-spot gate.

Two kinds: drawn images (rendered text, screenshot-like layouts, flat colours, gradients, noise,
regular textures) and random crops of the real photos that ship inside installed packages
(scikit-learn, matplotlib, scikit-image: a palace, a flower, a cat, an astronaut, coffee, a
rocket, motorcycles, bricks, grass, text pages, ...). Each real source photo belongs to one half
only ("select" or "test"), so a threshold is never tested on crops of a photo it was chosen on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .arrays import Images
from .preprocess import preprocess_array

CANVAS = 256
WORDS = [
    "invoice",
    "total",
    "due",
    "skin",
    "clinic",
    "appointment",
    "monday",
    "results",
    "page",
    "settings",
    "battery",
    "wifi",
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "photo",
    "camera",
    "share",
    "delete",
    "save",
    "cancel",
    "search",
    "menu",
    "profile",
]


@dataclass(frozen=True)
class Negative:
    kind: str
    source: str
    pixels: Images  # uint8 (H, W, 3)


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in rng.integers(0, 256, 3))
    return r, g, b


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def text_image(rng: np.random.Generator) -> Images:
    """Lines of rendered words: a document, a receipt, a message."""
    light = rng.random() < 0.7
    background = tuple(int(v) for v in (rng.integers(200, 256, 3) if light else rng.integers(0, 60, 3)))
    image = Image.new("RGB", (CANVAS, CANVAS), background)
    draw = ImageDraw.Draw(image)
    size = int(rng.integers(10, 40))
    ink = tuple(int(v) for v in (rng.integers(0, 80, 3) if light else rng.integers(180, 256, 3)))
    y = int(rng.integers(0, 20))
    while y < CANVAS:
        line = " ".join(rng.choice(WORDS, int(rng.integers(2, 7))))
        draw.text((int(rng.integers(0, 30)), y), line, fill=ink, font=_font(size))
        y += int(size * rng.uniform(1.2, 1.8))
    return np.asarray(image)


def screenshot_image(rng: np.random.Generator) -> Images:
    """An app-like layout: a bar, cards, buttons and short labels."""
    dark = rng.random() < 0.3
    image = Image.new("RGB", (CANVAS, CANVAS), (24, 24, 28) if dark else (246, 246, 248))
    draw = ImageDraw.Draw(image)
    accent = _colour(rng)
    draw.rectangle((0, 0, CANVAS, int(rng.integers(24, 48))), fill=accent)
    y = 56
    while y < CANVAS - 20:
        height = int(rng.integers(24, 70))
        card = (44, 44, 50) if dark else (255, 255, 255)
        draw.rounded_rectangle((8, y, CANVAS - 8, y + height), radius=6, fill=card, outline=(200, 200, 205))
        draw.text(
            (16, y + 6),
            " ".join(rng.choice(WORDS, 3)),
            fill=(230, 230, 230) if dark else (30, 30, 30),
            font=_font(int(rng.integers(10, 16))),
        )
        if rng.random() < 0.5:
            draw.rounded_rectangle((CANVAS - 80, y + height - 22, CANVAS - 16, y + height - 6), radius=4, fill=accent)
        y += height + int(rng.integers(6, 16))
    return np.asarray(image)


def flat_image(rng: np.random.Generator) -> Images:
    return np.broadcast_to(np.array(_colour(rng), dtype=np.uint8), (CANVAS, CANVAS, 3)).copy()


def gradient_image(rng: np.random.Generator) -> Images:
    a, b = np.array(_colour(rng), dtype=np.float64), np.array(_colour(rng), dtype=np.float64)
    yy, xx = np.mgrid[0:CANVAS, 0:CANVAS] / (CANVAS - 1)
    if rng.random() < 0.5:
        angle = rng.uniform(0, np.pi)
        t = (np.cos(angle) * xx + np.sin(angle) * yy) / (abs(np.cos(angle)) + abs(np.sin(angle)))
    else:
        cx, cy = rng.uniform(0, 1, 2)
        t = np.clip(np.hypot(xx - cx, yy - cy) / 0.8, 0, 1)
    blended: Images = (a + (b - a) * t[..., None]).round().astype(np.uint8)
    return blended


def noise_image(rng: np.random.Generator) -> Images:
    """Colour or grey noise, from pixel-fine to blotchy."""
    coarse = int(rng.choice([1, 4, 16, 64]))
    side = max(2, CANVAS // coarse)
    grey = rng.random() < 0.3
    base = rng.integers(0, 256, (side, side, 1 if grey else 3)).astype(np.uint8)
    image = Image.fromarray(np.repeat(base, 3, axis=2) if grey else base).resize(
        (CANVAS, CANVAS), Image.Resampling.BILINEAR
    )
    return np.asarray(image)


def texture_image(rng: np.random.Generator) -> Images:
    """Checkerboards, stripes, dots and waves in two random colours."""
    a, b = np.array(_colour(rng)), np.array(_colour(rng))
    yy, xx = np.mgrid[0:CANVAS, 0:CANVAS]
    period = int(rng.integers(6, 64))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        mask = ((xx // period) + (yy // period)) % 2 == 0
    elif kind == 1:
        mask = (xx // period) % 2 == 0
    elif kind == 2:
        mask = np.hypot(xx % period - period / 2, yy % period - period / 2) < period / 3
    else:
        mask = np.sin(xx / period * 2 * np.pi + np.sin(yy / period * 2)) > 0
    return np.where(mask[..., None], a, b).astype(np.uint8)


DRAWN: dict[str, Callable[[np.random.Generator], Images]] = {
    "text": text_image,
    "screenshot": screenshot_image,
    "flat": flat_image,
    "gradient": gradient_image,
    "noise": noise_image,
    "texture": texture_image,
}


def real_photo_paths() -> list[tuple[str, Path]]:
    """(name, path) of the photos bundled with installed packages, in a fixed order."""
    import matplotlib
    import sklearn

    found = [
        ("sklearn/" + n, Path(sklearn.__file__).parent / "datasets" / "images" / n) for n in ("china.jpg", "flower.jpg")
    ]
    sample = Path(matplotlib.get_data_path()) / "sample_data"
    found += [
        ("matplotlib/" + n, sample / n) for n in ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png", "logo2.png")
    ]
    try:
        import skimage

        data = Path(skimage.__file__).parent / "data"
        found += [
            (f"skimage/{p.name}", p)
            for p in sorted(data.glob("*.png")) + sorted(data.glob("*.jpg"))
            if "chessboard" not in p.name
        ]
    except ImportError:  # scikit-image is a development dependency; without it fewer real photos are used
        pass
    return [(name, path) for name, path in found if path.is_file()]


def load_rgb(path: Path) -> Images:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def random_crop(rgb: Images, rng: np.random.Generator) -> Images:
    """A square crop of 30-100% of the short side, maybe flipped and slightly blurred (as a phone might frame it)."""
    h, w = rgb.shape[:2]
    side = max(8, int(min(h, w) * rng.uniform(0.3, 1.0)))
    y, x = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
    crop = rgb[y : y + side, x : x + side]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    if rng.random() < 0.2:
        crop = np.asarray(Image.fromarray(np.ascontiguousarray(crop)).filter(ImageFilter.GaussianBlur(1.0)))
    return np.ascontiguousarray(crop)


def negatives(half: str, drawn_per_kind: int = 40, crops_per_photo: int = 12) -> Iterator[Negative]:
    """The `half` ("select" or "test") of the negatives: drawn images from a half-specific seed and
    crops of every other real photo (even positions -> select, odd -> test)."""
    offset = {"select": 0, "test": 1}[half]
    rng = np.random.default_rng(1000 + offset)
    for kind, draw in DRAWN.items():
        for index in range(drawn_per_kind):
            yield Negative(kind, f"{kind}-{half}-{index}", draw(rng))
    for position, (name, path) in enumerate(real_photo_paths()):
        if position % 2 != offset:
            continue
        rgb = load_rgb(path)
        for index in range(crops_per_photo):
            yield Negative("photo", f"{name}#{index}", random_crop(rgb, rng))


def negative_inputs(half: str, size: int) -> tuple[Images, list[Negative]]:
    """The negatives as the app would feed them to a model of input `size` (uint8, centre crop + area resize)."""
    items = list(negatives(half))
    return np.stack([preprocess_array(item.pixels, size) for item in items]), items
