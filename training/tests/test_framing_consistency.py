"""The framing-consistency term: its second view frames the same spot wider or tighter, the
divergence it adds is a proper one, and a run can start from an earlier run's weights."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

import dermlens_train.prepared as prepared_module
from dermlens_train.phone_augment import reframe
from dermlens_train.train import batch_loss, jensen_shannon, train

from drawn_close_ups import SKIN, SPOT, close_ups
from synthetic import make_dataset, make_phone_dataset
from test_resume import config_for


def spot_share(x: torch.Tensor) -> torch.Tensor:
    return ((x - SPOT[None, :, None, None]).abs().amax(dim=1) < 0.1).float().mean(dim=(1, 2))


def test_reframe_frames_the_same_spot_wider_or_tighter() -> None:
    x = close_ups(64)
    out = reframe(x, torch.Generator().manual_seed(0))
    assert out.shape == x.shape and float(out.min()) >= 0 and float(out.max()) <= 1
    share, before = spot_share(out), spot_share(x)[0]
    wider, tighter = share < before * 0.9, share > before * 1.1
    assert bool((wider | tighter).all())  # every image is reframed, one way or the other
    assert 16 <= int(wider.sum()) <= 48  # about half each way
    # A wider view puts the spot on skin of the close-up's own border colour.
    corner = out[wider][:, :, 0, 0]
    assert float((corner - SKIN).abs().max()) < 0.12
    # A tighter view keeps the spot near the middle.
    assert bool((((out[tighter][:, :, 32, 32] - SPOT).abs().amax(dim=1)) < 0.05).all())


def test_reframe_is_seeded() -> None:
    x = torch.rand(8, 3, 32, 32)
    a = reframe(x, torch.Generator().manual_seed(3))
    b = reframe(x, torch.Generator().manual_seed(3))
    assert torch.equal(a, b)


def test_jensen_shannon_is_zero_for_equal_views_symmetric_and_bounded() -> None:
    a, b = torch.randn(16, 7), torch.randn(16, 7)
    assert float(jensen_shannon(a, a)) == pytest.approx(0.0, abs=1e-6)
    assert float(jensen_shannon(a, b)) == pytest.approx(float(jensen_shannon(b, a)), rel=1e-5)
    assert 0 < float(jensen_shannon(a, b)) < math.log(2)
    far = torch.zeros(4, 7)
    far[:, 0], far[:, 1] = 50, -50
    near_max = jensen_shannon(far, far.flip(1))  # each view sure of a different class
    assert float(near_max) == pytest.approx(math.log(2), rel=1e-3)


def test_the_term_adds_the_divergence_between_the_two_views(tmp_path: Path) -> None:
    config = config_for(tmp_path, "unused", arch="compact", size=32)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 7)).eval()
    x, y = torch.rand(8, 3, 32, 32), torch.randint(0, 7, (8,))
    plain = batch_loss(model, x, y, config, None, torch.Generator().manual_seed(0))  # type: ignore[arg-type]
    weighted = replace(config, framing_consistency=5.0)
    with_term = batch_loss(model, x, y, weighted, None, torch.Generator().manual_seed(0))  # type: ignore[arg-type]
    other = reframe(x, torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected = 5.0 * float(jensen_shannon(model(x), model(other)))
    assert expected > 0
    assert float(with_term.detach()) - float(plain.detach()) == pytest.approx(expected, rel=1e-4)


def test_a_run_can_start_from_an_earlier_runs_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    first = train(config_for(tmp_path, "first", epochs=1))
    # At a learning rate of 0 the weights cannot move: the second run's must be the first's.
    second = train(
        config_for(tmp_path, "second", epochs=1, init=str(first / "best.pt"), lr=0.0, framing_consistency=2.0)
    )
    before = torch.load(first / "best.pt", map_location="cpu")["state_dict"]
    after = torch.load(second / "best.pt", map_location="cpu")["state_dict"]
    weights = [k for k, v in before.items() if k.endswith("weight") and v.dim() == 4]
    assert weights
    for name in weights:
        assert torch.equal(before[name], after[name]), name
    assert np.isfinite(torch.load(second / "last.pt", weights_only=False)["log"]["epochs"][0]["loss"])
    # Another input size continues the same network (a stage at a larger size first); another
    # architecture cannot.
    third = train(config_for(tmp_path, "third", epochs=1, init=str(first / "best.pt"), size=32, lr=0.0))
    resized = torch.load(third / "best.pt", map_location="cpu")
    assert resized["size"] == 32
    for name in weights:
        assert torch.equal(before[name], resized["state_dict"][name]), name
    with pytest.raises(ValueError, match="holds compact \\(at 28 px\\), not compact24"):
        train(config_for(tmp_path, "fourth", epochs=1, init=str(first / "best.pt"), arch="compact24"))
