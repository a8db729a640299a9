"""A tiny HAM10000-shaped dataset drawn by the tests: coloured blobs, one hue per class."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from PIL import Image

from dermlens_train import LABELS


def draw_lesion(rng: np.random.Generator, label: int, width: int = 200, height: int = 150) -> Image.Image:
    yy, xx = np.mgrid[0:height, 0:width]
    cx, cy = width / 2 + rng.uniform(-15, 15), height / 2 + rng.uniform(-10, 10)
    radius = rng.uniform(25, 45)
    inside = ((xx - cx) ** 2 + (yy - cy) ** 2) < radius**2
    skin = np.array([220, 180, 160]) + rng.integers(-10, 10, 3)
    hue = np.array([(37 * label) % 255, (91 * label + 40) % 255, (53 * label + 90) % 255])
    pixels = np.where(inside[..., None], hue, skin) + rng.normal(0, 6, (height, width, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def make_dataset(root: Path, lesions_per_class: int = 4, images_per_lesion: int = 2, seed: int = 0) -> tuple[Path, Path]:
    """Write root/ham/{HAM10000_metadata.csv,images/} and root/split.csv (lesion-disjoint)."""
    rng = np.random.default_rng(seed)
    ham = root / "ham"
    (ham / "images").mkdir(parents=True)
    rows, split_rows, counter = [], [], 0
    for label, dx in enumerate(LABELS):
        for lesion in range(lesions_per_class):
            lesion_id = f"HAM_{label}{lesion:05d}"
            split = ("test", "val", "train", "train")[lesion % 4]
            for _ in range(images_per_lesion):
                image_id = f"ISIC_{counter:07d}"
                counter += 1
                draw_lesion(rng, label).save(ham / "images" / f"{image_id}.jpg", quality=92)
                rows.append({"lesion_id": lesion_id, "image_id": image_id, "dx": dx, "dx_type": "histo",
                             "age": "50.0", "sex": "male", "localization": "back"})
                split_rows.append({"image_id": image_id, "split": split})
    write_csv(ham / "HAM10000_metadata.csv", rows)
    write_csv(root / "split.csv", split_rows)
    return ham, root / "split.csv"


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
