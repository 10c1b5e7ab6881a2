"""The laptops of the day, set up as a new installation is before its first visit: the bundled
catalog, the office's name, 机关代字 and department, and a block of document numbers. Also the
files a person brings along: a policy document, a photo."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from models.db import Database, open_database
from models.paths import DATA_DIR_ENV

JURISDICTION_CODE = "640521"  # 中宁县
UNIT = "中宁县石空镇小太阳托育园"

POLICY_TITLE = "中宁县托育服务高质量发展六条措施"
#: A county document numbered 第一条…第六条, the units in brackets after each article.
POLICY = Path(__file__).with_name("policy.txt")


@dataclass
class Laptop:
    """One person's computer: a data folder (keys, receipts), a database in it."""

    name: str
    folder: Path
    db: Database

    def use(self) -> None:
        """Work as this computer: its user data folder holds its signing key."""
        os.environ[DATA_DIR_ENV] = str(self.folder)


def new_laptop(root: Path, name: str, organisation: str) -> Laptop:
    from checklists.notice_types import notice_types
    from rules.china_time import today
    from services.catalog_store import ensure_bundled_catalog
    from services.numbering import reserve_block
    from services.settings import (
        JURISDICTION,
        ORG_CODE,
        ORG_DEPARTMENT,
        ORGANISATION,
        set_setting,
    )

    folder = root / name
    folder.mkdir(parents=True)
    os.environ[DATA_DIR_ENV] = str(folder)
    db = open_database(folder / "jiancha.sqlite")
    types = notice_types()
    suffixes = sorted({k.suffix for k in types.kinds.values()} | {types.recheck_suffix})
    block = {"A": 1, "B": 101, "S": 201}.get(name[-1], 301)
    with db.session() as s:
        ensure_bundled_catalog(s)
        set_setting(s, JURISDICTION, JURISDICTION_CODE)
        set_setting(s, ORGANISATION, organisation)
        set_setting(s, ORG_CODE, "宁消")
        set_setting(s, ORG_DEPARTMENT, "消防救援")
        s.flush()
        for suffix in suffixes:
            reserve_block(s, suffix=suffix, year=today().year, start=block, end=block + 49)
    return Laptop(name, folder, db)


def write_policy(folder: Path) -> Path:
    path = folder / "中宁县托育服务六条措施.txt"
    path.write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def write_photo(folder: Path) -> Path:
    """A site photo: a door with an exit sign, as a phone would save it (JPEG)."""
    path = folder / "IMG_20250318_101500.jpg"
    img = Image.new("RGB", (1280, 960), (196, 190, 176))
    draw = ImageDraw.Draw(img)
    draw.rectangle((420, 220, 860, 940), fill=(120, 84, 52), outline=(60, 40, 20), width=8)
    draw.rectangle((540, 90, 740, 170), fill=(20, 150, 70))
    draw.polygon([(560, 130), (610, 100), (610, 160)], fill="white")
    draw.ellipse((780, 560, 820, 600), fill=(230, 200, 60))
    img.save(path, "JPEG", quality=85)
    return path
