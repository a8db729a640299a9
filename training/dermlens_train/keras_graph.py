"""Describe a folded PyTorch Classifier as a Keras functional graph (TF.js layers format) + weights.

PyTorch conv kernels are [out, in, kh, kw]; Keras wants [kh, kw, in, out] (depthwise:
[kh, kw, channels, 1]) and NHWC activations. Layer names are stable so that the app can find
the last convolution (for Grad-CAM) and the not-a-spot gate's feature layer by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from torch import nn

from .arrays import Float32s
from .models import Classifier, ConvBNAct, InputScale, Residual

ZEROS = {"class_name": "Zeros", "config": {}}


@dataclass
class KerasGraph:
    layers: list[dict[str, object]] = field(default_factory=list)
    weights: list[tuple[str, Float32s]] = field(default_factory=list)
    counter: int = 0
    last_conv: str = ""

    def add(self, class_name: str, config: dict[str, object], inputs: list[str], prefix: str) -> str:
        self.counter += 1
        name = f"{prefix}_{self.counter}"
        config = {"name": name, "trainable": False, "dtype": "float32", **config}
        nodes = [[[source, 0, 0, {}] for source in inputs]] if inputs else []
        self.layers.append({"class_name": class_name, "config": config, "name": name, "inbound_nodes": nodes})
        return name


def _conv(graph: KerasGraph, block: ConvBNAct, source: str) -> str:
    conv = block.conv
    assert isinstance(block.bn, nn.Identity) and conv.bias is not None, "fold BatchNorm before export"
    common = {
        "kernel_size": list(conv.kernel_size),
        "strides": list(conv.stride),
        "padding": "same",
        "data_format": "channels_last",
        "dilation_rate": [1, 1],
        "activation": block.act,
        "use_bias": True,
        "bias_initializer": ZEROS,
    }
    weight = conv.weight.detach().numpy()
    if block.depthwise:
        name = graph.add(
            "DepthwiseConv2D", {**common, "depth_multiplier": 1, "depthwise_initializer": ZEROS}, [source], "dwconv"
        )
        graph.weights.append((f"{name}/depthwise_kernel", weight.transpose(2, 3, 0, 1)))
    else:
        name = graph.add(
            "Conv2D", {**common, "filters": conv.out_channels, "kernel_initializer": ZEROS}, [source], "conv"
        )
        graph.weights.append((f"{name}/kernel", weight.transpose(2, 3, 1, 0)))
    graph.weights.append((f"{name}/bias", conv.bias.detach().numpy()))
    graph.last_conv = name
    return name


def _input_scale(graph: KerasGraph, module: InputScale, source: str) -> str:
    """x * scale + offset per channel as a fixed 1x1 Conv2D (diagonal kernel)."""
    channels = module.channels
    name = graph.add(
        "Conv2D",
        {
            "kernel_size": [1, 1],
            "strides": [1, 1],
            "padding": "valid",
            "data_format": "channels_last",
            "dilation_rate": [1, 1],
            "activation": "linear",
            "use_bias": True,
            "bias_initializer": ZEROS,
            "filters": channels,
            "kernel_initializer": ZEROS,
        },
        [source],
        "scale",
    )
    kernel = np.diag(module.scale.detach().numpy()).reshape(1, 1, channels, channels)
    graph.weights.append((f"{name}/kernel", kernel.astype(np.float32)))
    graph.weights.append((f"{name}/bias", module.offset.detach().numpy().astype(np.float32)))
    return name


def _module(graph: KerasGraph, module: nn.Module, source: str) -> str:
    if isinstance(module, InputScale):
        return _input_scale(graph, module, source)
    if isinstance(module, ConvBNAct):
        return _conv(graph, module, source)
    if isinstance(module, Residual):
        body = _module(graph, module.body, source)
        return graph.add("Add", {}, [body, source], "add")
    if isinstance(module, nn.Sequential):
        for child in module:
            source = _module(graph, child, source)
        return source
    raise TypeError(f"no TF.js layer for {type(module).__name__}")


def to_keras(
    model: Classifier, size: int, name: str
) -> tuple[dict[str, object], list[tuple[str, Float32s]], str, list[str]]:
    """(modelTopology, [(weight name, array)], name of the last conv layer, name of the layer that
    gives each module of `features`' output, in order: the gate's taps) for a folded model."""
    graph = KerasGraph()
    graph.layers.append(
        {
            "class_name": "InputLayer",
            "name": "image",
            "inbound_nodes": [],
            "config": {
                "batch_input_shape": [None, size, size, 3],
                "dtype": "float32",
                "sparse": False,
                "name": "image",
            },
        }
    )
    taps, features = [], "image"
    for module in model.features:
        features = _module(graph, module, features)
        taps.append(features)
    last_conv = graph.last_conv
    pooled = graph.add("GlobalAveragePooling2D", {"data_format": "channels_last"}, [features], "pool")
    head = graph.add(
        "Dense",
        {
            "units": model.head.out_features,
            "activation": "linear",
            "use_bias": True,
            "kernel_initializer": ZEROS,
            "bias_initializer": ZEROS,
        },
        [pooled],
        "logits",
    )
    graph.weights.append((f"{head}/kernel", model.head.weight.detach().numpy().T))
    graph.weights.append((f"{head}/bias", model.head.bias.detach().numpy()))
    topology: dict[str, object] = {
        "class_name": "Model",
        "config": {
            "name": name,
            "layers": graph.layers,
            "input_layers": [["image", 0, 0]],
            "output_layers": [[head, 0, 0]],
        },
        "keras_version": "2.15.0",
        "backend": "tensorflow",
    }
    return topology, graph.weights, last_conv, taps
