"""被检查单位: the editor checks the credit code as typed and refuses a bad one; the list
searches, sorts and marks duplicates; Excel import reports bad rows and writes nothing partial."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt

from gui import messages
from gui.context import PageContext
from gui.dialogs.entity_editor import EntityEditorDialog
from gui.dialogs.entity_import import EntityImportDialog
from gui.models.base import ROW_ROLE
from gui.models.entities import EntityTableModel
from gui.pages.entities import EntitiesPage
from models.db import Database
from models.registry import Entity
from services.entities import create_entity, list_entities
from tests.services.inspection_fixtures import VALID_CODES

HEADER = ["单位名称", "单位类型", "统一社会信用代码", "地址", "行政区划", "联系人", "联系电话",
          "建筑面积", "经常有母婴逗留"]
BAD_CODE = VALID_CODES[0][:-1] + ("0" if VALID_CODES[0][-1] != "0" else "1")


class Said:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        monkeypatch.setattr(messages, "error", lambda _p, text, **_k: self.errors.append(text))
        monkeypatch.setattr(messages, "warning",
                            lambda _p, text, **_k: self.warnings.append(text))


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    return Said(monkeypatch)


def _names(db: Database) -> list[str]:
    with db.session() as s:
        return [e.name for e in list_entities(s)]


def _editor(db: Database, qtbot: Any, entity_id: int | None = None) -> EntityEditorDialog:
    dialog = EntityEditorDialog(db, entity_id)
    qtbot.addWidget(dialog)
    return dialog


def test_a_new_unit_is_saved_with_its_type_facts_and_region(
        catalog_db: Database, qtbot: Any, said: Said) -> None:
    dialog = _editor(catalog_db, qtbot)
    dialog.name_edit.setText("中宁县万达广场")
    dialog.set_type("commercial_center")
    assert "building_area_m2" in dialog.fact_fields
    assert "employees" not in dialog.fact_fields  # an employer's fact, not a mall's
    dialog.fact_fields["building_area_m2"].set_value(12000)
    dialog.fact_fields["frequent_mother_infant"].set_value(True)
    dialog.credit_edit.setText(VALID_CODES[1])
    assert "校验位正确" in dialog.credit_status.text()
    dialog.set_region("640521")
    dialog.address_edit.setText("宁安大街88号")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert said.warnings == []
    assert dialog.saved is not None
    with catalog_db.session() as s:
        (unit,) = list_entities(s)
    assert unit.type_code == "commercial_center" and unit.region_code == "640521"
    assert unit.facts == {"building_area_m2": 12000, "frequent_mother_infant": True}
    assert unit.credit_code == VALID_CODES[1]


def test_a_credit_code_with_a_wrong_check_digit_is_refused_as_typed(
        catalog_db: Database, qtbot: Any, said: Said) -> None:
    dialog = _editor(catalog_db, qtbot)
    dialog.name_edit.setText("某托育园")
    dialog.set_type("childcare_center")
    dialog.credit_edit.setText(BAD_CODE)
    assert "校验位不正确" in dialog.credit_status.text()
    assert not dialog.save_button.isEnabled()
    dialog.save()  # even when forced
    assert dialog.saved is None and "校验位不正确" in dialog.error_label.text()
    assert _names(catalog_db) == []
    dialog.credit_edit.setText("1234")
    assert "应为18位" in dialog.credit_status.text()


def test_editing_keeps_facts_and_a_duplicate_credit_code_is_named(
        catalog_db: Database, qtbot: Any, said: Said) -> None:
    with catalog_db.session() as s:
        first = create_entity(s, name="甲公司", type_code="enterprise",
                              credit_code=VALID_CODES[2], facts={"employees": 300})
        second = create_entity(s, name="乙公司", type_code="enterprise")
    dialog = _editor(catalog_db, qtbot, second.id)
    dialog.credit_edit.setText(VALID_CODES[2])
    assert "已登记为“甲公司”" in dialog.credit_status.text()
    assert not dialog.save_button.isEnabled()
    other = _editor(catalog_db, qtbot, first.id)
    assert other.fact_fields["employees"].value() == "300"
    assert other.credit_code_ok()  # its own code is no duplicate
    other.contact_phone_edit.setText("abc")
    other.save()
    assert said.warnings and "联系电话" in said.warnings[-1]
    other.contact_phone_edit.setText("0955-7654321")
    other.save()
    assert other.saved is not None and other.saved.contact_phone == "0955-7654321"
    assert other.saved.facts == {"employees": 300}


def test_the_list_searches_sorts_and_marks_duplicates(ctx: PageContext, qtbot: Any) -> None:
    with ctx.db.session() as s:
        create_entity(s, name="宝鸡市某商场", type_code="commercial_center",
                      credit_code=VALID_CODES[3])
        create_entity(s, name="中宁县托育中心", type_code="childcare_center")
        create_entity(s, name="白银市某医院", type_code="hospital_public")
        # the same unit registered on a second laptop, merged in by an import
        s.add(Entity(name="宝鸡市某商场（二）", type_code="commercial_center",
                     credit_code=VALID_CODES[3]))
    page = EntitiesPage(ctx)
    qtbot.addWidget(page)
    assert len(page.entities()) == 4
    assert page.duplicate_label.isVisibleTo(page)
    assert VALID_CODES[3] in page.duplicate_label.text()
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = [e.name for e in page.entities()]
    assert names == sorted(names, reverse=True)
    page.search_edit.setText("托育")
    qtbot.waitUntil(lambda: len(page.entities()) == 1)
    assert page.entities()[0].name == "中宁县托育中心"
    assert page.count_label.text() == "找到 1 个单位"


def test_entity_model_passes_the_model_tester(catalog_db: Database, qtmodeltester: Any) -> None:
    with catalog_db.session() as s:
        create_entity(s, name="某企业", type_code="enterprise", credit_code=VALID_CODES[4])
        rows = list_entities(s)
    model = EntityTableModel(rows)
    model.set_duplicates({VALID_CODES[4]})
    qtmodeltester.check(model)
    assert model.index(0, 0).data(ROW_ROLE) == rows[0]
    assert model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)


def _workbook(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


ROWS: list[list[Any]] = [
    ["某某商业广场", "商业中心", VALID_CODES[0], "宁安大街1号", "640521", "王经理", "0955-1234567",
     15000, "是"],
    ["某某科技公司", "企业", None, "工业园区", "中宁县", "李主任", "13900000000", None, None],
    ["坏行单位", "企业", BAD_CODE, None, None, None, None, None, None],
]


def _import(dialog: EntityImportDialog, qtbot: Any, path: Path) -> Any:
    with qtbot.waitSignal(dialog.finishedImport, timeout=20_000) as blocker:
        dialog.import_file(path)
    return blocker.args[0]


def test_excel_import_reports_the_bad_row_and_writes_nothing_by_default(
        catalog_db: Database, qtbot: Any, tmp_path: Path, said: Said) -> None:
    dialog = EntityImportDialog(catalog_db)
    qtbot.addWidget(dialog)
    report = _import(dialog, qtbot, _workbook(tmp_path / "u.xlsx", HEADER, ROWS))
    assert report is not None and not report.written
    assert [e.row for e in report.errors] == [4]
    assert dialog.error_table.rowCount() == 1
    assert dialog.error_table.item(0, 0).text() == "第 4 行"
    assert "校验位不正确" in dialog.error_table.item(0, 1).text()
    assert "未导入任何单位" in dialog.summary_label.text()
    assert _names(catalog_db) == []


def test_excel_import_of_valid_rows_only_saves_the_good_ones(
        catalog_db: Database, qtbot: Any, tmp_path: Path, said: Said) -> None:
    dialog = EntityImportDialog(catalog_db)
    qtbot.addWidget(dialog)
    dialog.valid_only_check.setChecked(True)
    report = _import(dialog, qtbot, _workbook(tmp_path / "u.xlsx", HEADER, ROWS))
    assert report.imported == 2 and [e.row for e in report.errors] == [4]
    assert "已导入 2 个单位" in dialog.summary_label.text()
    assert dialog.error_table.rowCount() == 1
    assert sorted(_names(catalog_db)) == ["某某商业广场", "某某科技公司"]


def test_a_file_with_the_wrong_columns_is_refused_with_nothing_written(
        catalog_db: Database, qtbot: Any, tmp_path: Path, said: Said) -> None:
    dialog = EntityImportDialog(catalog_db)
    qtbot.addWidget(dialog)
    path = _workbook(tmp_path / "wrong.xlsx", ["名称", "类别", "电话"],
                     [["某单位", "企业", "123456"]])
    assert _import(dialog, qtbot, path) is None
    assert said.errors and "缺少栏目：单位名称、单位类型" in said.errors[0]
    assert "未导入任何数据" in said.errors[0]
    assert _names(catalog_db) == []
    not_excel = tmp_path / "notes.xlsx"
    not_excel.write_text("不是表格", encoding="utf-8")
    assert _import(dialog, qtbot, not_excel) is None
    assert "无法读取" in said.errors[-1]
    assert _names(catalog_db) == []


def badge_shown(table: Any, row: int) -> bool:
    """Whether the demo badge is painted in the name cell of ``row`` (view row)."""
    from gui.models.entities import BADGE_FILL, DemoBadgeDelegate

    cell = table.visualRect(table.model().index(row, 0))
    badge = DemoBadgeDelegate.badge_rect(cell, table.fontMetrics())
    image = table.viewport().grab().toImage()
    return image.pixelColor(badge.left() + 2, badge.center().y()) == BADGE_FILL


@pytest.mark.qt_log_ignore("This plugin does not support")  # shown windows under offscreen
def test_demo_units_carry_a_badge_and_keep_their_name(ctx: PageContext, qtbot: Any) -> None:
    from gui.models.entities import DEMO_TIP

    with ctx.db.session() as s:
        create_entity(s, name="中宁县演示托育园", type_code="childcare_center", demo=True,
                      address="中宁县宁安大街1号")
        create_entity(s, name="中宁县真实商场", type_code="commercial_center")
    page = EntitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    proxy = page.table.model()
    rows = {proxy.index(r, 0).data(): r for r in range(proxy.rowCount())}
    assert set(rows) == {"中宁县演示托育园", "中宁县真实商场"}  # names are not altered
    tip = proxy.index(rows["中宁县演示托育园"], 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "中宁县宁安大街1号" in tip and DEMO_TIP in tip
    assert badge_shown(page.table, rows["中宁县演示托育园"])
    assert not badge_shown(page.table, rows["中宁县真实商场"])
