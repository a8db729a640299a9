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


def make_dataset(
    root: Path, lesions_per_class: int = 4, images_per_lesion: int = 2, seed: int = 0
) -> tuple[Path, Path]:
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
                rows.append(
                    {
                        "lesion_id": lesion_id,
                        "image_id": image_id,
                        "dx": dx,
                        "dx_type": "histo",
                        "age": "50.0",
                        "sex": "male",
                        "localization": "back",
                    }
                )
                split_rows.append({"image_id": image_id, "split": split})
    write_csv(ham / "HAM10000_metadata.csv", rows)
    write_csv(root / "split.csv", split_rows)
    return ham, root / "split.csv"


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


PAD_DIAGNOSES = ("ACK", "BCC", "MEL", "NEV", "SCC", "SEK")


def make_phone_dataset(root: Path, patients_per_diagnosis: int = 3, seed: int = 1) -> tuple[Path, Path]:
    """Write root/pad/{metadata.csv,images/} (PAD-UFES-20's columns that we read) and root/pad_folds.csv."""
    from dermlens_train.pad_ufes import PAD_CLASS_MAP

    rng = np.random.default_rng(seed)
    pad = root / "pad"
    (pad / "images").mkdir(parents=True)
    rows, fold_rows = [], []
    for d, diagnosis in enumerate(PAD_DIAGNOSES):
        for patient in range(patients_per_diagnosis):
            patient_id = f"PAT_{d}{patient}"
            fold = ("test", "select", "train")[patient % 3]
            for photo in range(2):
                image_id = f"{patient_id}_{photo}"
                label = LABELS.index(PAD_CLASS_MAP[diagnosis])
                draw_lesion(rng, label, 120, 120).save(pad / "images" / f"{image_id}.jpg", quality=90)
                rows.append(
                    {
                        "patient_id": patient_id,
                        "lesion_id": str(photo),
                        "diagnostic": diagnosis,
                        "img_id": f"{image_id}.jpg",
                        "fitspatrick": "2.0",
                    }
                )
                fold_rows.append({"image_id": image_id, "patient_id": patient_id, "split": fold})
    write_csv(pad / "metadata.csv", rows)
    write_csv(root / "pad_folds.csv", fold_rows)
    return pad, root / "pad_folds.csv"
