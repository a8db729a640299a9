"""Trained networks that teach another: their softened answers on the augmented view, and the same
view resized to the student's input exactly as the app would resize it (area filter, uint8 rounding).

Several teachers make an ensemble: the mean of their softmax. On the selection folds a pair of our
128 px runs scores -0.005 to +0.021 over the better of the two (median +0.009; 3.0.0 + f0: +0.017,
training/EXPERIMENTS.md), but would cost the app two networks; distillation tries to put what the
ensemble knows into one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from .checkpoint import load_checkpoint
from .config import TrainConfig
from .inference import view
from .models import Classifier, to_channels_last
from .preprocess import area_weights


@dataclass
class Teacher:
    networks: list[Classifier]
    student_size: int
    views: int  # 1, or 8 for the mean over the dihedral views (TTA)

    def soft_targets(self, x: torch.Tensor, temperature: float) -> torch.Tensor:
        """The mean over networks and views of softmax(logits / temperature): with one network and
        one view, that network's softened answer."""
        with torch.no_grad():
            answers = [
                F.softmax(network(view(x, v)) / temperature, dim=1)
                for network in self.networks
                for v in range(self.views)
            ]
            return torch.stack(answers).mean(dim=0)

    def student_view(self, x: torch.Tensor) -> torch.Tensor:
        """NCHW [0, 1] at the teacher's size -> the student's size, area-resized and rounded to 8 bits."""
        # float64 like the app (JavaScript numbers) and preprocess.py, so .5 cases round the same way.
        weights = torch.from_numpy(area_weights(x.shape[-1], self.student_size)).to(x.device)
        pixels = torch.round(x.double() * 255)  # the teacher's view as 8-bit values
        small = torch.einsum("ih,nchw,jw->ncij", weights, pixels, weights)
        rounded = torch.floor(small + 0.5).clamp(0, 255).float() / 255
        return rounded.contiguous(memory_format=torch.channels_last)


def teacher_paths(teacher: str) -> list[Path]:
    """`--teacher` names one checkpoint, or several separated by commas (an ensemble)."""
    return [Path(part.strip()) for part in teacher.split(",") if part.strip()]


def load_teacher(config: TrainConfig, views: int = 1) -> Teacher:
    networks = []
    for path in teacher_paths(config.teacher):
        network = load_checkpoint(path).to(config.device)
        network.requires_grad_(False)
        networks.append(to_channels_last(network))
    return Teacher(networks, config.size, views)
