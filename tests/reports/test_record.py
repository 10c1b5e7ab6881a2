"""The 现场检查笔录 / 现场检查记录 of real inspections, read back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from models.db import Database
from reports.record import build_record_pdf
from rules.inspection_status import SUPERVISION
from rules.progress import Cancelled
from services.evidence import list_evidence
from tests.reports.pdf_checks import (
    assert_page_numbers,
    embedded_truetype,
    flat,
    page_texts,
    qpdf_check,
)
from tests.reports.report_fixtures import big_checklist, full_inspection


@pytest.fixture
def store(db: Database) -> Path:
    return db.evidence_root


def build(db: Database, store: Path, iid: int, out: Path, **kw: object) -> int:
    with db.session() as s:
        return build_record_pdf(s, iid, out, store_root=store, **kw).pages  # type: ignore[arg-type]


def image_count(path: Path) -> int:
    names = set()
    for page in PdfReader(path).pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        names |= {xobjects.raw_get(k).idnum for k in xobjects
                  if xobjects[k].get("/Subtype") == "/Image"}
    return len(names)


def test_the_record_prints_every_legally_required_field(db: Database, store: Path,
                                                        tmp_path: Path) -> None:
    iid = full_inspection(db, store, tmp_path, photos=3)
    out = tmp_path / "record.pdf"
    pages = build(db, store, iid, out)
    texts = page_texts(out)
    whole = flat("".join(texts))
    assert pages == len(texts)
    for expected in ("现场检查笔录", "某某商业广场", "中宁县宁安大街1号",
                     "一楼母婴室及三楼女职工休息室",
                     "检查员1", "ZF-卫生健康-001", "ZF-卫生健康-002", "记录人", "王经理（店长）",
                     "0955-1234567", "已出示执法证件", "申请检查人员回避的权利", "不申请回避",
                     "2026年3月10日", "告知事项", "被检查单位负责人"):
        assert expected in whole, expected
    # the phone is the party's, printed beside the party, not beside the recorder
    assert "负责人或在场人王经理（店长）联系电话0955-1234567" in whole
    assert "以上记录属实" not in whole  # the party's opinion is never pre-printed
    assert "FXM-" not in whole and "FXN-" not in whole  # no internal item codes
    assert "草稿" not in whole  # signed
    # every item with result, measured value against threshold, note and legal basis
    assert "独立母婴室使用面积是否不少于10平方米" in whole
    assert "8.5㎡（标准≥10㎡）" in whole
    assert "现场发现：第2项未按要求落实" in whole
    assert "《女职工劳动保护特别规定》" in whole
    assert "本次共检查8项：符合3项，不符合2项，部分符合2项，不适用1项，未检查0项" in whole
    assert_page_numbers(texts)
    assert embedded_truetype(out)
    qpdf_check(out)


def test_photos_sit_beside_their_items_and_again_in_the_appendix(db: Database, store: Path,
                                                                 tmp_path: Path) -> None:
    iid = full_inspection(db, store, tmp_path, photos=5)
    out = tmp_path / "record.pdf"
    build(db, store, iid, out)
    with db.session() as s:
        photos = [e for e in list_evidence(s, iid) if e.kind == "photo"]
    texts = page_texts(out)
    appendix = flat(texts[-1])
    assert f"附件：现场照片（共{len(photos)}张）" in appendix
    with db.session() as s:
        from services.inspection_record import get_record

        order = [f.item_code for f in sorted(get_record(s, iid).findings,
                                             key=lambda f: f.position)]
    for n, ev in enumerate(photos, start=1):  # the item by its row, not its internal code
        assert f"图{n}（检查第{order.index(ev.item_code) + 1}项）{ev.caption}" in appendix
    # thumbnails and report copies are distinct images; signatures are images too
    assert image_count(out) >= 2 * len(photos)


def test_the_party_and_officers_sign_each_page_and_a_refusal_names_its_witness(
        db: Database, store: Path, tmp_path: Path) -> None:
    iid = full_inspection(db, store, tmp_path, photos=2, refuse=True, c=big_checklist(40))
    out = tmp_path / "record.pdf"
    build(db, store, iid, out)
    texts = page_texts(out)
    assert len(texts) >= 3
    for text in texts:
        t = flat(text)
        assert "被检查单位负责人（签名）" in t and "检查人员（签名）" in t
        assert "拒绝签名（见证人：赵六）" in t
    assert "不认可检查结论" in flat("".join(texts))
    # the items table continues over pages with its header repeated
    assert sum("检查内容及依据" in t for t in texts) >= 2


def test_a_supervision_is_a_record_not_a_transcript(db: Database, store: Path,
                                                     tmp_path: Path) -> None:
    iid = full_inspection(db, store, tmp_path, kind=SUPERVISION, photos=0)
    out = tmp_path / "record.pdf"
    build(db, store, iid, out)
    first = flat(page_texts(out)[0])
    assert "现场检查记录" in first and "现场检查笔录" not in first
    whole = flat("".join(page_texts(out)))
    for enforcement_only in ("执法证号", "陈述", "申辩", "回避", "执法证件"):
        assert enforcement_only not in whole, enforcement_only
    assert "检查人员已表明身份并说明来意" in whole


def test_an_unsigned_record_is_marked_as_a_draft_on_every_page(db: Database, store: Path,
                                                                tmp_path: Path) -> None:
    iid = full_inspection(db, store, tmp_path, photos=0, sign=False, c=big_checklist(40))
    out = tmp_path / "draft.pdf"
    build(db, store, iid, out)
    texts = page_texts(out)
    assert len(texts) > 1 and all("草稿" in flat(t) for t in texts)
    assert "______" in flat("".join(texts))  # a line for the party's own opinion


def test_officers_of_another_department_are_named_as_their_own_body(
        db: Database, store: Path, tmp_path: Path) -> None:
    from services.settings import JURISDICTION, ORG_DEPARTMENT, ORGANISATION, set_setting

    with db.session() as s:
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
        set_setting(s, ORG_DEPARTMENT, "卫生健康")
        set_setting(s, JURISDICTION, "640521")
    iid = full_inspection(db, store, tmp_path, photos=0, sign=False)
    with db.session() as s:
        from sqlalchemy import select

        from models.inspection import InspectionOfficer

        for officer in s.scalars(select(InspectionOfficer).where(
                InspectionOfficer.inspection_id == iid)):
            officer.department = "消防救援"
    out = tmp_path / "fire.pdf"
    build(db, store, iid, out)
    first = flat(page_texts(out)[0])
    assert "中宁县消防救援大队" in first and "中宁县卫生健康局" not in first


def test_progress_is_reported_and_cancelling_writes_nothing(db: Database, store: Path,
                                                            tmp_path: Path) -> None:
    iid = full_inspection(db, store, tmp_path, photos=2, c=big_checklist(60))
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "record.pdf"
    build(db, store, iid, out, progress=lambda d, t, label="": seen.append((d, t, label)))
    assert out.is_file() and any("排版" in label for _, _, label in seen)

    calls = iter(range(1000))
    cancelled = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        build(db, store, iid, cancelled, is_cancelled=lambda: next(calls) > 3)
    assert not cancelled.exists()
    assert not list(tmp_path.glob(".report-*"))


def test_a_note_longer_than_a_page_is_printed_whole(db: Database, store: Path,
                                                    tmp_path: Path) -> None:
    from rules.inspection_status import FAIL
    from services.findings import record_finding

    iid = full_inspection(db, store, tmp_path, photos=0, sign=False)
    note = "".join(f"第{i}处：消防通道堆放杂物，应急照明损坏。" for i in range(1, 181))
    with db.session() as s:
        record_finding(s, iid, "FXM-A03", result=FAIL, note=note)
    out = tmp_path / "long-note.pdf"
    build(db, store, iid, out)
    whole = flat("".join(page_texts(out)))
    assert "第1处：消防通道堆放杂物" in whole and "第180处：消防通道堆放杂物" in whole
    assert_page_numbers(page_texts(out))


def test_times_print_in_beijing_time_whatever_the_computers_zone(
        db: Database, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from tests.reports.report_fixtures import START

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        iid = full_inspection(db, store, tmp_path, photos=0)
        out = tmp_path / "record.pdf"
        build(db, store, iid, out)
        whole = flat("".join(page_texts(out)))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert START.hour == 1  # 01:30 UTC is 09:30 in China
    assert "10日09时30分" in whole and "01时30分" not in whole
