"""The surround-fade augmentation: the spot stays, the skin at the frame's edges becomes plain skin
of the border's colour, and with the family off nothing is drawn (earlier runs stay reproducible)."""

from __future__ import annotations

import torch

from dermlens_train.phone_augment import phone_camera, surround_faded_to_skin

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
