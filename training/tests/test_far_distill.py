"""The far-distillation term: its view is a close-up as the app crops it from further away (outer
skin faded to plain skin, the finder's square drawn over its measured error), and the loss it adds
pulls the student's answer on that view toward the teacher's answer on the close-up."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from dermlens_train.phone_augment import FAR_CROP_SIDE, far_view
from dermlens_train.teacher import Teacher
from dermlens_train.train import batch_loss

from drawn_close_ups import SKIN, SPOT, close_ups
from test_resume import config_for


def spot_share(x: torch.Tensor) -> torch.Tensor:
    return ((x - SPOT[None, :, None, None]).abs().amax(dim=1) < 0.1).float().mean(dim=(1, 2))


def test_far_view_keeps_the_spot_fades_the_corners_and_reframes_within_the_finders_error() -> None:
    x = close_ups(64, corner_freckles=True)
    out = far_view(x, torch.Generator().manual_seed(0))
    assert out.shape == x.shape and float(out.min()) >= 0 and float(out.max()) <= 1
    # The spot stays in the middle: the crop is off by at most 7.5% of the side.
    assert bool((((out[:, :, 32, 32] - SPOT).abs().amax(dim=1)) < 0.05).all())
    # The corner freckles (skin round the spot) are mostly gone: faded to skin, or cropped away. (A
    # wide ellipse of the fade, up to 1.45 half-sides, keeps part of some.)
    corners = torch.stack([out[:, :, 3, 3], out[:, :, 3, 60], out[:, :, 60, 3], out[:, :, 60, 60]])
    assert float(((x[:, :, 3, 3] - SPOT).abs().amax(dim=1) < 0.05).float().mean()) == 1.0
    freckled = (corners - SPOT[None, None, :]).abs().amax(dim=2) < 0.2
    assert float(freckled.float().mean()) < 0.15
    skin_like = (corners - SKIN[None, None, :]).abs().amax(dim=2) < 0.12
    assert float(skin_like.float().mean()) > 0.7
    # The spot's share of the square moves both ways, within the span of the crop side drawn.
    share, before = spot_share(out), spot_share(x)[0]
    low, high = FAR_CROP_SIDE
    assert float(share.min()) < before * 0.9 and float(share.max()) > before * 1.1
    assert float(share.min()) > before / high**2 * 0.8 and float(share.max()) < before / low**2 * 1.2


def test_far_view_is_seeded() -> None:
    x = torch.rand(8, 3, 32, 32)
    assert torch.equal(far_view(x, torch.Generator().manual_seed(3)), far_view(x, torch.Generator().manual_seed(3)))
    assert not torch.equal(far_view(x, torch.Generator().manual_seed(3)), far_view(x, torch.Generator().manual_seed(4)))


def test_the_term_pulls_the_far_views_answer_to_the_teachers_on_the_close_up(tmp_path: Path) -> None:
    config = replace(config_for(tmp_path, "unused", arch="compact", size=32), distill_weight=0.5)
    student = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 7)).eval()
    teacher_net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 7)).eval()
    teacher = Teacher(networks=[teacher_net], student_size=32, views=1)  # type: ignore[list-item]
    x, y = torch.rand(8, 3, 32, 32), torch.randint(0, 7, (8,))
    plain = batch_loss(student, x, y, config, teacher, torch.Generator().manual_seed(0))  # type: ignore[arg-type]
    weighted = replace(config, far_distill=3.0)
    with_term = batch_loss(student, x, y, weighted, teacher, torch.Generator().manual_seed(0))  # type: ignore[arg-type]
    t = config.distill_temperature
    with torch.no_grad():
        far = teacher.student_view(far_view(x, torch.Generator().manual_seed(0)))
        targets = F.softmax(teacher_net(x) / t, dim=1)
        kl = F.kl_div(F.log_softmax(student(far) / t, dim=1), targets, reduction="batchmean")
    expected = 3.0 * t * t * float(kl)
    assert expected > 0
    assert float(with_term.detach()) - float(plain.detach()) == pytest.approx(expected, rel=1e-4)
    # Without a teacher there is no close-up answer to pull toward.
    with pytest.raises(ValueError, match="needs a teacher"):
        batch_loss(student, x, y, weighted, None, torch.Generator().manual_seed(0))  # type: ignore[arg-type]
