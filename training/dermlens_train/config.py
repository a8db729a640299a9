"""All knobs of one training run, in one dataclass (saved beside every checkpoint)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path


def cache_root() -> Path:
    """$DERMLENS_CACHE, else $XDG_CACHE_HOME/dermlens, else ~/.cache/dermlens: outside the work tree,
    so decoded images and checkpoints survive a fresh checkout."""
    explicit = os.environ.get("DERMLENS_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dermlens"


@dataclass
class TrainConfig:
    model_id: str = "derm-lite0-128"
    role: str = "accurate"  # accurate | fast (meta.json's role; the app lists models by it)
    size: int = 128
    arch: str = "lite0"
    pretrained: bool = True  # start from the ImageNet weights (lite0 only)
    freeze: int = 5  # leading modules of `features` kept frozen (lite0: input scale, stem, blocks 0-2)
    epochs: int = 16
    epoch_samples: int = 0  # images drawn per epoch; 0: as many as the fit sets hold
    batch_size: int = 64
    lr: float = 1.5e-3  # peak learning rate of the new head and unfrozen blocks' top
    backbone_lr_scale: float = 0.4  # pretrained layers learn at lr * this
    warmup: float = 0.1  # fraction of the steps spent warming up (one-cycle, cosine decay)
    weight_decay: float = 0.02
    label_smoothing: float = 0.1
    balance: str = "sampler"  # sampler (re-sampled batches) | loss (class-weighted CE) | none
    balance_power: float = 0.5  # weight per class = (1 / count) ** power, normalised
    phone_share: float = 0.3  # expected fraction of each batch drawn from the phone photos
    phone_augment: float = 0.5  # probability of each phone-camera augmentation family per image
    zoom_out: float = 0.3  # probability of shrinking the image onto a skin-coloured surround
    fade_surround: float = 0.0  # probability of fading the image's outer skin into plain skin (far.ts)
    fade_surround_phone: float | None = None  # the same for the phone photos only (None: fade_surround)
    ema_decay: float = 0.998
    patience: int = 8  # epochs without a better selection score before stopping
    selection_fraction: float = 0.1  # lesions of train carved out (with the official val) for selection
    zoom: float = 0.25  # random zoom-in up to 1 + zoom
    rotate_degrees: float = 30.0  # on top of the random 90-degree turns
    colour: float = 0.2  # brightness/contrast/saturation jitter amplitude
    # The not-a-spot gate also reads the crop framed this much tighter (the app's steadiness framing,
    # steadiness.ts) and takes, per check, the framing that looks more like a skin spot; 0: one view
    # (every shipped gate; 0.8 was tried and not shipped, EXPERIMENTS.md thirteenth session).
    gate_framing: float = 0.0
    bf16: bool = False  # bfloat16 autocast for the forward pass (measured, see EXPERIMENTS.md)
    framing_consistency: float = 0.0  # weight of the Jensen-Shannon term between two framings of each image
    # Weight of the far-distillation term (needs a teacher): the student's answer on each image's far
    # view (phone_augment.far_view: surround faded, cropped as the spot finder would) is pulled to
    # the teacher's answer on the close-up (EXPERIMENTS.md, thirty-first session).
    far_distill: float = 0.0
    cutmix: float = 0.0  # probability that a batch is CutMixed (a box from another image, labels mixed by area)
    init: str = ""  # start from this checkpoint's weights (a best.pt) instead of ImageNet ("" : ImageNet / scratch)
    teacher: str = ""  # checkpoint of a teacher for distillation ("" : no teacher)
    teacher_size: int = 128  # the teacher sees the augmented view at this size, the student at `size`
    distill_weight: float = 0.7  # share of the loss from the teacher's soft targets
    distill_temperature: float = 2.0
    seed: int = 1234
    # Seeds the head's random start, the sampling, the augmentation and dropout (0: `seed`). The
    # dermoscopic selection fold is carved by `seed` alone, so two runs of one `seed` and another
    # `train_seed` are two draws of a recipe scored on the same images (a soup of the two needs no
    # common fold; EXPERIMENTS.md, twenty-fourth session).
    train_seed: int = 0
    # Also carve with these seeds (comma list): the dermoscopic selection fold is then the images every
    # seed chose, which none of their runs fit on (a soup of runs of several seeds; EXPERIMENTS, eighteenth).
    selection_seeds: str = ""
    threads: int = 0  # 0: torch's default
    # Where the network trains and the batch is augmented: cpu | cuda. Random numbers are drawn on
    # the CPU either way, so a run draws the same views on both.
    device: str = "cpu"
    data_dir: str | None = None
    split_file: str | None = None
    phone_dir: str | None = None
    phone_split_file: str | None = None
    limit: int = 0  # use only this many images per split (tests and smoke runs)
    run_dir: str = ""  # checkpoints and logs; default: <cache root>/runs/<model_id>
    resume: bool = False  # continue from run_dir/last.pt
    stop_after: int = 0  # stop after this many epochs in this call (0: run to the end); resume continues
    extra: dict[str, str] = field(default_factory=dict)

    def draw_seed(self) -> int:
        """The seed of training's random draws: `train_seed`, or `seed` when it is 0."""
        return self.train_seed or self.seed

    def resolved_run_dir(self) -> Path:
        return Path(self.run_dir) if self.run_dir else cache_root() / "runs" / self.model_id

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
