"""Close-ups drawn as tensors for the augmentation tests: a dark square spot on plain skin, and
optionally dark freckles near the corners (skin round the spot that a surround fade must remove)."""

from __future__ import annotations

import torch

SKIN = torch.tensor([0.8, 0.6, 0.5])
SPOT = torch.tensor([0.25, 0.15, 0.1])


def close_ups(n: int, size: int = 64, corner_freckles: bool = False) -> torch.Tensor:
    """n NCHW close-ups: a spot of a third of the side, centred on skin."""
    x = SKIN[None, :, None, None].repeat(n, 1, size, size)
    a, b = size // 3, size - size // 3
    x[:, :, a:b, a:b] = SPOT[None, :, None, None]
    if corner_freckles:
        for y0, x0 in ((2, 2), (2, size - 6), (size - 6, 2), (size - 6, size - 6)):
            x[:, :, y0 : y0 + 4, x0 : x0 + 4] = SPOT[None, :, None, None]
    return x
