"""CutMix: a box from a partner image, and the label weights equal to the share of each image that
is still its own."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dermlens_train.augment import cutmix
from dermlens_train.train import batch_loss

from test_resume import config_for


def distinct_images(n: int = 8, size: int = 16) -> torch.Tensor:
    """Image i is filled with the value i / n: every pixel says whose it is."""
    return (torch.arange(n, dtype=torch.float32) / n)[:, None, None, None].repeat(1, 3, size, size)


def test_off_means_untouched_and_no_draw() -> None:
    x = torch.rand(4, 3, 8, 8)
    generator = torch.Generator().manual_seed(0)
    state = generator.get_state()
    mixed, partner, lam = cutmix(x, generator, 0.0)
    assert mixed is x and partner is None and lam == 1.0
    assert torch.equal(generator.get_state(), state)  # runs without CutMix draw the same numbers as before


def test_the_box_comes_from_the_partner_and_lam_is_the_own_share() -> None:
    x = distinct_images()
    for seed in range(20):
        mixed, partner, lam = cutmix(x, torch.Generator().manual_seed(seed), 1.0)
        assert partner is not None
        for i in range(len(x)):
            own = (mixed[i] == x[i]).all(dim=0).float().mean()
            from_partner = (mixed[i] == x[int(partner[i])]).all(dim=0)
            assert bool(from_partner[mixed[i, 0] != x[i, 0]].all())
            if int(partner[i]) != i:
                assert float(own) == pytest.approx(lam)


def test_the_loss_weighs_both_labels(tmp_path: Path) -> None:
    config = config_for(tmp_path, "unused", size=16)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 16 * 16, 7)).eval()
    x, y = torch.rand(8, 3, 16, 16), torch.randint(0, 7, (8,))
    partner = torch.randperm(8, generator=torch.Generator().manual_seed(1))
    generator = torch.Generator().manual_seed(0)
    loss = batch_loss(model, x, y, config, None, generator, partner, 0.3)  # type: ignore[arg-type]
    with torch.no_grad():
        logits = model(x)
    expected = 0.3 * F.cross_entropy(logits, y, label_smoothing=0.1) + 0.7 * F.cross_entropy(
        logits, y[partner], label_smoothing=0.1
    )
    assert float(loss.detach()) == pytest.approx(float(expected), rel=1e-5)
