"""Fold BatchNorm into the preceding convolution: the exact inference-time network that is exported."""

from __future__ import annotations

import copy
from typing import cast

import numpy as np
import torch
from torch import nn

from .arrays import Bytes, Float32s
from .models import Classifier, ConvBNAct, ModuleT


@torch.no_grad()
def fold_batchnorm(model: Classifier) -> Classifier:
    """A copy in eval mode whose convs carry BN's affine map as weight scale + bias; BN is Identity."""
    folded = copy.deepcopy(model).eval()
    for module in folded.modules():
        if isinstance(module, ConvBNAct) and isinstance(module.bn, nn.BatchNorm2d):
            bn, conv = module.bn, module.conv
            mean, var = bn.running_mean, bn.running_var
            assert mean is not None and var is not None, "every ConvBNAct's BatchNorm tracks running statistics"
            scale = bn.weight / torch.sqrt(var + bn.eps)
            new_conv = nn.Conv2d(
                conv.in_channels,
                conv.out_channels,
                # Conv2d stores both as 2-tuples; torch's stubs type them tuple[int, ...].
                cast(tuple[int, int], conv.kernel_size),
                cast(tuple[int, int], conv.stride),
                padding=0,
                groups=conv.groups,
                bias=True,
            )
            assert new_conv.bias is not None  # bias=True
            new_conv.weight.copy_(conv.weight * scale[:, None, None, None])
            new_conv.bias.copy_(bn.bias - mean * scale)
            module.conv, module.bn = new_conv, nn.Identity()
    return folded


def uint8_affine(array: Float32s) -> tuple[Bytes, float, float]:
    """Per-tensor affine uint8 quantization as TF.js decodes it (value = min + scale * q): (q, min, scale)."""
    low, high = float(array.min()), float(array.max())
    scale = (high - low) / 255.0
    if scale == 0.0:
        return np.zeros(array.shape, dtype=np.uint8), low, 0.0
    q = np.clip(np.floor((array - low) / scale + 0.5), 0, 255).astype(np.uint8)
    return q, low, scale


def dequantize_uint8(q: Bytes, low: float, scale: float) -> Float32s:
    """What TF.js computes from the stored bytes (float32 arithmetic)."""
    return (q.astype(np.float32) * np.float32(scale) + np.float32(low)).astype(np.float32)


@torch.no_grad()
def round_to_uint8(model: ModuleT) -> ModuleT:
    """A copy whose floating-point weights went through per-tensor uint8 and back (a uint8 export)."""
    rounded = copy.deepcopy(model)
    for parameter in rounded.parameters():
        array = parameter.detach().numpy()
        parameter.copy_(torch.from_numpy(dequantize_uint8(*uint8_affine(array))))
    return rounded


@torch.no_grad()
def round_to_float16(model: ModuleT) -> ModuleT:
    """A copy whose floating-point weights went through float16 and back (what a float16 export holds)."""
    rounded = copy.deepcopy(model)
    for parameter in rounded.parameters():
        parameter.copy_(parameter.half().float())
    return rounded
