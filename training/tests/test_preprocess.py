"""The preprocessing spec (model/README.md): crop, exact area resize, rounding, EXIF, alpha."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from dermlens_train.preprocess import area_weights, centre_square_box, decode_rgb, preprocess_array, preprocess_file


def brute_force_area(square: np.ndarray, size: int) -> np.ndarray:
    """Independent reference: integrate each output cell over the source pixels it covers."""
    side = square.shape[0]
    scale = side / size
    out = np.zeros((size, size, 3))
    for i in range(size):
        for j in range(size):
            total = np.zeros(3)
            for y in range(side):
                wy = max(0.0, min((i + 1) * scale, y + 1) - max(i * scale, y))
                if wy == 0:
                    continue
                for x in range(side):
                    wx = max(0.0, min((j + 1) * scale, x + 1) - max(j * scale, x))
                    total += wy * wx * square[y, x]
            out[i, j] = total / (scale * scale)
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def test_centre_square_box() -> None:
    assert centre_square_box(200, 150) == (25, 0, 150)
    assert centre_square_box(150, 201) == (0, 25, 150)
    assert centre_square_box(7, 4) == (1, 0, 4)


def test_area_weights_are_normalised_overlaps() -> None:
    weights = area_weights(3, 2)  # s = 1.5: [0, 1.5) and [1.5, 3)
    np.testing.assert_allclose(weights, [[2 / 3, 1 / 3, 0], [0, 1 / 3, 2 / 3]])
    np.testing.assert_allclose(area_weights(150, 128).sum(axis=1), 1.0)


def test_area_resize_matches_brute_force_at_a_non_integer_ratio() -> None:
    square = np.random.default_rng(0).integers(0, 256, (23, 23, 3), dtype=np.uint8)
    np.testing.assert_array_equal(preprocess_array(square, 7), brute_force_area(square, 7))


def test_integer_ratio_is_a_block_mean_with_half_up_rounding() -> None:
    square = np.zeros((4, 4, 3), dtype=np.uint8)
    square[0, 0] = 1  # block mean 0.25 -> 0
    square[2:, 2:] = (10, 11, 12)  # a constant block stays constant
    square[0, 2] = 2  # mean 0.5 -> rounds up to 1 (floor(v + 0.5))
    out = preprocess_array(square, 2)
    assert out[0, 0].tolist() == [0, 0, 0]
    assert out[0, 1].tolist() == [1, 1, 1]
    assert out[1, 1].tolist() == [10, 11, 12]


def test_crop_uses_the_centre() -> None:
    image = np.zeros((150, 200, 3), dtype=np.uint8)
    image[:, 25:175] = 200  # the centre square is white, the sides black
    assert preprocess_array(image, 28).min() == 200


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    pixels = np.zeros((20, 40, 3), dtype=np.uint8)
    pixels[:, :20] = 255  # left half white, as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display = rotate 90 degrees clockwise
    Image.fromarray(pixels).save(tmp_path / "rotated.jpg", exif=exif.tobytes(), quality=100)
    upright = decode_rgb(tmp_path / "rotated.jpg")
    assert upright.shape == (40, 20, 3)
    assert upright[:15].mean() > 240 and upright[25:].mean() < 15  # white is now on top


def test_alpha_is_composited_over_white(tmp_path: Path) -> None:
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)
    rgba[..., 0] = 255
    rgba[:, :5, 3] = 255  # left half opaque red, right half fully transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "alpha.png")
    rgb = decode_rgb(tmp_path / "alpha.png")
    assert rgb[0, 0].tolist() == [255, 0, 0]
    assert rgb[0, 9].tolist() == [255, 255, 255]


def test_preprocessing_is_deterministic(tmp_path: Path) -> None:
    Image.fromarray(np.random.default_rng(1).integers(0, 256, (150, 200, 3), dtype=np.uint8)).save(tmp_path / "a.jpg")
    first, second = preprocess_file(tmp_path / "a.jpg", 128), preprocess_file(tmp_path / "a.jpg", 128)
    assert first.dtype == np.uint8 and first.shape == (128, 128, 3)
    np.testing.assert_array_equal(first, second)
