"""Grad-CAM (Selvaraju et al. 2017) on the last convolution, the reference for the app's worker.

cam = relu(sum_k alpha_k * A_k), alpha_k = spatial mean of d logit_c / d A_k, then divided by its
maximum so that it lies in [0, 1] (all zeros if the maximum is 0). Returned at the feature map's
resolution; the app upsamples it to the input size for display.
"""

from __future__ import annotations

import torch

from .arrays import Float32s
from .models import Classifier


def grad_cam(model: Classifier, images_nchw: torch.Tensor, classes: list[int] | None = None) -> Float32s:
    """(n, h, w) heat maps in [0, 1] for each image's class (default: the top-1 class)."""
    model.eval()
    activations = model.features(images_nchw).detach().requires_grad_(True)
    logits = model.head(activations.mean(dim=(2, 3)))
    chosen = classes if classes is not None else logits.argmax(dim=1).tolist()
    selected = logits[torch.arange(len(chosen)), torch.tensor(chosen)].sum()
    (gradients,) = torch.autograd.grad(selected, activations)
    weights = gradients.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * activations).sum(dim=1))
    peak = cam.amax(dim=(1, 2), keepdim=True)
    return torch.where(peak > 0, cam / peak.clamp_min(1e-12), torch.zeros_like(cam)).detach().numpy()
