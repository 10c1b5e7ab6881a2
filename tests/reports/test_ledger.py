"""台账 workbooks read back with openpyxl: counts and totals match the database."""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from models.db import Database
from models.inspection import Finding, Inspection, InspectionCounts
from models.rectification import Notice
from reports.data import ReportSelection
from reports.ledger import build_ledger_xlsx
from reports.xlsx_stream import save_with_rows, spool_rows
from rules.inspection_status import FAIL
from rules.progress import Cancelled
from services.draw_records import perform_draw
from services.entities import create_entity
from services.roster import add_inspector
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.services.inspection_fixtures import new_entity

AS_OF = date(2026, 6, 1)


def reserve_every_kind(db: Database) -> None:
    """A block for every kind the notice rules know (setup_org reserves a fixed list)."""
    from checklists.notice_types import notice_types
    from services.notices import NumberingError, reserve_block

    types = notice_types()
    suffixes = {k.suffix for k in types.kinds.values()} | {types.recheck_suffix}
    with db.session() as s:
        for suffix in sorted(suffixes):
            try:
                reserve_block(s, suffix=suffix, year=2026, start=1, end=500)
            except NumberingError:
                pass  # reserved by setup_org


@pytest.fixture
def filled(db: Database, tmp_path: Path) -> dict[str, int]:
    store = db.evidence_root
    setup_org(db)
    reserve_every_kind(db)
    with db.session() as s:
        zn = new_entity(s, "中宁县某托育园", region_code="640521")
        sp = new_entity(s, "沙坡头区某商场", region_code="640502")
    a = full_inspection(db, store, tmp_path, photos=0, entity_id=zn)
    b = full_inspection(db, store, tmp_path, photos=0, entity_id=sp)
    c = full_inspection(db, store, tmp_path, photos=0, entity_id=sp, sign=False)
    issue_all(db, a, issued_on=date(2026, 3, 10), served_on=date(2026, 3, 11))
    issue_all(db, b, issued_on=date(2026, 3, 12))
    return {"a": a, "b": b, "c": c}


def test_the_ledger_sheets_match_the_database(db: Database, filled: dict[str, int],
                                              tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    with db.session() as s:
        result = build_ledger_xlsx(s, ReportSelection(), out, as_of=AS_OF)
        n_inspections = s.scalar(select(func.count(Inspection.id)))
        signed_items = s.scalar(select(func.sum(InspectionCounts.total)).where(
            InspectionCounts.inspection_id.in_([filled["a"], filled["b"]])))
        signed_fails = s.scalar(select(func.count(Finding.id)).where(
            Finding.inspection_id.in_([filled["a"], filled["b"]]), Finding.result == FAIL))
        n_notices = s.scalar(select(func.count(Notice.id)))
        late = s.scalar(select(func.count(Notice.id)).where(
            Notice.inspection_id == filled["a"], Notice.deadline < AS_OF))
    wb = load_workbook(out)
    assert wb.sheetnames == ["检查台账", "检查结果台账", "整改台账"]
    insp, finds, notices = wb["检查台账"], wb["检查结果台账"], wb["整改台账"]
    assert insp.max_row - 1 == n_inspections == result.inspections == 3
    assert finds.max_row - 1 == signed_items == result.findings
    assert notices.max_row - 1 == n_notices == result.notices
    for ws in (insp, finds, notices):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.column_dimensions["B"].width >= 20

    header = [c.value for c in insp[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True))
            for r in insp.iter_rows(min_row=2)]
    assert sorted(r["计入统计"] for r in rows) == ["否", "是", "是"]
    assert {r["地区"] for r in rows} == {"中宁县", "沙坡头区"}
    assert all(isinstance(r["开始时间"], datetime) for r in rows)
    assert insp.cell(2, header.index("开始时间") + 1).number_format == "yyyy-mm-dd hh:mm"
    assert sum(r["检查项"] for r in rows) == 3 * 8

    fheader = [c.value for c in finds[1]]
    results = [r[fheader.index("结果")] for r in finds.iter_rows(min_row=2, values_only=True)]
    assert results.count(FAIL) == signed_fails
    assert "独立母婴室使用面积是否不少于10平方米？" in {
        r[fheader.index("检查项")] for r in finds.iter_rows(min_row=2, values_only=True)}
    assert {r[fheader.index("主题")] for r in finds.iter_rows(min_row=2, values_only=True)} == {
        "母婴设施（测试）", "女职工劳动保护（测试）"}

    nheader = [c.value for c in notices[1]]
    nrows = [dict(zip(nheader, r, strict=True))
             for r in notices.iter_rows(min_row=2, values_only=True)]
    # a's served notices whose deadline has passed (a 移送函 has none)
    assert sum(r["是否逾期"] == "是" for r in nrows) == late >= 1
    assert all(isinstance(r["下达日期"], datetime) for r in nrows)


def test_the_selection_applies_to_the_ledger(db: Database, filled: dict[str, int],
                                             tmp_path: Path) -> None:
    out = tmp_path / "zn.xlsx"
    with db.session() as s:
        result = build_ledger_xlsx(s, ReportSelection(region="640521"), out, as_of=AS_OF)
    assert (result.inspections, result.notices) == (1, 2)
    assert load_workbook(out)["检查台账"]["B2"].value == "中宁县某托育园"


def test_draws_are_laid_out_for_publication(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        for i in range(4):
            create_entity(s, name=f"宁安镇第{i + 1}托育园", type_code="childcare_center",
                          region_code="640521")
        for i, name in enumerate(("马文", "李静", "王强")):
            add_inspector(s, name=name, department="卫生健康", cert_no=f"ZF64{i:04d}")
        perform_draw(s, title="2026年第一季度托育机构消防安全双随机抽查", theme="托育机构消防安全",
                     kind="执法检查", n=2, per_entity=2, witness_name="周见证",
                     witness_input="=1+1 七二九一 春风", region_codes=["640521"],
                     now=datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    out = tmp_path / "draw.xlsx"
    with db.session() as s:
        assert build_ledger_xlsx(s, ReportSelection(), out).draws == 1
    ws = load_workbook(out)["双随机抽查公示"]
    values = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    assert values[0] == ["2026年第一季度托育机构消防安全双随机抽查　抽查结果公示"]
    labels = {r[0]: r[1] for r in values if len(r) == 2}
    assert labels["见证人"] == "周见证" and len(labels["随机种子"]) >= 16
    typed = next(row[1] for row in ws.iter_rows() if row[0].value == "见证人输入")
    assert typed.value == "=1+1 七二九一 春风" and typed.data_type == "s"  # text, not a formula
    header = values.index(["序号", "被检查单位", "统一社会信用代码", "所在地区", "检查人员",
                           "抽查结果", "说明"])
    drawn = [r for r in values[header + 1:] if r]
    assert len(drawn) == 2 and all("托育园" in r[1] for r in drawn)


def test_a_cancelled_ledger_leaves_no_file(db: Database, filled: dict[str, int],
                                           tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    with db.session() as s, pytest.raises(Cancelled):
        build_ledger_xlsx(s, ReportSelection(), out, is_cancelled=lambda: True)
    assert not out.exists() and not list(tmp_path.glob(".ledger-*"))


def test_a_ledger_cancelled_between_sheets_leaves_no_spool_or_file(
        db: Database, filled: dict[str, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_dir))
    asked: list[int] = []

    def cancel_on_second_ask() -> bool:
        asked.append(1)
        return len(asked) >= 2  # after the first sheet has been spooled

    out = tmp_path / "x.xlsx"
    with db.session() as s, pytest.raises(Cancelled):
        build_ledger_xlsx(s, ReportSelection(), out, is_cancelled=cancel_on_second_ask)
    assert not out.exists() and not list(tmp_path.glob(".ledger-*"))
    assert list(spool_dir.iterdir()) == []


def test_findings_dates_filter_range_and_frozen_header_survive_reading_back(
        db: Database, filled: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    with db.session() as s:
        result = build_ledger_xlsx(s, ReportSelection(), out, as_of=AS_OF)
    wb = load_workbook(out)
    finds = wb["检查结果台账"]
    assert finds.freeze_panes == "A2"
    assert finds.auto_filter.ref == f"A1:K{result.findings + 1}"
    header = [c.value for c in finds[1]]
    assert header[0] == "检查编号" and finds["A1"].font.bold
    day = finds.cell(2, header.index("检查日期") + 1)
    assert isinstance(day.value, datetime) and day.value.time().isoformat() == "00:00:00"
    assert day.number_format == "yyyy-mm-dd"
    assert finds.column_dimensions["F"].width == 48
    notices = wb["整改台账"]
    nheader = [c.value for c in notices[1]]
    issued = notices.cell(2, nheader.index("下达日期") + 1)
    assert issued.value.date() == date(2026, 3, 10) and issued.number_format == "yyyy-mm-dd"
    # Excel's hidden _FilterDatabase name covers the same rows as the sheet's filter
    with zipfile.ZipFile(out) as z:
        book = z.read("xl/workbook.xml").decode()
    assert f"'检查结果台账'!$A$1:$K${result.findings + 1}</definedName>" in book


def test_streamed_rows_keep_every_value_type_and_column_format(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["文字", "整数", "小数", "真假", "日期", "时间", "空"])
    rows = [["甲 & <乙> \x01丙", 7, 0.125, True, date(2026, 3, 1),
             datetime(2026, 3, 1, 14, 30), None],
            ["  前后空格 ", -3, 1e-7, False, None, datetime(1999, 12, 31, 23, 59), ""],
            ["", None, None, None, None, None, None]]
    spool = spool_rows(ws, rows, [None, None, "0.0%", None, "yyyy-mm-dd",
                                  "yyyy-mm-dd hh:mm", None], first_row=2)
    out = tmp_path / "sub" / "rows.xlsx"
    save_with_rows(wb, [spool], out)
    assert spool.rows == 3 and not spool.path.exists()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    back = load_workbook(out)["数据"]
    assert [[c.value for c in r] for r in back.iter_rows(min_row=2, max_row=3)] == [
        ["甲 & <乙> 丙", 7, 0.125, True, datetime(2026, 3, 1), datetime(2026, 3, 1, 14, 30),
         None],
        ["  前后空格 ", -3, 1e-7, False, None, datetime(1999, 12, 31, 23, 59), None]]
    assert back["C2"].number_format == "0.0%" and back["E2"].number_format == "yyyy-mm-dd"
    assert back["F3"].number_format == "yyyy-mm-dd hh:mm" and back["A2"].number_format == "General"
    assert back.max_row == 3  # a row with no values has no cells to read back


def test_every_ledger_sheet_prints_landscape_one_page_wide_with_its_header_repeated(
        db: Database, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    with db.session() as s:
        build_ledger_xlsx(s, ReportSelection(), out, as_of=AS_OF)
    wb = load_workbook(out)
    for name in ("检查台账", "检查结果台账", "整改台账"):
        ws = wb[name]
        setup = ws.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9")
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert 0.4 <= ws.page_margins.left <= 1.0 and 0.4 <= ws.page_margins.top <= 1.0
    with zipfile.ZipFile(out) as z:
        book = z.read("xl/workbook.xml").decode()
    assert "_xlnm.Print_Titles" in book and "'整改台账'!$1:$1" in book


def test_a_voided_draw_is_marked_and_listed_after_the_draws_in_force(db: Database,
                                                                      tmp_path: Path) -> None:
    from services.draw_records import discard_draw

    with db.session() as s:
        for i in range(4):
            create_entity(s, name=f"宁安镇第{i + 1}托育园", type_code="childcare_center",
                          region_code="640521")
        add_inspector(s, name="马文", department="卫生健康", cert_no="ZF640001")
        add_inspector(s, name="李静", department="卫生健康", cert_no="ZF640002")
        made = [perform_draw(s, title=f"第{k}次抽查", theme="托育机构消防安全", kind="执法检查",
                             n=1, per_entity=2, witness_name="周见证",
                             witness_input=f"七二九一春风{k}", region_codes=["640521"],
                             now=datetime(2026, 3, k, 9, 30, tzinfo=UTC)) for k in (1, 2)]
        discard_draw(s, made[0].id, reason="见证人未到场")
    out = tmp_path / "draw.xlsx"
    with db.session() as s:
        assert build_ledger_xlsx(s, ReportSelection(), out).draws == 2
    rows = [[c for c in r if c is not None]
            for r in load_workbook(out)["双随机抽查公示"].iter_rows(values_only=True)]
    titles = [r[0] for r in rows if len(r) == 1 and "抽查结果公示" in str(r[0])]
    assert titles == ["第2次抽查　抽查结果公示", "第1次抽查　抽查结果公示（本次抽取已作废）"]
    voided = rows[rows.index([titles[1]]):]
    outcomes = [r[-2] if len(r) == 7 else r[-1] for r in voided
                if r and isinstance(r[0], int)]  # 序号 … 抽查结果 (说明 may be empty)
    assert outcomes and all(o == "已作废，不检查" for o in outcomes)


def test_the_workbook_names_the_office_not_the_library_as_author(db: Database,
                                                                 tmp_path: Path) -> None:
    from services.settings import ORGANISATION, set_setting

    with db.session() as s:
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
    out = tmp_path / "ledger.xlsx"
    with db.session() as s:
        build_ledger_xlsx(s, ReportSelection(), out)
    props = load_workbook(out).properties
    assert props.creator == "中宁县卫生健康局" and "openpyxl" not in str(props.lastModifiedBy)
    assert props.title and "台账" in props.title
