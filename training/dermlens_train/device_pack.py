"""What a lent GPU machine needs to train, in the 64 MiB its transfer carries: the fit and selection
images of both domains (never a test fold), the folds, and the ImageNet weights.

    python -m dermlens_train.device_pack ../.devpack [--teachers a.pt,b.pt]
    # then, there: python3 -m dermlens_train.device_session ../.devpack "$OUT"

- HAM10000: the original JPEGs of DermaMNIST-C train + val, unchanged, so the network there sees
  exactly what it sees here.
- PAD-UFES-20: the train and select folds preprocessed here to 128 px (the model's input, by the
  same preprocessing as the app) and stored as JPEG quality 97 under their own ids: the 600 px
  originals would not fit. The networks there thus see phone photos that went through one more
  high-quality JPEG round, and the selection scores there are re-measured here on the originals
  before any decision.
- The ImageNet state dict without its 1000-class head (not used when fine-tuning).
- Optionally teachers from an earlier call (`--teachers`), their weights rounded to float16.
Each domain travels as one .tar.gz: 8,788 small files in a folder count for more than their bytes
against the limit. Nothing in the pack is committed (the folder is ignored); it is rebuilt from
../shared/data.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import torch
from PIL import Image

from .data import data_dir, image_path
from .efficientnet import pretrained_weights_path
from .pad_ufes import DEFAULT_PAD_DIR, DEFAULT_PAD_SPLIT_FILE, read_pad_folds
from .preprocess import preprocess_file
from .splits import DEFAULT_SPLIT_FILE, read_assignment

PAD_SIZE = 128
PAD_QUALITY = 97


def _filtered_csv(source: Path, target: Path, keep: set[str], id_column: str) -> None:
    with source.open(newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if Path(row[id_column]).stem in keep]
        fields = reader.fieldnames or []
    with target.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _stage_derm(staging: Path) -> int:
    derm_root, derm_out = data_dir(), staging / "ham10000"
    (derm_out / "images").mkdir(parents=True)
    derm_ids = {i for i, split in read_assignment(DEFAULT_SPLIT_FILE).items() if split != "test"}
    _filtered_csv(derm_root / "HAM10000_metadata.csv", derm_out / "HAM10000_metadata.csv", derm_ids, "image_id")
    for image_id in sorted(derm_ids):
        shutil.copyfile(image_path(derm_root, image_id), image_path(derm_out, image_id))
    return len(derm_ids)


def _stage_pad(staging: Path) -> int:
    pad_out = staging / "pad-ufes-20"
    (pad_out / "images").mkdir(parents=True)
    pad_ids = {i for i, fold in read_pad_folds(DEFAULT_PAD_SPLIT_FILE).items() if fold != "test"}
    _filtered_csv(DEFAULT_PAD_DIR / "metadata.csv", pad_out / "metadata.csv", pad_ids, "img_id")
    for image_id in sorted(pad_ids):
        pixels = preprocess_file(image_path(DEFAULT_PAD_DIR, image_id), PAD_SIZE)
        Image.fromarray(pixels).save(image_path(pad_out, image_id), format="JPEG", quality=PAD_QUALITY)
    return len(pad_ids)


def in_float16(state_dict: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Floating-point tensors rounded to float16 (half the bytes to carry), integer buffers as they are."""
    return {k: v.half() if v.is_floating_point() else v for k, v in state_dict.items()}


def pack(target: Path, teachers: list[Path] | None = None) -> dict[str, int]:
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as temporary:
        staging = Path(temporary)
        counts["ham10000"] = _stage_derm(staging)
        counts["pad-ufes-20"] = _stage_pad(staging)
        for domain in ("ham10000", "pad-ufes-20"):
            with tarfile.open(target / f"{domain}.tar.gz", "w:gz") as tar:
                tar.add(staging / domain, arcname=domain)
    state = torch.load(pretrained_weights_path(), map_location="cpu")
    torch.save({k: v for k, v in state.items() if not k.startswith("_fc.")}, target / "imagenet-lite0.pth")
    for path in teachers or []:
        saved = torch.load(path, map_location="cpu", weights_only=False)
        saved["state_dict"] = in_float16(saved["state_dict"])
        torch.save(saved, target / f"teacher-{path.parent.name if path.name == 'best.pt' else path.stem}.pt")
    return counts


def unpack(pack_dir: Path, dest: Path) -> Path:
    """The pack as data folders, weights and teachers under dest (on the machine that trains)."""
    dest.mkdir(parents=True, exist_ok=True)
    for archive in sorted(pack_dir.glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            tar.extractall(dest, filter="data")
    for weights in sorted(pack_dir.glob("*.pt*")):
        shutil.copyfile(weights, dest / weights.name)
    return dest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="device_pack")
    parser.add_argument("target", type=Path, nargs="?", default=Path("../.devpack"))
    parser.add_argument("--teachers", default="", help="comma-separated best.pt files to take along")
    args = parser.parse_args(argv)
    teachers = [Path(p) for p in args.teachers.split(",") if p]
    counts = pack(args.target, teachers)
    size = sum(f.stat().st_size for f in args.target.rglob("*") if f.is_file())
    print(f"{args.target}: {counts}, {size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
