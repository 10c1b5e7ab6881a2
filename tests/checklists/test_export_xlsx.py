"""The fillable Excel checklist: print setup, drop-downs, protection, and the round trip of a
workbook filled in by a person with Excel (here: openpyxl) back into findings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from checklists.catalog_view import DocumentView, from_parsed
from checklists.checklist_model import Checklist, Selection
from checklists.export_xlsx import COL, META_SHEET, SHEET, XLSX_FORMAT_VERSION, write_checklist_xlsx
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.templates import load_themes
from checklists.xlsx_findings import XlsxFormatError, read_filled_checklist
from services.catalog_store import bundled_policy_files

GOOD = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"


@pytest.fixture(scope="module")
def catalog() -> tuple[DocumentView, ...]:
    return from_parsed(parse_text(body, source_name=name) for name, body in bundled_policy_files())


@pytest.fixture(scope="module")
def checklist(catalog: tuple[DocumentView, ...]) -> Checklist:
    docs = tuple(d.id for d in catalog if d.short in ("白银", "鹿寨"))
    return generate(Selection(themes=("fx_xiaofang", "fx_muying", "ducha"), documents=docs,
                              departments=("消防救援", "卫生健康")),
                    catalog, load_themes(GOOD) + load_themes(), as_of=date(2025, 6, 1))


@pytest.fixture
def workbook(tmp_path: Path, checklist: Checklist) -> Path:
    return write_checklist_xlsx(checklist, tmp_path / "清单.xlsx", entity_label="托育机构",
                                documents=["白银市实施方案", "鹿寨县实施方案"])


def _rows_by_code(ws: Worksheet) -> dict[str, int]:
    col = COL["检查项编码"]
    return {str(ws.cell(r, col).value): r for r in range(1, ws.max_row + 1)
            if ws.cell(r, col).value and ws.cell(r, col).value != "检查项编码"}


def test_the_sheet_prints_on_a4_landscape_fit_to_width_with_repeated_header(
        workbook: Path) -> None:
    ws = openpyxl.load_workbook(workbook)[SHEET]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert "第 &P 页 共 &N 页" in ws.oddFooter.center.text
    assert ws.column_dimensions["B"].width >= 30
    item_row = next(iter(_rows_by_code(ws).values()))
    assert ws.cell(item_row, COL["检查内容"]).alignment.wrap_text
    assert ws.cell(item_row, COL["检查内容"]).border.left.style == "thin"


def test_header_block_names_theme_documents_and_leaves_lines_for_the_inspectors(
        workbook: Path, checklist: Checklist) -> None:
    ws = openpyxl.load_workbook(workbook)[SHEET]
    texts = [str(c.value) for row in ws.iter_rows(max_row=9) for c in row if c.value]
    assert any(checklist.title in t for t in texts)
    assert any("白银市实施方案" in t for t in texts)
    for label in ("被检查单位", "检查日期", "检查人员"):
        assert label in texts
    assert "托育机构" in texts


def test_item_rows_carry_drop_downs_by_answer_type_and_locked_hidden_codes(
        workbook: Path, checklist: Checklist) -> None:
    ws = openpyxl.load_workbook(workbook)[SHEET]
    rows = _rows_by_code(ws)
    assert set(rows) == {i.code for i in checklist.items}
    result_col = openpyxl.utils.get_column_letter(COL["检查结果"])

    def validation_for(cell: str) -> str:
        hits = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
        assert len(hits) == 1, cell
        return str(hits[0].formula1 or hits[0].type)

    compliance = next(i for i in checklist.items if i.answer.type == "compliance")
    progress = next(i for i in checklist.items if i.answer.type == "progress")
    measure = next(i for i in checklist.items if i.answer.type == "measure")
    assert validation_for(f"{result_col}{rows[compliance.code]}") == '"符合,不符合,部分符合,不适用"'
    assert validation_for(f"{result_col}{rows[progress.code]}") == '"已完成,推进中,未启动,滞后"'
    value_col = openpyxl.utils.get_column_letter(COL["实测值"])
    hits = [dv for dv in ws.data_validations.dataValidation
            if f"{value_col}{rows[measure.code]}" in dv.sqref]
    assert hits and hits[0].type == "decimal"
    assert ws.cell(rows[measure.code], COL["标准"]).value == measure.answer.threshold_text()
    assert ws.protection.sheet
    assert ws.cell(rows[compliance.code], COL["检查结果"]).protection.locked is False
    assert ws.cell(rows[compliance.code], COL["检查项编码"]).protection.locked is not False
    for name in ("检查项编码", "校验值"):
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(COL[name])].hidden
    assert ws.cell(rows[compliance.code], COL["校验值"]).value == compliance.text_hash


def test_meta_sheet_carries_format_version_and_selection(workbook: Path,
                                                         checklist: Checklist) -> None:
    import json

    meta = openpyxl.load_workbook(workbook)[META_SHEET]
    values = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert values["format_version"] == XLSX_FORMAT_VERSION
    assert json.loads(values["selection"]) == checklist.selection.to_dict()
    assert meta.sheet_state == "hidden"


def test_a_workbook_filled_in_by_a_person_reads_back_as_findings(
        workbook: Path, checklist: Checklist) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb[SHEET]
    rows = _rows_by_code(ws)
    compliance = [i for i in checklist.items if i.answer.type == "compliance"][:2]
    measure = next(i for i in checklist.items if i.answer.type == "measure")
    progress = next(i for i in checklist.items if i.answer.type == "progress")
    ws.cell(rows[compliance[0].code], COL["检查结果"], "符合")
    ws.cell(rows[compliance[1].code], COL["检查结果"], "不符合")
    ws.cell(rows[compliance[1].code], COL["情况说明"], "疏散通道堆放杂物")
    ws.cell(rows[measure.code], COL["检查结果"], "部分符合")
    ws.cell(rows[measure.code], COL["实测值"], 8.5)
    ws.cell(rows[progress.code], COL["检查结果"], "推进中")
    ws["C4"] = "白银市某托育中心"
    ws["C5"] = datetime(2026, 3, 2)
    ws["C6"] = "张三、李四"
    wb.save(workbook)

    filled = read_filled_checklist(workbook)
    assert filled.problems == () and filled.stale == () and filled.unknown == ()
    assert filled.missing == ()
    got = filled.by_code()
    assert (got[compliance[0].code].result, got[compliance[1].code].result) == ("符合", "不符合")
    assert got[compliance[1].code].note == "疏散通道堆放杂物"
    assert (got[measure.code].result, got[measure.code].value) == ("部分符合", 8.5)
    assert got[progress.code].result == "推进中"
    assert {r.code for r in filled.answered} == {compliance[0].code, compliance[1].code,
                                                 measure.code, progress.code}
    assert filled.header["entity_name"] == "白银市某托育中心"
    assert filled.header["inspection_date"] == "2026-03-02"
    assert filled.header["inspectors"] == "张三、李四"
    assert filled.checklist == checklist
    assert all(r.text_hash == checklist.item(r.code).text_hash for r in filled.rows)  # type: ignore[union-attr]


def test_changed_hashes_unknown_codes_and_bad_cells_are_reported(
        workbook: Path, checklist: Checklist) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb[SHEET]
    rows = _rows_by_code(ws)
    first, second, third = (i.code for i in checklist.items[:3])
    measure = next(i for i in checklist.items if i.answer.type == "measure")
    ws.cell(rows[first], COL["校验值"], "0" * 64)
    ws.cell(rows[second], COL["检查项编码"], "NO-SUCH-ITEM")
    ws.cell(rows[third], COL["检查结果"], "基本符合")
    ws.cell(rows[measure.code], COL["实测值"], "约十平方米")
    wb.save(workbook)

    filled = read_filled_checklist(workbook)
    assert [r.code for r in filled.stale] == [first]
    assert [r.code for r in filled.unknown] == ["NO-SUCH-ITEM"]
    assert filled.missing == (second,)
    assert any("基本符合" in p for p in filled.problems)
    assert any("约十平方米" in p and "不是数字" in p for p in filled.problems)
    assert first not in {r.code for r in filled.answered}


def test_hashes_are_checked_against_a_given_newer_checklist(
        workbook: Path, checklist: Checklist) -> None:
    import dataclasses

    changed = dataclasses.replace(checklist.items[0], text_hash="f" * 64)
    newer = dataclasses.replace(checklist, items=(changed, *checklist.items[1:]))
    filled = read_filled_checklist(workbook, against=newer)
    assert [r.code for r in filled.stale] == [changed.code]


def test_a_workbook_with_a_renamed_column_is_refused_in_chinese(workbook: Path) -> None:
    wb = openpyxl.load_workbook(workbook)
    ws = wb[SHEET]
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    ws.cell(header_row, COL["检查结果"], "结论")
    wb.save(workbook)
    with pytest.raises(XlsxFormatError, match="缺少列：检查结果"):
        read_filled_checklist(workbook)


def test_a_foreign_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"  # type: ignore[index]
    wb.save(path)
    with pytest.raises(XlsxFormatError, match="不是本软件导出的检查表"):
        read_filled_checklist(path)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(XlsxFormatError, match="无法打开"):
        read_filled_checklist(tmp_path / "broken.xlsx")

