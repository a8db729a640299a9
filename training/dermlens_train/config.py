"""All knobs of one training run, in one dataclass (saved beside every checkpoint)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

RUNS_DIR = Path(__file__).resolve().parents[1] / "runs"
CACHE_DIR = Path(__file__).resolve().parents[1] / ".cache"


@dataclass
class TrainConfig:
    size: int = 28
    arch: str = "compact"
    epochs: int = 40
    batch_size: int = 64
    lr: float = 3e-3
    weight_decay: float = 0.05
    label_smoothing: float = 0.1
    balance: str = "loss"  # loss (class-weighted CE) | sampler (re-sampled batches) | none
    balance_power: float = 0.5  # weight per class = (1 / count) ** power, normalised
    ema_decay: float = 0.998
    patience: int = 12  # epochs without a better selection score before stopping
    selection_fraction: float = 0.1  # lesions of train carved out (with the official val) for selection
    zoom: float = 0.25  # random zoom-in up to 1 + zoom
    rotate_degrees: float = 30.0  # on top of the random 90-degree turns
    colour: float = 0.2  # brightness/contrast/saturation jitter amplitude
    seed: int = 1234
    threads: int = 0  # 0: torch's default
    data_dir: str | None = None
    split_file: str | None = None
    init_checkpoint: str | None = None  # optional local checkpoint to start from
    limit: int = 0  # use only this many images per split (tests and smoke runs)
    run_dir: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def resolved_run_dir(self) -> Path:
        return Path(self.run_dir) if self.run_dir else RUNS_DIR / f"ham10000-{self.size}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
