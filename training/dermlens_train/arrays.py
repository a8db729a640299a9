"""The numpy array types the package passes around, with their dtypes (shapes are in the docstrings)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

Images: TypeAlias = NDArray[np.uint8]  # uint8 NHWC (n, S, S, 3), or one HxWx3 image, as preprocessed
Labels: TypeAlias = NDArray[np.int64]  # per-image integer labels (n,): class indices, or domain codes
Indices: TypeAlias = NDArray[np.int64]  # positions into another array (an epoch's draw order)
Mask: TypeAlias = NDArray[np.bool_]  # per-image truth or selection (n,)
Floats: TypeAlias = NDArray[np.float64]  # logits, probabilities, scores, resize weights
Float32s: TypeAlias = NDArray[np.float32]  # network inputs and weights as the network holds them
Bytes: TypeAlias = NDArray[np.uint8]  # uint8-quantized weights
