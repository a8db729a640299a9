"""The automatic TTA setting written into card.json: on only up to 4x the cost of one prediction."""

from torch import nn

from dermlens_train.evaluate import tta_default
from dermlens_train.inference import tta_latency


def test_on_up_to_four_times_the_cost_and_off_above() -> None:
    assert tta_default({"singleMs": 2.0, "ttaMs": 8.0, "ratio": 4.0})["on"] is True
    assert tta_default({"singleMs": 2.0, "ttaMs": 8.02, "ratio": 4.01})["on"] is False


def test_latency_times_one_view_and_the_eight_view_batch() -> None:
    calls: list[int] = []

    class Recorder(nn.Module):
        def forward(self, x):  # type: ignore[no-untyped-def]
            calls.append(x.shape[0])
            return x.mean(dim=(2, 3))

    latency = tta_latency(Recorder(), 16, runs=3, warmup=1)
    assert calls == [1] * 4 + [8] * 4
    assert latency["ratio"] == latency["ttaMs"] / latency["singleMs"]
