"""Real inspections for the report tests and benchmarks: answered findings, Pillow-made photos
(some portrait, some landscape) attached to their items, and signatures or a refusal."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from checklists.checklist_model import Checklist, ChecklistSection
from models.db import Database
from rules.inspection_status import (
    ENFORCEMENT,
    FAIL,
    NOT_APPLICABLE,
    PARTIAL,
    PASS,
    ROLE_OFFICER,
    ROLE_PARTY,
)
from services.evidence import add_evidence
from services.findings import record_finding
from services.inspection_lifecycle import complete_inspection, sign_inspection, update_record
from services.signatures import add_signature, record_refusal
from tests.services.inspection_fixtures import checklist, new_inspection, officers

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

START = datetime(2026, 3, 10, 1, 30, tzinfo=UTC)  # 09:30 北京时间
END = datetime(2026, 3, 10, 3, 45, tzinfo=UTC)


def signature_png(seed: int = 0) -> bytes:
    """A handwriting-like stroke on white, as a signing pad gives it."""
    img = Image.new("RGB", (300, 100), "white")
    draw = ImageDraw.Draw(img)
    points = [(20 + i * 26, 50 + ((i * 37 + seed * 11) % 40) - 20) for i in range(11)]
    draw.line(points, fill="black", width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def photo(path: Path, index: int, *, portrait: bool = False) -> Path:
    """A JPEG with a coloured pattern; portrait ones are 900×1200, landscape 1600×900."""
    size = (900, 1200) if portrait else (1600, 900)
    img = Image.new("RGB", size, ((index * 53) % 200 + 30, (index * 97) % 200 + 30, 160))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.ellipse((w // 4, h // 4, 3 * w // 4, 3 * h // 4), outline="white", width=12)
    draw.rectangle((10, 10, w - 10, h - 10), outline="yellow", width=8)
    img.save(path, "JPEG", quality=80)
    return path


def big_checklist(n: int) -> Checklist:
    """The test checklist repeated to ``n`` items (new codes), in sections of 25."""
    base = checklist()
    items = []
    sections = []
    for k in range(n):
        src = base.items[k % len(base.items)]
        items.append(dataclasses.replace(src, code=f"{src.code}-{k:03d}",
                                         section=f"S{k // 25:02d}",
                                         section_title=f"第{k // 25 + 1}部分　{src.section_title}"))
    for s in range(0, n, 25):
        chunk = items[s:s + 25]
        sections.append(ChecklistSection(chunk[0].theme, chunk[0].section,
                                         chunk[0].section_title, tuple(i.code for i in chunk)))
    return dataclasses.replace(base, items=tuple(items), sections=tuple(sections))


def full_inspection(db: Database, store: Path, work: Path, *, kind: str = ENFORCEMENT,
                    photos: int = 3, refuse: bool = False, c: Checklist | None = None,
                    sign: bool = True, entity_id: int | None = None,
                    fail_measures: bool = True) -> int:
    """An inspection with every item answered, ``photos`` photos (plus one for each failed item
    that requires a photo) and, if ``sign``, signed by the officers and the party."""
    c = c or checklist()
    with db.session() as s:
        made = new_inspection(s, kind=kind, c=c, entity_id=entity_id,
                              place="一楼母婴室及三楼女职工休息室")
        update_record(s, made.id, recorder="检查员2", party_name="王经理", party_position="店长",
                      party_phone="0955-1234567", credentials_shown=True,
                      recusal_notice_given=True, started_at=START, ended_at=END)
        cycle = (PASS, FAIL, PARTIAL, PASS, NOT_APPLICABLE)
        results: dict[str, str] = {}
        for k, item in enumerate(c.items):
            result = cycle[k % len(cycle)]
            value = None
            if item.answer.type == "measure":
                value = 8.5 if result != PASS and fail_measures else 12
                result = PASS if item.answer.meets(value) else FAIL
            elif item.answer.type != "compliance":
                result = PASS
            kwargs = {"value": value} if value is not None else {}
            note = None if result == PASS else f"现场发现：第{k + 1}项未按要求落实，已要求整改"
            record_finding(s, made.id, item.code, result=result, note=note, **kwargs)
            results[item.code] = result
        targets = [c.items[(p * 3) % len(c.items)] for p in range(photos)]
        failed_photo = [i for i in c.items if i.require_on_fail == "photo"
                        and results.get(i.code) in (FAIL, PARTIAL) and i not in targets]
        for p, item in enumerate(targets + failed_photo):
            src = photo(work / f"photo-{made.id}-{p}.jpg", p, portrait=p % 3 == 1)
            add_evidence(s, made.id, src, store_root=store, item_code=item.code,
                         photographer="检查员1", caption=f"现场照片{p + 1}")
        if not sign:
            return made.id
        complete_inspection(s, made.id, unchecked_reason=UNCHECKED_REASON)
        for k, o in enumerate(officers()):
            add_signature(s, made.id, role=ROLE_OFFICER, name=o.name, png=signature_png(k),
                          store_root=store)
        if refuse:
            record_refusal(s, made.id, name="王经理", witness_name="赵六",
                           witness_id="宁安镇社区居委会", reason="不认可检查结论",
                           witness_png=signature_png(7), store_root=store)
        else:
            add_signature(s, made.id, role=ROLE_PARTY, name="王经理", png=signature_png(5),
                          store_root=store)
        sign_inspection(s, made.id)
        return made.id


def _suffixes() -> tuple[str, ...]:
    """Every document word the notice kinds use, the 复查意见书's included."""
    from checklists.notice_types import notice_types

    types = notice_types()
    return tuple(sorted({k.suffix for k in types.kinds.values()} | {types.recheck_suffix}))


SUFFIXES = _suffixes()


def setup_org(db: Database) -> None:
    """机关名称/代字 and a block of document numbers for every kind of notice."""
    from services.notices import reserve_block
    from services.settings import ORG_CODE, ORGANISATION, set_setting

    with db.session() as s:
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
        set_setting(s, ORG_CODE, "中宁卫")
        for suffix in SUFFIXES:
            reserve_block(s, suffix=suffix, year=2026, start=1, end=500)


def issue_all(db: Database, inspection_id: int, *, issued_on: date,
              served_on: date | None = None) -> list[int]:
    """Issue every notice proposed for the inspection, and serve them when ``served_on``."""
    from services.notices import issue_notice, propose_notices, serve_notice

    with db.session() as s:
        ids = [issue_notice(s, inspection_id=inspection_id, kind_code=p.kind_code,
                            finding_ids=p.finding_ids, issued_on=issued_on,
                            issued_by=["检查员1", "检查员2"]).id
               for p in propose_notices(s, inspection_id)]
        if served_on is not None:
            for notice_id in ids:
                serve_notice(s, notice_id, served_on=served_on, method="直接送达",
                             recipient="王经理")
    return ids
