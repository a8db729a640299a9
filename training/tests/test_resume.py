"""A run stopped after an epoch and resumed ends with exactly the weights of one that was not stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import dermlens_train.prepared as prepared_module
from dermlens_train.config import TrainConfig
from dermlens_train.resume import settings_changed
from dermlens_train.train import train

from synthetic import make_dataset, make_phone_dataset


def config_for(root: Path, run: str, **changes: object) -> TrainConfig:
    values: dict[str, object] = dict(
        model_id="resume-28",
        role="fast",
        size=28,
        arch="compact",
        pretrained=False,
        epochs=3,
        batch_size=8,
        freeze=1,
        data_dir=str(root / "ham"),
        split_file=str(root / "split.csv"),
        phone_dir=str(root / "pad"),
        phone_split_file=str(root / "pad_folds.csv"),
        run_dir=str(root / run),
        selection_fraction=0.3,
        patience=100,
        threads=1,
    )
    values.update(changes)
    return TrainConfig(**values)  # type: ignore[arg-type]


def weights(run_dir: Path) -> dict[str, torch.Tensor]:
    saved = torch.load(run_dir / "last.pt", map_location="cpu", weights_only=False)
    return {**{f"model.{k}": v for k, v in saved["model"].items()}, **{f"ema.{k}": v for k, v in saved["ema"].items()}}


def test_interrupted_and_resumed_equals_uninterrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    train(config_for(tmp_path, "straight"))
    train(config_for(tmp_path, "stopped", stop_after=1))
    assert torch.load(tmp_path / "stopped" / "last.pt", weights_only=False)["epoch"] == 1
    torch.manual_seed(999)  # a resumed process starts with other RNG states: the checkpoint must restore them
    train(config_for(tmp_path, "stopped", resume=True))
    straight, resumed = weights(tmp_path / "straight"), weights(tmp_path / "stopped")
    assert straight.keys() == resumed.keys()
    for name, value in straight.items():
        assert torch.equal(value, resumed[name]), name
    log = torch.load(tmp_path / "stopped" / "last.pt", weights_only=False)["log"]
    assert [e["epoch"] for e in log["epochs"]] == [1, 2, 3]


def test_settings_changed_ignores_per_call_settings_and_cache_roots() -> None:
    teachers = "/a/runs/t1/best.pt,/a/runs/t2/best.pt"
    saved = {"epochs": 20, "lr": 3e-3, "threads": 2, "device": "cuda", "teacher": teachers}
    same_run = {**saved, "threads": 16, "device": "cpu", "teacher": "/b/runs/t1/best.pt,/b/runs/t2/best.pt"}
    assert settings_changed(saved, same_run) == []
    assert settings_changed(saved, {**saved, "epochs": 5, "lr": 1e-3}) == ["epochs", "lr"]
    assert settings_changed(saved, {**saved, "teacher": "/a/runs/t3/best.pt"}) == ["teacher"]
    # A setting the checkpoint predates is not compared.
    assert settings_changed(saved, {**saved, "fade_surround": 0.5}) == []


def test_resume_refuses_a_checkpoint_of_other_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    train(config_for(tmp_path, "run", stop_after=1))
    before = (tmp_path / "run" / "last.pt").read_bytes()
    with pytest.raises(ValueError, match=r"other settings \(epochs: 3, now 5.*lr"):
        train(config_for(tmp_path, "run", resume=True, epochs=5, lr=1e-3))
    assert (tmp_path / "run" / "last.pt").read_bytes() == before  # nothing of the first run lost
