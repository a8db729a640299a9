"""A trained network that teaches a smaller one: its logits on the augmented view, and the same view
resized to the student's input exactly as the app would resize it (area filter, uint8 rounding)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from .checkpoint import load_checkpoint
from .config import TrainConfig
from .inference import view
from .models import Classifier, to_channels_last
from .preprocess import area_weights


@dataclass
class Teacher:
    network: Classifier
    student_size: int
    views: int  # 1, or 8 for the mean logit over the dihedral views (TTA)

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            mean: torch.Tensor = sum(self.network(view(x, v)) for v in range(self.views)) / self.views
            return mean

    def student_view(self, x: torch.Tensor) -> torch.Tensor:
        """NCHW [0, 1] at the teacher's size -> the student's size, area-resized and rounded to 8 bits."""
        # float64 like the app (JavaScript numbers) and preprocess.py, so .5 cases round the same way.
        weights = torch.from_numpy(area_weights(x.shape[-1], self.student_size))
        pixels = torch.round(x.double() * 255)  # the teacher's view as 8-bit values
        small = torch.einsum("ih,nchw,jw->ncij", weights, pixels, weights)
        rounded = torch.floor(small + 0.5).clamp(0, 255).float() / 255
        return rounded.contiguous(memory_format=torch.channels_last)


def load_teacher(config: TrainConfig, views: int = 1) -> Teacher:
    network = load_checkpoint(Path(config.teacher))
    network.requires_grad_(False)
    return Teacher(to_channels_last(network), config.size, views)
