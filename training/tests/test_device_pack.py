"""What travels to a lent GPU: the fit and selection images of both domains and never a test fold,
and a training-only copy of the data that `prepare` reads like the full one; and what comes back."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import torch

from dermlens_train import prepared
from dermlens_train.config import TrainConfig
from dermlens_train.data import data_dir
from dermlens_train.device_pack import PAD_SIZE, pack, unpack
from dermlens_train.pad_ufes import DEFAULT_PAD_DIR, read_pad_folds
from dermlens_train.splits import DEFAULT_SPLIT_FILE, read_assignment

from shared_data import require


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require(data_dir(), "the device pack")
    require(DEFAULT_PAD_DIR, "the device pack")
    root = tmp_path_factory.mktemp("pack")
    teacher = root / "p1-x.pt"
    torch.save({"arch": "compact24", "size": 28, "state_dict": {"w": torch.ones(3)}}, teacher)
    pack(root / "pack", teachers=[teacher])
    return unpack(root / "pack", root / "unpacked")


def _ids(csv_path: Path, column: str) -> set[str]:
    with csv_path.open(newline="") as handle:
        return {Path(row[column]).stem for row in csv.DictReader(handle)}


def test_no_test_fold_travels(unpacked: Path) -> None:
    derm_test = {i for i, s in read_assignment(DEFAULT_SPLIT_FILE).items() if s == "test"}
    pad_test = {i for i, s in read_pad_folds().items() if s == "test"}
    derm_ids = {p.stem for p in (unpacked / "ham10000" / "images").iterdir()}
    pad_ids = {p.stem for p in (unpacked / "pad-ufes-20" / "images").iterdir()}
    assert derm_ids and pad_ids
    assert not derm_ids & derm_test and not pad_ids & pad_test
    assert _ids(unpacked / "ham10000" / "HAM10000_metadata.csv", "image_id") == derm_ids
    assert _ids(unpacked / "pad-ufes-20" / "metadata.csv", "img_id") == pad_ids
    # every fit and selection image is there
    assert len(derm_ids) == sum(1 for s in read_assignment(DEFAULT_SPLIT_FILE).values() if s != "test")
    assert len(pad_ids) == sum(1 for s in read_pad_folds().values() if s != "test")


def test_teachers_travel_as_float16(unpacked: Path) -> None:
    saved = torch.load(unpacked / "teacher-p1-x.pt", weights_only=False)
    assert saved["state_dict"]["w"].dtype == torch.float16
    assert saved["arch"] == "compact24"


def test_a_training_only_copy_prepares(unpacked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared, "CACHE_DIR", tmp_path / "cache")
    config = TrainConfig(
        size=28,
        limit=12,
        data_dir=str(unpacked / "ham10000"),
        phone_dir=str(unpacked / "pad-ufes-20"),
    )
    data = prepared.prepare(config)
    assert data.phone is not None
    for domain in (data.derm, data.phone):
        assert len(domain.fit.labels) == 12 and len(domain.select.labels) == 12
        assert domain.test.images.shape == (0, 28, 28, 3) and len(domain.test.labels) == 0
    # the phone photos travel at the accurate model's input size
    first = next((unpacked / "pad-ufes-20" / "images").iterdir())
    from PIL import Image

    with Image.open(first) as image:
        assert image.size == (PAD_SIZE, PAD_SIZE)
    assert data.derm.fit.images.dtype == np.uint8


def test_networks_come_back_in_float16_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dermlens_train import device_session

    monkeypatch.setattr(device_session, "RUNS", tmp_path / "runs")
    run = device_session.Run("s-x", [], 12, 2)
    run.folder.mkdir(parents=True)
    weights = {"w": torch.rand(4, dtype=torch.float32), "count": torch.tensor(3)}
    torch.save({"arch": "lite0", "size": 128, "state_dict": weights}, run.folder / "best.pt")
    for half, out in ((False, tmp_path / "full"), (True, tmp_path / "half")):
        out.mkdir()
        device_session.keep([run], out, half=half)
        back = torch.load(out / "s-x.pt", weights_only=False)["state_dict"]
        assert back["w"].dtype == (torch.float16 if half else torch.float32)
        assert torch.allclose(back["w"].float(), weights["w"], atol=1e-3)
        assert back["count"].dtype == torch.int64  # integer buffers stay as they are


def test_every_soup_ingredient_is_a_valid_training_command() -> None:
    from dermlens_train.cli import build_parser, config_from
    from dermlens_train.device_session import soup_runs

    configs = [config_from(build_parser().parse_args(["train", *run.flags])) for run in soup_runs()]
    assert {c.arch for c in configs} == {"lite0"} and {c.size for c in configs} == {128}
    recipes = {(c.freeze, c.fade_surround, c.lr, c.cutmix, c.phone_share) for c in configs}
    assert len(recipes) == len(configs)  # each ingredient a different recipe
    assert len({run.name for run in soup_runs()}) == len(configs)
