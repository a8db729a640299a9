"""`train_seed` draws a recipe again on the same selection fold: it changes the weights, not the fold."""

from __future__ import annotations

from pathlib import Path

import torch

import dermlens_train.prepared as prepared_module
from dermlens_train.lineage import selection_seeds
from dermlens_train.train import train

from test_resume import config_for, weights


def test_train_seed_zero_is_the_seed(tiny_data: Path) -> None:
    train(config_for(tiny_data, "default", epochs=1))
    train(config_for(tiny_data, "explicit", epochs=1, train_seed=1234))
    default, explicit = weights(tiny_data / "default"), weights(tiny_data / "explicit")
    for name, value in default.items():
        assert torch.equal(value, explicit[name]), name


def test_another_train_seed_draws_other_weights_on_the_same_fold(tiny_data: Path) -> None:
    train(config_for(tiny_data, "first", epochs=1))
    train(config_for(tiny_data, "second", epochs=1, train_seed=99))
    first, second = weights(tiny_data / "first"), weights(tiny_data / "second")
    assert any(not torch.equal(value, second[name]) for name, value in first.items() if value.is_floating_point())
    # Both runs select on seed 1234's fold: a soup of the two needs no --selection-seeds.
    seeds = [selection_seeds(tiny_data / run / "best.pt") for run in ("first", "second")]
    assert seeds == [{1234}, {1234}]
    logs = [torch.load(tiny_data / run / "last.pt", weights_only=False)["log"] for run in ("first", "second")]
    assert logs[0]["config"]["seed"] == logs[1]["config"]["seed"] == 1234

    def fold(**changes: object) -> list[object]:
        return list(prepared_module.prepare(config_for(tiny_data, "any", **changes)).derm.select.records)

    assert fold(train_seed=99) == fold()
    assert fold(seed=7) != fold()  # the fold does follow `seed`


def test_the_phone_photos_own_fade_reaches_training(tiny_data: Path) -> None:
    """fade_surround_phone equal to fade_surround trains exactly the same network (the same draws);
    another value for the phone photos alone trains another one."""
    train(config_for(tiny_data, "one", epochs=1, fade_surround=0.5))
    train(config_for(tiny_data, "same", epochs=1, fade_surround=0.5, fade_surround_phone=0.5))
    train(config_for(tiny_data, "more", epochs=1, fade_surround=0.5, fade_surround_phone=1.0))
    one, same, more = (weights(tiny_data / run) for run in ("one", "same", "more"))
    for name, value in one.items():
        assert torch.equal(value, same[name]), name
    assert any(not torch.equal(value, more[name]) for name, value in one.items() if value.is_floating_point())
