"""The rule for tests that need ../shared/data: a message and a skip outside CI, a failure in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared_data import require


def test_present_data_passes(tmp_path: Path) -> None:
    require(tmp_path, "nothing")


def test_absent_data_skips_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"needs \.\./shared/data"):
        require(tmp_path / "missing", "this check")


def test_absent_data_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"CI must have \.\./shared/data"):
        require(tmp_path / "missing", "this check")
