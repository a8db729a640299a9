"""How much the accurate model's risk band depends on framing and on resolution (a diagnosis for
the spot finder's far-copy results, docs/spot-fill.md).

For PAD-UFES-20 phone close-ups of the selection and test folds, the reference is the close-up's
centre square resized to the model's input (as in the card). The same close-up is then
- shrunk to a smaller side first (a spot photographed from further away, fewer pixels), or
- framed wider (the close-up pasted into a surround of its own border colour with a little grain,
  as the far copies are) or tighter (its centre part only),
and the risk band compared: same, lower or higher. Folded float32 weights, one view, the card's
temperature and risk thresholds. Writes a JSON report; reads ../shared/data; writes no image.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import LABELS, MALIGNANT
from .arrays import Floats, Images
from .checkpoint import load_best
from .config import TrainConfig
from .folding import fold_batchnorm
from .inference import predict_logits
from .metrics import softmax
from .pad_ufes import load_pad_metadata, read_pad_folds
from .preprocess import decode_rgb, resize_area

SIDES = (250, 160)  # the close-up shrunk to this side before the model's resize
SCALES = (0.6, 0.8, 1.25, 1.6)  # crop side / close-up side: < 1 tighter, > 1 wider
BORDER = 0.05  # share of the side whose median colour fills the wider frame (as far.ts)
GRAIN = 4  # uniform +-GRAIN levels of grain on the surround (as far.ts)


def _square(rgb: Images) -> Images:
    h, w = rgb.shape[:2]
    n = min(h, w)
    y, x = (h - n) // 2, (w - n) // 2
    return np.ascontiguousarray(rgb[y : y + n, x : x + n])


def _border_colour(img: Images) -> Floats:
    b = max(1, int(BORDER * img.shape[0]))
    ring = np.concatenate([img[:b], img[-b:], img[:, :b].swapaxes(0, 1), img[:, -b:].swapaxes(0, 1)], axis=0)
    colour: Floats = np.median(ring.reshape(-1, 3), axis=0).astype(np.float64)
    return colour


def reframed(square: Images, scale: float, rng: np.random.Generator) -> Images:
    """The close-up framed `scale` times as wide (surround of its border colour) or as tight."""
    n = square.shape[0]
    m = round(n * scale)
    if scale <= 1:
        o = (n - m) // 2
        return np.ascontiguousarray(square[o : o + m, o : o + m])
    frame = np.empty((m, m, 3), np.float64)
    frame[:] = _border_colour(square)
    frame += rng.uniform(-GRAIN, GRAIN, frame.shape)
    o = (m - n) // 2
    frame[o : o + n, o : o + n] = square
    out: Images = np.clip(frame.round(), 0, 255).astype(np.uint8)
    return out


FOLDS = ("select", "test")
FOLD_NAMES = {"select": "selection fold", "test": "test fold"}


def js_divergence(p: Floats, q: Floats) -> Floats:
    """Row-wise Jensen-Shannon divergence (natural log) between two sets of class probabilities:
    how far the whole answer moved, not only the risk (what the framing-consistency term lowers)."""
    m = (p + q) / 2
    eps = 1e-12
    kl_p = (p * (np.log(p + eps) - np.log(m + eps))).sum(axis=1)
    kl_q = (q * (np.log(q + eps) - np.log(m + eps))).sum(axis=1)
    out: Floats = 0.5 * (kl_p + kl_q)
    return out


def framing_report(
    config: TrainConfig,
    pad_dir: Path,
    meta: dict[str, Any],
    folds_used: tuple[str, ...] = FOLDS,
    views: tuple[float, ...] = (1.0,),
) -> dict[str, Any]:
    """`meta`: the model's id, temperature and risk thresholds (meta.json, or a run's
    calibration.json for a candidate not exported); `folds_used`: "select" alone to choose
    between candidates, the test fold being for the report only; `views`: framings of each input
    (as `reframed`) whose class probabilities are averaged, (1.0,) being the app's one view: a probe
    of whether averaging over framings would steady the band."""
    torch.manual_seed(0)
    network = fold_batchnorm(load_best(config))
    size = config.size
    temperature = float(meta["temperature"])
    threshold, high = float(meta["risk"]["threshold"]), float(meta["risk"]["high"])
    malignant = [LABELS.index(m) for m in MALIGNANT]
    folds = read_pad_folds()
    records = [r for r in load_pad_metadata(pad_dir) if folds.get(r.image_id) in folds_used]
    squares = [_square(decode_rgb(pad_dir / "images" / f"{r.image_id}.jpg")) for r in records]
    rng = np.random.default_rng(config.seed)

    def answers(inputs: list[Images]) -> tuple[Floats, Floats, np.ndarray[Any, Any]]:
        """Each square input's class probabilities and risk (averaged over the views) and band."""
        probabilities = []
        for view in views:
            framed = [s if view == 1.0 else reframed(s, view, rng) for s in inputs]
            logits = predict_logits(network, np.stack([resize_area(f, size) for f in framed]))
            probabilities.append(softmax(logits / temperature))
        p: Floats = np.mean(probabilities, axis=0)
        risk: Floats = p[:, malignant].sum(axis=1)
        return p, risk, np.where(risk >= high, 2, np.where(risk >= threshold, 1, 0))

    p0, risk0, band0 = answers(squares)

    def compare(inputs: list[Images]) -> dict[str, Any]:
        p, risk, band = answers(inputs)
        return {
            "sameBand": round(float((band == band0).mean()), 3),
            "lowerBand": int((band < band0).sum()),
            "higherBand": int((band > band0).sum()),
            "medianRiskChange": round(float(np.median(risk - risk0)), 4),
            "meanJsDivergence": round(float(np.mean(js_divergence(p, p0))), 4),
        }

    return {
        "generatedBy": "python -m dermlens_train.devtools framing",
        "model": meta["id"],
        "photos": len(squares),
        "set": f"PAD-UFES-20 {' + '.join(FOLD_NAMES[f] for f in folds_used)} (phone close-ups), centre square",
        "definition": " ".join(__doc__.split("\n\n")[1].split()) if __doc__ else "",
        "views": list(views),
        "fewerPixels": {str(side): compare([resize_area(s, side) for s in squares]) for side in SIDES},
        "framing": {str(scale): compare([reframed(s, scale, rng) for s in squares]) for scale in SCALES},
    }


def write_framing_report(
    config: TrainConfig,
    pad_dir: Path,
    model_dir: Path,
    out: Path,
    folds_used: tuple[str, ...] = FOLDS,
    views: tuple[float, ...] = (1.0,),
) -> dict[str, Any]:
    """The exported model's meta.json; for a run not exported, its calibration.json."""
    exported = model_dir / "meta.json"
    if exported.is_file():
        meta = json.loads(exported.read_text())
    else:
        meta = {"id": config.model_id, **json.loads((config.resolved_run_dir() / "calibration.json").read_text())}
    report = framing_report(config, pad_dir, meta, folds_used, views)
    out.write_text(json.dumps(report, indent=1) + "\n")
    return report
