"""Distillation: the student learns from a teacher's logits on the same augmented view, which it
sees area-resized to its own input exactly as the app resizes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

import dermlens_train.prepared as prepared_module
from dermlens_train.config import TrainConfig
from dermlens_train.preprocess import resize_area
from dermlens_train.teacher import Teacher, teacher_paths
from dermlens_train.train import train

from synthetic import make_dataset, make_phone_dataset
from test_resume import config_for


def test_student_view_is_the_apps_area_resize() -> None:
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    x = torch.from_numpy(image).permute(2, 0, 1)[None].float() / 255.0
    teacher = Teacher(networks=[torch.nn.Identity()], student_size=28, views=1)  # type: ignore[arg-type]
    small = (teacher.student_view(x)[0].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    assert np.array_equal(small, resize_area(image, 28))


def test_a_distilled_run_trains_and_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    teacher_run = train(config_for(tmp_path, "teacher", size=32, epochs=1))
    student: TrainConfig = config_for(
        tmp_path, "student", epochs=1, teacher=str(teacher_run / "best.pt"), teacher_size=32
    )
    run = train(student)
    log = json.loads((run / "log.json").read_text())
    assert log["config"]["teacher"].endswith("best.pt") and len(log["epochs"]) == 1
    saved = torch.load(run / "best.pt", map_location="cpu")
    assert saved["size"] == 28


class _Fixed(torch.nn.Module):
    """A stand-in network whose logits do not depend on the image."""

    def __init__(self, logits: list[float]) -> None:
        super().__init__()
        self.answer = torch.tensor([logits])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.answer.expand(len(x), -1)


def test_an_ensemble_teaches_the_mean_of_its_softened_answers() -> None:
    first, second = [2.0, 0.0, -1.0], [-1.0, 1.0, 0.5]
    teacher = Teacher(networks=[_Fixed(first), _Fixed(second)], student_size=8, views=1)  # type: ignore[list-item]
    targets = teacher.soft_targets(torch.zeros(4, 3, 8, 8), temperature=2.0)
    expected = (torch.softmax(torch.tensor(first) / 2, 0) + torch.softmax(torch.tensor(second) / 2, 0)) / 2
    assert targets.shape == (4, 3)
    assert torch.allclose(targets, expected.expand(4, -1), atol=1e-6)
    assert not torch.allclose(targets[0], torch.softmax((torch.tensor(first) + torch.tensor(second)) / 4, 0))


def test_teacher_names_one_checkpoint_or_several() -> None:
    assert teacher_paths("runs/a/best.pt") == [Path("runs/a/best.pt")]
    assert teacher_paths("runs/a/best.pt, runs/b/best.pt") == [Path("runs/a/best.pt"), Path("runs/b/best.pt")]
    assert teacher_paths("") == []
