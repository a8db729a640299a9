"""Reference inputs that Python and JS can both generate exactly (integer maths only), and
the exported network's logits for them, stored as model/<id>/reference.json for the tests."""

from __future__ import annotations

import numpy as np

from .arrays import Float32s

REFERENCE_COUNT = 3


def reference_inputs(size: int, count: int = REFERENCE_COUNT) -> Float32s:
    """float32 (count, size, size, 3) in [0, 1]: ((y*31 + x*17) ^ (c*71 + k*151)) & 255, / 255."""
    k, y, x, c = np.meshgrid(np.arange(count), np.arange(size), np.arange(size), np.arange(3), indexing="ij")
    values = ((y * 31 + x * 17) ^ (c * 71 + k * 151)) & 255
    return (values.astype(np.float32) / 255.0).astype(np.float32)
