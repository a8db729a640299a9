"""The Dataverse archive is unpacked into the layout the pipeline reads (no network: a drawn zip)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from dermlens_train.data import load_metadata
from dermlens_train.download import unpack


def test_unpack_nested_dataverse_zip(tmp_path: Path) -> None:
    part = io.BytesIO()
    with zipfile.ZipFile(part, "w") as inner:
        inner.writestr("ISIC_0000001.jpg", b"jpeg bytes")
        inner.writestr("readme.txt", b"ignored")
    with zipfile.ZipFile(tmp_path / "dataverse.zip", "w") as outer:
        outer.writestr("HAM10000_metadata.csv", "lesion_id,image_id,dx\nHAM_1,ISIC_0000001,nv\n")
        outer.writestr("HAM10000_images_part_1.zip", part.getvalue())
    unpack(tmp_path / "dataverse.zip", tmp_path / "ham")
    assert (tmp_path / "ham" / "images" / "ISIC_0000001.jpg").read_bytes() == b"jpeg bytes"
    assert not (tmp_path / "ham" / "images" / "readme.txt").exists()
    assert [r.image_id for r in load_metadata(tmp_path / "ham")] == ["ISIC_0000001"]
