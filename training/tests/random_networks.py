"""Networks with random weights and random BatchNorm statistics, for the export tests."""

from __future__ import annotations

import torch

from dermlens_train.models import Classifier, build


def randomised(arch: str, seed: int) -> Classifier:
    """Random weights *and* random BatchNorm statistics, so folding is exercised (folded biases are
    not zero and the scales not one)."""
    torch.manual_seed(seed)
    model = build(arch)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.5, 0.5)
                module.running_var.uniform_(0.5, 2.0)
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.3, 0.3)
    return model.eval()
