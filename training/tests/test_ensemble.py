"""Ensembles for choosing teachers: the mean of the members' softmax, and the report over every
subset of real (tiny) runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dermlens_train.ensemble import SoftmaxMean, ensemble_report
from dermlens_train.train import train

from test_resume import config_for


def _net(seed: int) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(12, 7))


def test_the_ensemble_answers_the_mean_of_its_members_probabilities() -> None:
    a, b, c = _net(0), _net(1), _net(2)
    x = torch.rand(5, 3, 2, 2)
    mean = (a(x).softmax(1) + b(x).softmax(1) + c(x).softmax(1)) / 3
    assert torch.allclose(SoftmaxMean([a, b, c])(x).softmax(1), mean, atol=1e-6)
    # One member: that member's probabilities, whatever its logits' offset.
    assert torch.allclose(SoftmaxMean([a])(x).softmax(1), a(x).softmax(1), atol=1e-6)
    with pytest.raises(ValueError, match="at least one"):
        SoftmaxMean([])


def test_the_report_scores_every_subset_and_names_the_best(tiny_data: Path) -> None:
    one = train(config_for(tiny_data, "one", epochs=1, lr=1e-3))
    two = train(config_for(tiny_data, "two", epochs=1, lr=3e-3))
    config = config_for(tiny_data, "one", epochs=1)
    members = [("one", str(one / "best.pt")), ("two", str(two / "best.pt")), ("again", str(one / "best.pt"))]
    report = ensemble_report(config, members)
    subsets = report["subsets"]
    assert isinstance(subsets, dict)
    assert list(subsets)[:3] == ["one", "two", "again"] and len(subsets) == 7
    # A network with itself is that network.
    assert subsets["one+again"]["score"] == pytest.approx(subsets["one"]["score"])
    assert subsets["one"]["score"] == pytest.approx(subsets["again"]["score"])
    assert report["best"] in subsets
    assert subsets[report["best"]]["score"] == max(row["score"] for row in subsets.values())
