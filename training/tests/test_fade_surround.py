"""The surround-fade augmentation: the spot stays, the skin at the frame's edges becomes plain skin
of the border's colour, and with the family off nothing is drawn (earlier runs stay reproducible)."""

from __future__ import annotations

import numpy as np
import torch

from dermlens_train.config import TrainConfig
from dermlens_train.phone_augment import phone_camera, surround_faded_to_skin
from dermlens_train.train import fade_probability

from drawn_close_ups import SKIN, close_ups


def test_keeps_the_spot_and_turns_the_corners_into_plain_skin() -> None:
    x = close_ups(16, corner_freckles=True)
    out = surround_faded_to_skin(x, torch.Generator().manual_seed(0), 1.0)
    size = x.shape[-1]
    a, b = size // 3, size - size // 3
    assert torch.equal(out[:, :, a:b, a:b], x[:, :, a:b, a:b])

    def freckle_contrast(images: torch.Tensor) -> torch.Tensor:
        """Per image, the mean distance of the four corner freckles' colour from the skin's."""
        corners = torch.stack([images[:, :, 3, 3], images[:, :, 3, -4], images[:, :, -4, 3], images[:, :, -4, -4]])
        return (corners - SKIN[None, None, :]).abs().amax(dim=2).mean(dim=0)

    # The ellipse is off centre and may reach one corner, never all four: in every image the corner
    # freckles fade to at most half their contrast, and in most they are gone.
    assert bool((freckle_contrast(out) < 0.5 * freckle_contrast(x)).all())
    assert float(freckle_contrast(out).median()) < 0.1
    assert float(out.min()) >= 0 and float(out.max()) <= 1


def test_applies_to_about_p_of_the_images_and_is_seeded() -> None:
    x = close_ups(400, size=32, corner_freckles=True)
    first = surround_faded_to_skin(x, torch.Generator().manual_seed(3), 0.3)
    again = surround_faded_to_skin(x, torch.Generator().manual_seed(3), 0.3)
    assert torch.equal(first, again)
    changed = (first - x).abs().flatten(1).amax(dim=1) > 0
    assert 0.22 < float(changed.float().mean()) < 0.38


def test_off_draws_nothing_so_earlier_runs_stay_reproducible() -> None:
    x = close_ups(8, corner_freckles=True)
    with_default = phone_camera(x, torch.Generator().manual_seed(5), 0.5, 0.3)
    with_off = phone_camera(x, torch.Generator().manual_seed(5), 0.5, 0.3, fade_surround=0.0)
    assert torch.equal(with_default, with_off)
    generator = torch.Generator().manual_seed(5)
    state = generator.get_state()
    assert torch.equal(surround_faded_to_skin(x, generator, 0.0), x)
    assert torch.equal(generator.get_state(), state)


def test_a_probability_per_image_chooses_as_the_number_does_where_they_agree() -> None:
    x = close_ups(64, size=32, corner_freckles=True)
    as_number = surround_faded_to_skin(x, torch.Generator().manual_seed(9), 0.4)
    per_image = surround_faded_to_skin(x, torch.Generator().manual_seed(9), torch.full((64,), 0.4))
    assert torch.equal(as_number, per_image)


def test_a_probability_per_image_fades_only_the_images_it_names() -> None:
    x = close_ups(64, size=32, corner_freckles=True)
    phone = torch.arange(64) % 2 == 1
    out = surround_faded_to_skin(x, torch.Generator().manual_seed(2), phone.float())
    changed = (out - x).abs().flatten(1).amax(dim=1) > 0
    assert torch.equal(changed, phone)


def test_the_phone_photos_own_probability_is_used_only_when_set() -> None:
    config = TrainConfig(fade_surround=0.5)
    domains = np.array([0, 1, 1, 0])
    assert fade_probability(config, domains) == 0.5
    config = TrainConfig(fade_surround=0.5, fade_surround_phone=0.9)
    assert fade_probability(config, None) == 0.5
    assert torch.allclose(torch.as_tensor(fade_probability(config, domains)), torch.tensor([0.5, 0.9, 0.9, 0.5]))
