"""HAM10000 on disk: metadata validation, the decoded uint8 cache, and clear errors when data is bad."""

from __future__ import annotations

import csv
import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import LABELS
from .arrays import Images
from .preprocess import preprocess_file

REQUIRED_COLUMNS = ("lesion_id", "image_id", "dx")
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ham10000"


class DataError(RuntimeError):
    """The dataset is missing or malformed; the message says what and where."""


def data_dir(explicit: str | Path | None = None) -> Path:
    """--data-dir, else $DERMLENS_DATA, else ../shared/data/ham10000 beside the project."""
    chosen = explicit or os.environ.get("DERMLENS_DATA") or DEFAULT_DATA_DIR
    return Path(chosen)


@dataclass(frozen=True)
class Record:
    image_id: str
    lesion_id: str
    dx: str

    @property
    def label(self) -> int:
        return LABELS.index(self.dx)


def load_metadata(root: Path) -> list[Record]:
    """Read HAM10000_metadata.csv; raise DataError naming what is missing or unknown."""
    csv_path = root / "HAM10000_metadata.csv"
    if not root.is_dir():
        raise DataError(
            f"HAM10000 not found at {root}. Point --data-dir or DERMLENS_DATA at a folder with "
            "HAM10000_metadata.csv and images/, or run `python -m dermlens_train download`."
        )
    if not csv_path.is_file():
        raise DataError(f"{csv_path} is missing (expected the official HAM10000 metadata CSV).")
    with csv_path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{csv_path} lacks column(s) {', '.join(missing)}; found {reader.fieldnames}.")
        records = [Record(row["image_id"], row["lesion_id"], row["dx"]) for row in reader]
    unknown = sorted({r.dx for r in records} - set(LABELS))
    if unknown:
        raise DataError(f"{csv_path} has unknown dx value(s) {unknown}; expected {list(LABELS)}.")
    if not records:
        raise DataError(f"{csv_path} has no rows.")
    return records


def image_path(root: Path, image_id: str) -> Path:
    return root / "images" / f"{image_id}.jpg"


def check_images(root: Path, records: list[Record]) -> list[Record]:
    """Keep records whose image file exists; raise if none do, warn naming the missing ones."""
    missing = [r.image_id for r in records if not image_path(root, r.image_id).is_file()]
    if len(missing) == len(records):
        raise DataError(f"None of the {len(records)} images exist under {root / 'images'}.")
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        warnings.warn(f"{len(missing)} image(s) missing under {root / 'images'} and skipped: {shown}", stacklevel=2)
    missing_set = set(missing)
    return [r for r in records if r.image_id not in missing_set]


def _cache_key(root: Path, records: list[Record], size: int) -> str:
    digest = hashlib.sha256(f"{root.resolve()}|{size}|v1".encode())
    for record in records:
        digest.update(record.image_id.encode())
    return digest.hexdigest()[:16]


def load_images(root: Path, records: list[Record], size: int, cache_dir: Path) -> tuple[Images, list[Record]]:
    """uint8 (n, size, size, 3) for the readable records, cached as one .npy per size.

    Unreadable files are skipped with a warning naming them (never a crash mid-epoch): the
    returned records are the ones that decoded, in order.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = _cache_key(root, records, size)
    array_path, ids_path = cache_dir / f"images-{size}-{key}.npy", cache_dir / f"images-{size}-{key}.ids"
    if array_path.is_file() and ids_path.is_file():
        kept_ids = ids_path.read_text().split()
        by_id = {r.image_id: r for r in records}
        return np.load(array_path), [by_id[i] for i in kept_ids]
    images, kept, failed = [], [], []
    for record in tqdm(records, desc=f"decode {size}px", unit="img", leave=False):
        try:
            images.append(preprocess_file(image_path(root, record.image_id), size))
            kept.append(record)
        except (OSError, ValueError) as error:
            failed.append(f"{record.image_id} ({error.__class__.__name__})")
    if failed:
        warnings.warn(f"{len(failed)} unreadable image(s) skipped: {', '.join(failed[:10])}", stacklevel=2)
    if not kept:
        raise DataError(f"No image under {root / 'images'} could be decoded.")
    array = np.stack(images)
    np.save(array_path, array)
    ids_path.write_text("\n".join(r.image_id for r in kept))
    return array, kept
