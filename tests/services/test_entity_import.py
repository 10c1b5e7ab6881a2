"""Importing units from Excel: good rows, a per-row report for bad ones, nothing partial
unless asked, wrong columns refused, and the template reads back as an empty import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from models.db import Database
from services.entities import create_entity, list_entities
from services.entity_import import EntityImportError, import_entities, write_entity_template
from tests.services.inspection_fixtures import VALID_CODES, assert_integrity

HEADER = ["单位名称", "单位类型", "统一社会信用代码", "地址", "行政区划", "联系人", "联系电话",
          "建筑面积", "经常有母婴逗留", "职工人数"]


@pytest.fixture(autouse=True)
def _sound_database(db: Database) -> Iterator[None]:
    yield
    assert_integrity(db)


def workbook(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD_ROWS: list[list[Any]] = [
    ["某某商业广场", "商业中心", VALID_CODES[0], "宁安大街1号", "640521", "王经理", "0955-1234567",
     15000, "是", None],
    ["某某科技公司", "enterprise", None, "工业园区", "中宁县", "李主任", 13900000000, None, None,
     260],
]


def test_good_rows_are_imported_with_typed_facts(db: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "units.xlsx", HEADER, [*GOOD_ROWS, [None] * len(HEADER)])
    with db.session() as s:
        report = import_entities(s, path)
    assert (report.rows, report.imported, report.errors, report.written) == (2, 2, (), True)
    with db.session() as s:
        units = {e.name: e for e in list_entities(s)}
    mall = units["某某商业广场"]
    assert mall.type_code == "commercial_center"
    assert mall.facts == {"building_area_m2": 15000, "frequent_mother_infant": True}
    assert mall.credit_code == VALID_CODES[0]
    firm = units["某某科技公司"]
    assert (firm.region_code, firm.contact_phone, firm.facts) == ("640521", "13900000000",
                                                                   {"employees": 260})


BAD_ROWS: list[list[Any]] = [
    ["", "企业", None, None, None, None, None, None, None, None],  # row 4: no name
    ["某单位", "飞船", None, None, None, None, None, None, None, None],  # row 5: unknown type
    ["某单位2", "企业", "91350100M000100Y44", None, None, None, None, None, None, None],  # 6
    ["某单位3", "商业中心", None, None, None, None, None, "很大", None, None],  # 7
    ["某单位4", "商业中心", None, None, None, None, None, None, None, 30],  # 8: fact not for type
    ["某单位5", "企业", VALID_CODES[0], None, None, None, None, None, None, None],  # 9: dup of 2
    ["某单位6", "企业", None, None, "中宁", None, "电话", None, None, None],  # 10: bad phone
]


def test_bad_rows_are_reported_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    path = workbook(tmp_path / "units.xlsx", HEADER, GOOD_ROWS + BAD_ROWS)
    with db.session() as s:
        report = import_entities(s, path)
    assert not report.written and report.imported == 0
    reasons = {e.row: e.message for e in report.errors}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "单位名称" in reasons[4]
    assert "单位类型" in reasons[5]
    assert "校验位" in reasons[6]
    assert "应为数字" in reasons[7]
    assert "不适用于" in reasons[8]
    assert "第2行重复" in reasons[9]
    assert "联系电话" in reasons[10]
    with db.session() as s:
        assert list_entities(s) == []


def test_valid_rows_only_imports_the_good_rows_and_reports_the_rest(db: Database,
                                                                     tmp_path: Path) -> None:
    path = workbook(tmp_path / "units.xlsx", HEADER, GOOD_ROWS + BAD_ROWS)
    with db.session() as s:
        report = import_entities(s, path, valid_rows_only=True)
    assert report.written and report.imported == 2 and len(report.errors) == 7
    with db.session() as s:
        assert sorted(e.name for e in list_entities(s)) == ["某某商业广场", "某某科技公司"]


def test_a_code_already_registered_is_a_row_error(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        create_entity(s, name="已登记单位", type_code="enterprise", credit_code=VALID_CODES[0])
    path = workbook(tmp_path / "units.xlsx", HEADER, GOOD_ROWS[:1])
    with db.session() as s:
        report = import_entities(s, path)
    assert [(e.row, "已登记为“已登记单位”" in e.message) for e in report.errors] == [(2, True)]


@pytest.mark.parametrize(("header", "reason"), [
    (["名称", "类型", "地址"], "缺少栏目：单位名称、单位类型"),
    ([*HEADER, "营业额"], "无法识别的栏目：营业额"),
    (["单位名称", "单位类型", "地址", "地址"], "栏目重复：地址"),
])
def test_wrong_columns_are_refused_and_nothing_is_written(db: Database, tmp_path: Path,
                                                          header: list[str], reason: str) -> None:
    path = workbook(tmp_path / "units.xlsx", header, [["某单位", "企业", "x", "y"]])
    with pytest.raises(EntityImportError, match=reason), db.session() as s:
        import_entities(s, path)
    with db.session() as s:
        assert list_entities(s) == []


def test_a_file_that_is_not_excel_is_refused_in_chinese(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_text("单位名称,单位类型\n", encoding="utf-8")
    with pytest.raises(EntityImportError, match=r"\.xlsx"), db.session() as s:
        import_entities(s, path)


def test_the_template_has_every_column_and_imports_as_empty(db: Database,
                                                            tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_entity_template(path)
    wb = load_workbook(path)
    header = [c.value for c in wb.worksheets[0][1]]
    assert header[:7] == ["单位名称", "单位类型", "统一社会信用代码", "地址", "行政区划", "联系人",
                          "联系电话"]
    assert "建筑面积" in header and "收托规模（托位数）" in header
    assert "企业" in [r[0] for r in wb["单位类型"].iter_rows(values_only=True)]
    with db.session() as s:
        report = import_entities(s, path)
    assert (report.rows, report.imported, report.errors) == (0, 0, ())


def test_fact_columns_may_carry_their_unit(db: Database, tmp_path: Path) -> None:
    header = ["单位名称", "单位类型", "建筑面积（㎡）", "日客流量(人次)"]
    path = workbook(tmp_path / "units.xlsx", header, [["某车站", "交通枢纽", 9000, 12000]])
    with db.session() as s:
        report = import_entities(s, path)
        assert report.imported == 1
        (unit,) = list_entities(s)
    assert unit.facts == {"building_area_m2": 9000, "daily_visitors": 12000}
