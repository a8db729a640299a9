"""The two networks, built only from pieces the TF.js layers format can express exactly.

Every convolution pads like TF's `same` (for stride 2 on an even input that is 0 before and 1
after, unlike PyTorch's symmetric padding), so the exported model computes what PyTorch trained.
BatchNorm is folded into the convolution at export; Dropout disappears.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar, cast

import torch
import torch.nn.functional as F
from torch import nn


def tf_same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """(before, after) padding that TF's `same` uses along one axis."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class ConvBNAct(nn.Module):
    """Conv2d (TF-same padding, no bias) -> BatchNorm -> ReLU / ReLU6 / identity."""

    def __init__(
        self,
        cin: int,
        cout: int,
        kernel: int = 3,
        stride: int = 1,
        depthwise: bool = False,
        act: str = "relu",
        bn_eps: float = 1e-5,
    ):
        super().__init__()
        assert act in ("relu", "relu6", "linear")
        self.kernel, self.stride, self.depthwise, self.act = kernel, stride, depthwise, act
        groups = cin if depthwise else 1
        if depthwise:
            assert cout == cin, "depthwise keeps the channel count (depth multiplier 1)"
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding=0, groups=groups, bias=False)
        self.bn: nn.BatchNorm2d | nn.Identity = nn.BatchNorm2d(cout, eps=bn_eps)  # Identity once folded

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kernel > 1:
            top, bottom = tf_same_padding(x.shape[-2], self.kernel, self.stride)
            left, right = tf_same_padding(x.shape[-1], self.kernel, self.stride)
            x = F.pad(x, (left, right, top, bottom))
        x = self.bn(self.conv(x))
        if self.act == "relu":
            return F.relu(x)
        if self.act == "relu6":
            return F.relu6(x)
        return x


class InputScale(nn.Module):
    """x * scale + offset per channel (exported as a fixed 1x1 convolution).

    Pretrained networks expect their own input range (EfficientNet-Lite: [-1, 1]); doing the
    mapping inside the network keeps the app's contract (RGB in [0, 1]) the same for every model.
    """

    scale: torch.Tensor  # buffers, registered in __init__
    offset: torch.Tensor

    def __init__(self, scale: float, offset: float, channels: int = 3):
        super().__init__()
        self.channels = channels
        self.register_buffer("scale", torch.full((channels,), float(scale)))
        self.register_buffer("offset", torch.full((channels,), float(offset)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.scale[None, :, None, None] + self.offset[None, :, None, None]


class Residual(nn.Module):
    """body(x) + x (exported as a Keras Add layer)."""

    def __init__(self, body: nn.Sequential):
        super().__init__()
        self.body = body

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.body(x) + x
        return out


def inverted_residual(cin: int, cout: int, stride: int, expand: int) -> nn.Module:
    """MobileNetV2 block: 1x1 expand (ReLU6) -> 3x3 depthwise (ReLU6) -> 1x1 project (linear)."""
    hidden = cin * expand
    layers: list[nn.Module] = []
    if expand != 1:
        layers.append(ConvBNAct(cin, hidden, 1, act="relu6"))
    layers += [
        ConvBNAct(hidden, hidden, 3, stride, depthwise=True, act="relu6"),
        ConvBNAct(hidden, cout, 1, act="linear"),
    ]
    body = nn.Sequential(*layers)
    return Residual(body) if stride == 1 and cin == cout else body


def basic_residual(channels: int) -> nn.Module:
    """Two 3x3 convs with an identity shortcut (the ReLU after the add is left out to keep export simple)."""
    return Residual(nn.Sequential(ConvBNAct(channels, channels), ConvBNAct(channels, channels, act="linear")))


class Classifier(nn.Module):
    """features (conv stack) -> global average pool -> dropout -> linear logits."""

    def __init__(self, features: nn.Sequential, channels: int, classes: int, dropout: float):
        super().__init__()
        self.features = features
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(channels, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: float32 NCHW in [0, 1] -> logits."""
        logits: torch.Tensor = self.head(self.dropout(self.features(x).mean(dim=(2, 3))))
        return logits


def compact_cnn(classes: int = 7, width: int = 32, dropout: float = 0.2) -> Classifier:
    """For 28x28: VGG-like stages 28 -> 14 -> 7 with residual 3x3 blocks, then a 1x1 to 8*width."""
    w1, w2, w3 = width, width * 2, width * 4
    features = nn.Sequential(
        ConvBNAct(3, w1),
        basic_residual(w1),
        ConvBNAct(w1, w2, stride=2),
        basic_residual(w2),
        ConvBNAct(w2, w3, stride=2),
        basic_residual(w3),
        ConvBNAct(w3, w3 * 2, kernel=1),
    )
    return Classifier(features, w3 * 2, classes, dropout)


# (expansion, output channels, blocks, first stride) per stage, as in MobileNetV2 (Sandler et al. 2018).
MOBILE_STAGES = ((1, 16, 1, 1), (4, 24, 2, 2), (4, 32, 3, 2), (4, 64, 3, 2), (4, 96, 2, 1), (4, 160, 2, 2))


def mobile_net(classes: int = 7, width: float = 1.0, head: int = 640, dropout: float = 0.2) -> Classifier:
    """For 128x128: a MobileNetV2-style net, 128 -> 64 (stem) -> 4x4 at the end."""

    def scaled(channels: int) -> int:
        return max(8, round(channels * width / 8) * 8)

    stem = scaled(32)
    layers: list[nn.Module] = [ConvBNAct(3, stem, 3, 2, act="relu6")]
    cin = stem
    for expand, channels, blocks, stride in MOBILE_STAGES:
        cout = scaled(channels)
        for index in range(blocks):
            layers.append(inverted_residual(cin, cout, stride if index == 0 else 1, expand))
            cin = cout
    layers.append(ConvBNAct(cin, head, 1, act="relu6"))
    return Classifier(nn.Sequential(*layers), head, classes, dropout)


def build(arch: str, classes: int = 7) -> Classifier:
    """Architecture by name (the name is stored in checkpoints)."""
    from .efficientnet import efficientnet_lite0

    builders = {
        "lite0": lambda: efficientnet_lite0(classes),
        "compact": lambda: compact_cnn(classes),
        "compact48": lambda: compact_cnn(classes, width=48),
        "compact24": lambda: compact_cnn(classes, width=24),
        "mobile": lambda: mobile_net(classes),
        "mobile075": lambda: mobile_net(classes, width=0.75, head=512),
    }
    if arch not in builders:
        raise ValueError(f"unknown arch {arch!r}; choose from {sorted(builders)}")
    return builders[arch]()


ModuleT = TypeVar("ModuleT", bound=nn.Module)


def to_channels_last(model: ModuleT) -> ModuleT:
    """model.to(memory_format=torch.channels_last): converts in place and returns the same module."""
    # torch's stubs type Module.to with device/dtype/tensor overloads only; the runtime also takes
    # memory_format (it forwards **kwargs to torch._C._nn._parse_to), so call it through a plain Callable.
    to = cast(Callable[..., ModuleT], model.to)
    return to(memory_format=torch.channels_last)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count_flops(model: nn.Module, size: int) -> int:
    """Multiply-accumulates of one forward pass at size x size (convs and the linear head), x2 = FLOPs."""
    macs = 0

    def hook(module: nn.Module, inputs: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
        nonlocal macs
        if isinstance(module, nn.Conv2d):
            per_output = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
            macs += output.numel() * per_output
        elif isinstance(module, nn.Linear):
            macs += module.in_features * module.out_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    model.train(was_training)
    for handle in handles:
        handle.remove()
    return 2 * macs
