"""`train_seed` draws a recipe again on the same selection fold: it changes the weights, not the fold."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import dermlens_train.prepared as prepared_module
from dermlens_train.lineage import selection_seeds
from dermlens_train.train import train

from synthetic import make_dataset, make_phone_dataset
from test_resume import config_for, weights


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    return tmp_path


def test_train_seed_zero_is_the_seed(data: Path) -> None:
    train(config_for(data, "default", epochs=1))
    train(config_for(data, "explicit", epochs=1, train_seed=1234))
    default, explicit = weights(data / "default"), weights(data / "explicit")
    for name, value in default.items():
        assert torch.equal(value, explicit[name]), name


def test_another_train_seed_draws_other_weights_on_the_same_fold(data: Path) -> None:
    train(config_for(data, "first", epochs=1))
    train(config_for(data, "second", epochs=1, train_seed=99))
    first, second = weights(data / "first"), weights(data / "second")
    assert any(not torch.equal(value, second[name]) for name, value in first.items() if value.is_floating_point())
    # Both runs select on seed 1234's fold: a soup of the two needs no --selection-seeds.
    assert selection_seeds(data / "first" / "best.pt") == selection_seeds(data / "second" / "best.pt") == {1234}
    logs = [torch.load(data / run / "last.pt", weights_only=False)["log"] for run in ("first", "second")]
    assert logs[0]["config"]["seed"] == logs[1]["config"]["seed"] == 1234

    def fold(**changes: object) -> list[object]:
        return list(prepared_module.prepare(config_for(data, "any", **changes)).derm.select.records)

    assert fold(train_seed=99) == fold()
    assert fold(seed=7) != fold()  # the fold does follow `seed`
