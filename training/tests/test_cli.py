"""The CLI builds its flags from TrainConfig with explicit types, booleans included."""

from __future__ import annotations

import argparse

import pytest

from dermlens_train.cli import build_parser, config_from, flag_type


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_role_presets_and_typed_overrides() -> None:
    config = config_from(parse("train", "--role", "accurate", "--epochs", "3", "--lr", "0.01", "--run-dir", "/tmp/x"))
    assert (config.model_id, config.size, config.arch, config.role) == ("derm-lite0-128", 128, "lite0", "accurate")
    assert config.epochs == 3 and isinstance(config.epochs, int)
    assert config.lr == 0.01 and isinstance(config.lr, float)
    assert config.run_dir == "/tmp/x"
    fast = config_from(parse("all", "--role", "fast"))
    assert (fast.model_id, fast.size, fast.pretrained, fast.arch) == ("derm-fast-28", 28, False, "compact24")


def test_booleans_are_flags_not_strings() -> None:
    assert config_from(parse("train", "--role", "accurate", "--resume")).resume is True
    assert config_from(parse("train", "--role", "accurate", "--no-pretrained")).pretrained is False
    assert config_from(parse("train", "--role", "accurate")).bf16 is False
    with pytest.raises(SystemExit):
        parse("train", "--role", "accurate", "--resume", "yes")


def test_bad_values_are_refused() -> None:
    for argv in (["train", "--role", "accurate", "--epochs", "many"], ["train", "--role", "huge"], ["train"]):
        with pytest.raises(SystemExit):
            parse(*argv)


def test_flag_type_unwraps_optionals_and_refuses_others() -> None:
    assert flag_type(bool) is bool and flag_type(str | None) is str
    with pytest.raises(TypeError):
        flag_type(list[str])
