"""EfficientNet-Lite0 with its ImageNet head labels scikit-learn's two bundled sample photos: proves
that the weights load into our architecture, that TF-`same` padding and the [-1, 1] input scaling
are right (any of them wrong and the labels go), with no network access."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.datasets import load_sample_image

from dermlens_train.efficientnet import efficientnet_lite0, imagenet_lite0, load_imagenet, pretrained_weights_path
from dermlens_train.preprocess import preprocess_array

# ImageNet-1k class indices.
PALACE, BELL_COTE, DAISY = 698, 442, 985


@pytest.fixture(scope="module")
def network() -> torch.nn.Module:
    return imagenet_lite0()


def top5(network: torch.nn.Module, name: str) -> list[int]:
    pixels = preprocess_array(load_sample_image(name), 224)  # the app's crop + area resize
    x = torch.from_numpy(pixels).permute(2, 0, 1)[None].float() / 255.0
    with torch.no_grad():
        return network(x).topk(5).indices[0].tolist()


def test_china_is_a_palace_or_bell_cote(network: torch.nn.Module) -> None:
    top = top5(network, "china.jpg")
    assert top[0] in (PALACE, BELL_COTE) and {PALACE, BELL_COTE} <= set(top)


def test_flower_is_a_daisy(network: torch.nn.Module) -> None:
    assert top5(network, "flower.jpg")[0] == DAISY


def test_every_pretrained_tensor_is_used() -> None:
    state = dict(torch.load(pretrained_weights_path(), map_location="cpu"))
    state["_blocks.16._project_conv.weight"] = torch.zeros(1)  # a block our network does not have
    with pytest.raises(ValueError, match="left unused"):
        load_imagenet(efficientnet_lite0(), state)


def test_parameter_count_matches_the_published_network(network: torch.nn.Module) -> None:
    # EfficientNet-Lite0 with its 1000-class head: 4.65 M parameters + BatchNorm (4.69 M in the state dict).
    parameters = sum(p.numel() for p in network.parameters())
    assert 4_600_000 < parameters < 4_700_000
    assert np.isclose(network.features[0].scale.numpy(), 2.0).all()
