"""Batched, seeded augmentation for dermoscopy on float NCHW tensors in [0, 1].

Dermoscopic lesions have no up or right, so every flip and rotation is a valid view; zoom
mimics distance, and colour jitter mimics lighting and device differences.

Every random number is drawn on the CPU from the run's generator, in the same order whatever device
the batch is on, and only then moved to the batch (`on`): a run draws the same views on a CPU and a
GPU, and the pixel work happens where the batch is.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def on(drawn: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A tensor drawn on the CPU, moved to the batch's device (a no-op on the CPU)."""
    return drawn.to(x.device)


def flips_and_turns(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random horizontal/vertical flips and 90-degree turns, per image (exact, no resampling)."""
    n = x.shape[0]
    hflip = on(torch.rand(n, generator=generator) < 0.5, x)
    vflip = on(torch.rand(n, generator=generator) < 0.5, x)
    x = torch.where(hflip[:, None, None, None], x.flip(3), x)
    x = torch.where(vflip[:, None, None, None], x.flip(2), x)
    turned = on(torch.rand(n, generator=generator) < 0.5, x)
    return torch.where(turned[:, None, None, None], x.transpose(2, 3), x)


def zoom_and_rotate(x: torch.Tensor, generator: torch.Generator, zoom: float, degrees: float) -> torch.Tensor:
    """Random zoom-in (1..1+zoom), small rotation and shift, sampled bilinearly with reflection."""
    n = x.shape[0]
    scale = 1.0 / (1.0 + zoom * torch.rand(n, generator=generator))
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(degrees)
    slack = 1.0 - scale
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * slack[:, None]
    cos, sin = torch.cos(angle) * scale, torch.sin(angle) * scale
    theta = on(torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1), x)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)


def colour_jitter(x: torch.Tensor, generator: torch.Generator, amount: float) -> torch.Tensor:
    """Brightness, contrast, saturation and per-channel gain (a cheap hue/white-balance shift)."""
    n = x.shape[0]

    def factor(spread: float, shape: tuple[int, ...] = (1, 1, 1)) -> torch.Tensor:
        return on(1.0 + (torch.rand((n, *shape), generator=generator) * 2 - 1) * spread, x)

    x = x * factor(amount)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * factor(amount) + mean
    grey = x.mean(dim=1, keepdim=True)
    x = (x - grey) * factor(amount) + grey
    x = x * factor(amount / 3, (3, 1, 1))
    return x.clamp(0.0, 1.0)


def augment(x: torch.Tensor, generator: torch.Generator, zoom: float, degrees: float, colour: float) -> torch.Tensor:
    """The full training augmentation; eval uses the image as preprocessed, untouched."""
    x = flips_and_turns(x, generator)
    if zoom > 0 or degrees > 0:
        x = zoom_and_rotate(x, generator, zoom, degrees)
    if colour > 0:
        x = colour_jitter(x, generator, colour)
    return x


def cutmix(x: torch.Tensor, generator: torch.Generator, p: float) -> tuple[torch.Tensor, torch.Tensor | None, float]:
    """With probability p, CutMix the batch (Yun et al. 2019, ICCV): a box of area 1 - lam, lam ~
    U(0, 1), copied from a shuffled partner. Returns the batch, the partner order (None when not
    mixed) and lam, the share of each image that is still its own (the weight of its label)."""
    if p <= 0 or float(torch.rand(1, generator=generator)) >= p:
        return x, None, 1.0
    n, _, h, w = x.shape
    lam = float(torch.rand(1, generator=generator))
    cut_h, cut_w = round(h * math.sqrt(1 - lam)), round(w * math.sqrt(1 - lam))
    cy, cx = int(torch.randint(0, h, (1,), generator=generator)), int(torch.randint(0, w, (1,), generator=generator))
    y0, y1 = max(0, cy - cut_h // 2), min(h, cy + cut_h - cut_h // 2)
    x0, x1 = max(0, cx - cut_w // 2), min(w, cx + cut_w - cut_w // 2)
    partner = on(torch.randperm(n, generator=generator), x)
    mixed = x.clone()
    mixed[:, :, y0:y1, x0:x1] = x[partner, :, y0:y1, x0:x1]
    return mixed, partner, 1.0 - (y1 - y0) * (x1 - x0) / (h * w)  # lam of the box as clipped by the frame
