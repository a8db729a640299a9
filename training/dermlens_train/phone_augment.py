"""Augmentations that make a photo look as if another camera took it, to bridge dermoscopy and phones.

All act on float NCHW batches in [0, 1] with a seeded generator; each family is applied to an
image with probability `p`. A phone photo differs from a dermoscopic image in framing (the spot is
small in a frame of skin), white balance, exposure, focus, JPEG compression and specular glare.
"""

from __future__ import annotations

import io

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .augment import on


def _chosen(n: int, p: float | torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Which of n images an augmentation takes: p is one probability, or one per image (the same
    n draws either way, so a per-image p equal everywhere chooses as the number would)."""
    return torch.rand(n, generator=generator) < p


def _uniform(n: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, generator=generator)


def surround_colour(x: torch.Tensor) -> torch.Tensor:
    """Per image, the median colour of its outer ring (the skin around the spot): (n, 3, 1, 1)."""
    ring = torch.cat(
        [x[:, :, :2, :].flatten(2), x[:, :, -2:, :].flatten(2), x[:, :, :, :2].flatten(2), x[:, :, :, -2:].flatten(2)],
        dim=2,
    )
    return ring.median(dim=2).values[:, :, None, None]


def zoom_out_on_skin(x: torch.Tensor, generator: torch.Generator, p: float, smallest: float = 0.35) -> torch.Tensor:
    """Shrink the image to a random scale in [smallest, 0.9] at a random place on a skin-coloured,
    softly shaded surround (the spot small in a phone photo taken from further away)."""
    n = x.shape[0]
    chosen = _chosen(n, p, generator)
    if not chosen.any():
        return x
    scale = _uniform(n, smallest, 0.9, generator)
    slack = 1.0 - scale
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * slack[:, None]
    zeros = torch.zeros(n)
    inverse = 1.0 / scale
    theta = on(
        torch.stack(
            [
                torch.stack([inverse, zeros, -shift[:, 0] * inverse], 1),
                torch.stack([zeros, inverse, -shift[:, 1] * inverse], 1),
            ],
            1,
        ),
        x,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    placed = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    inside = F.grid_sample(torch.ones_like(x[:, :1]), grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    skin = surround_colour(x) * on(1 + 0.06 * (torch.rand(n, 1, 1, 1, generator=generator) * 2 - 1), x)
    shade = 1 + 0.08 * F.interpolate(
        on(torch.rand(n, 1, 3, 3, generator=generator) * 2 - 1, x),
        size=x.shape[-2:],
        mode="bilinear",
        align_corners=False,
    )
    out = placed + (1 - inside) * (skin * shade).clamp(0, 1)
    return torch.where(on(chosen, x)[:, None, None, None], out, x)


# Share of the ellipse inside which the image stays opaque (far.ts's FEATHER_START).
FEATHER_START = 0.8


def surround_faded_to_skin(x: torch.Tensor, generator: torch.Generator, p: float | torch.Tensor) -> torch.Tensor:
    """Keep the spot and its nearest skin, fade the rest of the image into plain skin of its border
    colour (softly shaded, with grain), through a feathered ellipse a little off centre. The app's
    far-away copies (`far.ts`) replace a close-up's outer skin like this, and on them the shipped model
    lowered phone photos' risk one way: 50 of 497 PAD-UFES-20 close-ups lost their band with only
    this change (training/EXPERIMENTS.md). Training on it teaches the answer to rest on the spot,
    not on the skin round the frame's edges. p is one probability or one per image (on the CPU).
    Draws nothing when p is 0 for every image."""
    n, _, h, w = x.shape
    if float(torch.as_tensor(p).max()) <= 0:
        return x
    chosen = on(_chosen(n, p, generator), x)
    # Semi-axes in half-sides: 1 is the inscribed circle; a 4:3 close-up's ellipse is 4/3 x 1 on its
    # centre square. Opaque inside FEATHER_START of it, as in far.ts.
    axes = on(_uniform(2 * n, 1.0, 1.45, generator).view(n, 2), x)
    centre = on((torch.rand(n, 2, generator=generator) * 2 - 1) * 0.12, x)
    ys = (torch.arange(h, dtype=torch.float32, device=x.device) + 0.5) / h * 2 - 1
    xs = (torch.arange(w, dtype=torch.float32, device=x.device) + 0.5) / w * 2 - 1
    u = (xs[None, None, :] - centre[:, 0, None, None]) / axes[:, 0, None, None]
    v = (ys[None, :, None] - centre[:, 1, None, None]) / axes[:, 1, None, None]
    t = ((1 - torch.sqrt(u**2 + v**2)) / (1 - FEATHER_START)).clamp(0, 1)
    alpha = (t * t * (3 - 2 * t))[:, None]
    # The skin: border median, a linear fall-off of up to +-6%, blotches of +-2.5%, grain of +-4 levels.
    angle = on(torch.rand(n, generator=generator) * 2 * np.pi, x)
    slope = torch.cos(angle)[:, None, None] * xs[None, None, :] + torch.sin(angle)[:, None, None] * ys[None, :, None]
    blotches = F.interpolate(
        on(torch.rand(n, 1, 4, 4, generator=generator) * 2 - 1, x), size=(h, w), mode="bilinear", align_corners=False
    )
    gain = 1 + 0.06 * slope[:, None] / np.sqrt(2) + 0.025 * blotches
    grain = on((torch.rand(n, 3, h, w, generator=generator) * 2 - 1) * (4 / 255), x)
    skin = (surround_colour(x) * gain + grain).clamp(0, 1)
    out = alpha * x + (1 - alpha) * skin
    return torch.where(chosen[:, None, None, None], out, x)


def reframe(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The same images framed otherwise: half of them wider (shrunk to 0.55-0.9 of the side onto a
    skin-coloured surround, as a spot photographed from further away), half tighter (zoomed in
    1.15-1.6x about a point near the centre, as a crop that cut into the margin). The second view
    of the framing-consistency term."""
    n = x.shape[0]
    wider = _chosen(n, 0.5, generator)
    out = zoom_out_on_skin(x, generator, 1.0, smallest=0.55)
    scale = 1.0 / _uniform(n, 1.15, 1.6, generator)
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * (1.0 - scale)[:, None] * 0.5
    zeros = torch.zeros(n)
    theta = on(
        torch.stack([torch.stack([scale, zeros, shift[:, 0]], 1), torch.stack([zeros, scale, shift[:, 1]], 1)], 1),
        x,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    tighter = F.grid_sample(x, grid, mode="bilinear", padding_mode="reflection", align_corners=False)
    return torch.where(on(wider, x)[:, None, None, None], out, tighter)


# The far copies' crops in the app's path: the finder's square over the close-up's centre square is
# 0.84-1.31 on HAM10000 and 0.71-1.24 on PAD-UFES-20 (quartiles, docs/spot-fill.md), and its IoU with
# that square a median 0.57. A far view draws its crop side and offset over about that span.
FAR_CROP_SIDE = (0.65, 1.25)
FAR_CROP_OFFSET = 0.15  # in [-1, 1] image coordinates: up to 7.5% of the side


def far_view(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The same close-ups as the app sees them photographed from further away: the outer skin faded
    into plain skin (as `far.ts` pastes a close-up into a frame), then the square the spot finder
    would crop round the spot, drawn over the span of its measured error: a side 0.65-1.25 of the
    close-up's and an offset of up to 7.5% of it; what falls outside the close-up is the plain skin
    of the frame. The second view of the far-distillation term (train.batch_loss)."""
    n = x.shape[0]
    faded = surround_faded_to_skin(x, generator, 1.0)
    scale = _uniform(n, FAR_CROP_SIDE[0], FAR_CROP_SIDE[1], generator)
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * FAR_CROP_OFFSET
    zeros = torch.zeros(n)
    theta = on(
        torch.stack([torch.stack([scale, zeros, shift[:, 0]], 1), torch.stack([zeros, scale, shift[:, 1]], 1)], 1),
        x,
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    placed = F.grid_sample(faded, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    inside = F.grid_sample(torch.ones_like(x[:, :1]), grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return placed + (1 - inside) * surround_colour(x)


def white_balance_and_exposure(x: torch.Tensor, generator: torch.Generator, p: float) -> torch.Tensor:
    """Colour temperature (red vs blue gain), tint (green gain), exposure gain and a gamma curve."""
    n = x.shape[0]
    chosen = on(_chosen(n, p, generator)[:, None, None, None], x)
    temperature = _uniform(n, -0.15, 0.15, generator)
    tint = _uniform(n, -0.06, 0.06, generator)
    gains = on(torch.stack([1 + temperature, 1 + tint, 1 - temperature], 1)[:, :, None, None], x)
    exposure = on(_uniform(n, 0.7, 1.3, generator)[:, None, None, None], x)
    gamma = on(torch.exp(_uniform(n, -0.35, 0.35, generator))[:, None, None, None], x)
    out = ((x * gains * exposure).clamp(1e-6, 1.0)) ** gamma
    return torch.where(chosen, out, x)


def _gaussian_kernel(sigma: float) -> torch.Tensor:
    radius = max(1, round(3 * sigma))
    t = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-(t**2) / (2 * sigma**2))
    return k / k.sum()


def defocus(x: torch.Tensor, generator: torch.Generator, p: float) -> torch.Tensor:
    """Gaussian blur with sigma in [0.4, 1.6] pixels (a phone that focused slightly off)."""
    n = x.shape[0]
    chosen = _chosen(n, p, generator)
    sigmas = _uniform(n, 0.4, 1.6, generator)
    out = x.clone()
    for i in torch.nonzero(chosen).flatten().tolist():
        k = on(_gaussian_kernel(float(sigmas[i])), x)
        r = (len(k) - 1) // 2
        img = F.pad(x[i : i + 1], (r, r, r, r), mode="replicate")
        img = F.conv2d(img, k.view(1, 1, 1, -1).repeat(3, 1, 1, 1), groups=3)
        out[i : i + 1] = F.conv2d(img, k.view(1, 1, -1, 1).repeat(3, 1, 1, 1), groups=3)
    return out


def glare(x: torch.Tensor, generator: torch.Generator, p: float) -> torch.Tensor:
    """A soft specular highlight (flash on moist or oily skin) at a random place."""
    n, _, h, w = x.shape
    chosen = on(_chosen(n, p, generator)[:, None, None, None], x)
    cy, cx = on(torch.rand(n, generator=generator) * h, x), on(torch.rand(n, generator=generator) * w, x)
    sy, sx = on(_uniform(n, 0.02, 0.08, generator) * h, x), on(_uniform(n, 0.02, 0.12, generator) * w, x)
    strength = on(_uniform(n, 0.3, 0.8, generator), x)
    ys = torch.arange(h, dtype=torch.float32, device=x.device)[None, :, None]
    xs = torch.arange(w, dtype=torch.float32, device=x.device)[None, None, :]
    blob = torch.exp(
        -(((ys - cy[:, None, None]) / sy[:, None, None]) ** 2 + ((xs - cx[:, None, None]) / sx[:, None, None]) ** 2)
    )
    out = (x + (strength[:, None, None] * blob)[:, None]).clamp(0, 1)
    return torch.where(chosen, out, x)


def jpeg(x: torch.Tensor, generator: torch.Generator, p: float) -> torch.Tensor:
    """JPEG re-compression at quality 30-90 (phones and messaging apps compress hard)."""
    n = x.shape[0]
    chosen = _chosen(n, p, generator)
    qualities = torch.randint(30, 91, (n,), generator=generator)
    out = x.clone()
    for i in torch.nonzero(chosen).flatten().tolist():
        # The codec is PIL's, on the CPU, whatever device the batch is on.
        pixels = (x[i].permute(1, 2, 0).cpu().numpy() * 255 + 0.5).clip(0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=int(qualities[i]))
        decoded = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"), dtype=np.float32) / 255.0
        out[i] = torch.from_numpy(decoded).permute(2, 0, 1).to(x.device)
    return out


def phone_camera(
    x: torch.Tensor,
    generator: torch.Generator,
    p: float,
    zoom_out: float,
    fade_surround: float | torch.Tensor = 0.0,
) -> torch.Tensor:
    """The phone-camera families in the order a camera applies them: framing, light, optics, glare, codec.
    fade_surround may be one probability per image (a domain's own)."""
    x = surround_faded_to_skin(x, generator, fade_surround)
    x = zoom_out_on_skin(x, generator, zoom_out)
    x = white_balance_and_exposure(x, generator, p)
    x = defocus(x, generator, p * 0.4)
    x = glare(x, generator, p * 0.3)
    return jpeg(x, generator, p * 0.5)
