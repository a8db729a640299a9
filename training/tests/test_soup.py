"""Weight averaging ("model soups"): the mean of the weights, BatchNorm statistics re-estimated as
a plain mean, the greedy rule, and the report over real (tiny) runs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import dermlens_train.prepared as prepared_module
from dermlens_train.checkpoint import load_checkpoint
from dermlens_train.data import DataError
from dermlens_train.lineage import selection_seeds
from dermlens_train.pipeline import run_stage
from dermlens_train.soup import (
    average,
    greedy,
    reestimate_bn,
    save_soup_run,
    save_uniform_soup,
    soup_report,
)
from dermlens_train.train import train

from test_resume import config_for


def _net(seed: int) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten(), nn.LazyLinear(2))


def test_a_soup_is_the_mean_of_the_weights_and_keeps_integer_buffers() -> None:
    a, b = _net(0), _net(1)
    x = torch.rand(2, 3, 6, 6)
    a(x), b(x)  # materialise the lazy layer
    a[1].num_batches_tracked.fill_(5)
    b[1].num_batches_tracked.fill_(9)
    soup = average([a, b])
    for key, value in soup.state_dict().items():
        if value.is_floating_point():
            assert torch.allclose(value, (a.state_dict()[key] + b.state_dict()[key]) / 2)
    assert int(soup.state_dict()["1.num_batches_tracked"]) == 5
    with pytest.raises(ValueError, match="not the same architecture"):
        average([a, nn.Sequential(nn.Linear(2, 2))])


def test_batchnorm_statistics_are_re_estimated_as_the_mean_over_the_images() -> None:
    # 5 equal batches: the mean of the batches' means is the mean over all images
    norm = nn.Sequential(nn.BatchNorm2d(3))
    images = np.random.default_rng(0).integers(0, 256, (320, 5, 5, 3), dtype=np.uint8)
    fixed = reestimate_bn(norm, images, batch_size=64)
    pixels = torch.from_numpy(images).float().div(255).reshape(-1, 3)
    assert torch.allclose(fixed[0].running_mean, pixels.mean(0), atol=1e-5)
    assert not fixed.training and norm[0].running_mean.abs().sum() == 0  # the original is untouched


def test_greedy_keeps_an_ingredient_only_when_the_soup_does_not_score_lower() -> None:
    def linear(value: float) -> nn.Linear:
        layer = nn.Linear(1, 1, bias=False)
        layer.weight.data.fill_(value)
        return layer

    target = 1.0
    score = lambda m: -abs(float(m.weight.detach()) - target)
    soup = greedy([("best", linear(1.4)), ("helps", linear(0.8)), ("hurts", linear(-3.0))], score)
    assert soup.kept == ["best", "helps"]
    assert float(soup.model.weight.detach()) == pytest.approx(1.1)
    assert [t["kept"] for t in soup.trail] == [True, True, False]


def trained(root: Path, *runs: tuple[str, float]) -> list[Path]:
    """One-epoch runs (name, learning rate) of one seed: ingredients that average."""
    return [train(config_for(root, name, epochs=1, lr=lr)) for name, lr in runs]


def test_the_report_scores_runs_and_their_soups(tiny_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path = tiny_data
    config = config_for(tmp_path, "one", epochs=1)
    run = train(config)
    best = str(run / "best.pt")
    # A soup of a network with itself is that network: every score must match its own.
    report = soup_report(config, [("one", best), ("again", best)])
    alone = report["ingredients"]["one"]  # type: ignore[index]
    assert report["uniform-averaged"]["score"] == pytest.approx(alone["score"])  # type: ignore[index]
    assert report["greedy-averaged"]["kept"] == ["one", "again"]  # type: ignore[index]
    assert set(report) >= {"uniform-reestimated", "greedy-reestimated"}
    # Without the phone photos: dermoscopic metrics only, BatchNorm re-estimated on dermoscopy alone.
    monkeypatch.setattr(prepared_module, "DEFAULT_PAD_DIR", tmp_path / "absent")
    derm_only = soup_report(replace(config, phone_dir=None), [("one", best)])
    assert "phoneMalignantAuc" not in derm_only["uniform-reestimated"]  # type: ignore[operator]


def test_a_saved_soup_loads_as_a_checkpoint_with_the_mean_weights(tiny_data: Path) -> None:
    tmp_path = tiny_data
    runs = trained(tmp_path, ("a", 1e-3), ("b", 3e-3))
    save_uniform_soup([("a", str(runs[0] / "best.pt")), ("b", str(runs[1] / "best.pt"))], tmp_path / "soup.pt")
    soup = load_checkpoint(tmp_path / "soup.pt").state_dict()
    a, b = (load_checkpoint(run / "best.pt").state_dict() for run in runs)
    assert any(not torch.equal(a[k], b[k]) for k in a)
    for key, value in soup.items():
        if value.is_floating_point():
            assert torch.allclose(value, (a[key] + b[key]) / 2)
    assert torch.load(tmp_path / "soup.pt", weights_only=False)["soup"] == ["a", "b"]


def test_a_soup_run_folder_is_calibrated_and_evaluated_like_a_trained_run(tiny_data: Path) -> None:
    tmp_path = tiny_data
    a, b, c = trained(tmp_path, ("a", 1e-3), ("b", 3e-3), ("c", 2e-3))
    soup_dir = tmp_path / "soup"
    soup_dir.mkdir()
    # c fed the soup only through an ingredient (as the runs averaged into a soup that was then
    # trained on): an earlier stage, not an ingredient.
    save_soup_run(soup_dir, [("a", str(a / "best.pt")), ("b", str(b / "best.pt"))], [("c", str(c))], "soup-save")
    config = config_for(tmp_path, "soup")
    for stage in ("calibrate", "evaluate"):
        run_stage(stage, config)
    training = json.loads((soup_dir / "card.json").read_text())["training"]
    logs = {name: json.loads((run / "log.json").read_text()) for name, run in (("a", a), ("b", b), ("c", c))}
    assert training["soup"]["ingredients"] == ["a", "b"]
    assert [stage["run"] for stage in training["earlierStages"]] == ["c", "a", "b"]
    # What the network cost to make: every run that fed it, once.
    assert training["seconds"] == pytest.approx(sum(log["trainSeconds"] for log in logs.values()), abs=0.2)
    assert training["epochsRun"] == 0 and "weight average of 2 networks" in training["hardware"]
    assert (soup_dir / "training.png").is_file()


def test_ingredients_of_another_seed_are_scored_on_the_images_no_seed_fit_on(tiny_data: Path) -> None:
    tmp_path = tiny_data
    one = train(config_for(tmp_path, "one", epochs=1))
    other = train(replace(config_for(tmp_path, "other", epochs=1), seed=7, init=str(one / "best.pt")))
    # Its own seed and the seed of the run it started from.
    assert selection_seeds(other / "best.pt") == {7, config_for(tmp_path, "x").seed}
    config = config_for(tmp_path, "one", epochs=1)
    alone = soup_report(config, [("one", str(one / "best.pt"))])
    mixed = soup_report(config, [("one", str(one / "best.pt")), ("other", str(other / "best.pt"))])
    assert alone["selectionSeeds"] == [config.seed] and mixed["selectionSeeds"] == sorted({config.seed, 7})
    assert mixed["dermSelectionImages"] < alone["dermSelectionImages"]  # type: ignore[operator]
    # The stages after a soup of the two select on one fold: only on the images no seed fit on.
    (tmp_path / "mixed").mkdir()
    save_soup_run(tmp_path / "mixed", [("one", str(one / "best.pt")), ("other", str(other / "best.pt"))])
    with pytest.raises(DataError, match="--selection-seeds 7"):
        run_stage("calibrate", config_for(tmp_path, "mixed"))
    run_stage("calibrate", replace(config_for(tmp_path, "mixed"), selection_seeds="7"))
    assert (tmp_path / "mixed" / "calibration.json").is_file()
    # Training on from a run of another seed is refused the same way.
    with pytest.raises(DataError, match="--selection-seeds 7"):
        run_stage("train", replace(config_for(tmp_path, "next", epochs=1), init=str(other / "best.pt")))
