"""Fetch HAM10000 from its official source, Harvard Dataverse (doi:10.7910/DVN/DBW86T).

For people outside this repo (our machines read ../shared/data). Never run in tests. The
Dataverse API serves every file of the dataset as one zip; we unpack the metadata CSV and the
two image parts into <to>/HAM10000_metadata.csv and <to>/images/. Images are 600x450 there;
the pipeline crops and resizes them itself.
"""

from __future__ import annotations

import shutil
import urllib.request
import zipfile
from pathlib import Path

DATAVERSE_ZIP = "https://dataverse.harvard.edu/api/access/dataset/:persistentId/?persistentId=doi:10.7910/DVN/DBW86T"


def download(to: Path, url: str = DATAVERSE_ZIP) -> None:
    to.mkdir(parents=True, exist_ok=True)
    archive = to / "dataverse.zip"
    print(f"downloading {url} -> {archive} (about 2.6 GB; CC BY-NC 4.0, cite Tschandl et al. 2018)")
    with urllib.request.urlopen(url) as response, archive.open("wb") as out:
        shutil.copyfileobj(response, out)
    unpack(archive, to)


def unpack(archive: Path, to: Path) -> None:
    """Unpack the Dataverse zip (which nests the image parts as zips) into the layout we read."""
    images = to / "images"
    images.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as outer:
        for name in outer.namelist():
            if name.endswith("HAM10000_metadata.csv") or name.endswith("HAM10000_metadata"):
                (to / "HAM10000_metadata.csv").write_bytes(outer.read(name))
            elif name.endswith(".zip") and "images" in name.lower():
                with outer.open(name) as inner_file, zipfile.ZipFile(inner_file) as inner:
                    for member in inner.namelist():
                        if member.lower().endswith(".jpg"):
                            (images / Path(member).name).write_bytes(inner.read(member))
    print(f"unpacked into {to}; point --data-dir or DERMLENS_DATA there")
