"""Tests that need ../shared/data: skip with a message where it is absent, fail in CI (CI=true),
where it is always present and a skip would hide a broken path. The same rule as tests/shared-data.ts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "false", "0")


def require(path: Path, needs: str) -> None:
    """Skip (outside CI) or fail (in CI) when `path` does not exist."""
    if path.exists():
        return
    message = f"{path} not found: {needs} needs ../shared/data"
    if in_ci():
        pytest.fail(f"CI must have ../shared/data. {message}")
    pytest.skip(message)
