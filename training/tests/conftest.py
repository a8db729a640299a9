import sys
from pathlib import Path

# Tests import the package from training/ and helpers from this folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Imported after the path set-up above: both come from the folders it adds.
import pytest

import dermlens_train.prepared as prepared_module

from synthetic import make_dataset, make_phone_dataset


@pytest.fixture
def tiny_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tiny synthetic dermoscopic and phone sets under tmp_path, with their own image cache."""
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    return tmp_path
