"""The supervisor's desk: the 数据交换 page, its preview, conflict and export dialogs, and
the 总览 figures that open the lists behind them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui import messages
from gui.context import AppEvents, PageContext
from gui.dialogs.conflict import ConflictDialog
from gui.dialogs.export_package import ExportDialog
from gui.dialogs.import_preview import ImportPreviewDialog
from gui.models.exchange import (
    ConflictTableModel,
    DeviceTableModel,
    ExportTableModel,
    ImportTableModel,
)
from gui.pages.exchange import ExchangePage
from sync.conflicts import list_conflicts
from sync.devices import list_devices
from sync.export import ExportSelection
from tests.reports.report_fixtures import full_inspection
from tests.sync.helpers import Laptop, laptop


@pytest.fixture
def desk(tmp_path: Path, catalog_template: Path, qapp: QApplication
         ) -> Iterator[tuple[Laptop, Laptop, PageContext]]:
    """An inspector's laptop with a signed inspection, and the supervisor's page context."""
    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    full_inspection(a.db, a.db.evidence_root, a.folder, photos=1)
    events = AppEvents()
    yield a, sup, PageContext(db=sup.db, events=events)
    events.deleteLater()
    a.close()
    sup.close()


def test_the_page_shows_this_laptops_fingerprint_and_empty_lists(desk: Any, qtbot: Any) -> None:
    _a, _sup, ctx = desk
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    assert "本机指纹：" in page.device_label.text()
    assert page.tabs.tabText(0) == "冲突"
    assert page.conflict_hint.text().startswith("没有等待处理的冲突。\n")
    assert page.conflict_hint.alignment() == Qt.AlignmentFlag.AlignCenter
    assert page.import_model.rowCount() == 0


def test_import_through_the_page_previews_then_merges_and_lists_the_sender(
        desk: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    a, sup, ctx = desk
    package = a.export().paths[0]
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    seen: list[Any] = []
    told: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "ask",
                        classmethod(lambda cls, parent, report: (seen.append(report)
                                                                 or (True, True, True))))
    actions: list[Any] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, **kw: (
        told.append(text), actions.append(kw.get("action")))[0])
    with qtbot.waitSignal(ctx.events.inspectionsChanged, timeout=20_000):
        page.import_files([package])
    assert seen and seen[0].dry_run and seen[0].info.trust == "unknown"
    qtbot.waitUntil(lambda: page.import_model.rowCount() == 1)
    assert "已合并" in told[-1] and "回执已保存" in told[-1]
    assert actions[-1] == "打开回执所在文件夹"  # the receipt is to be found and sent back
    entry = page.import_model.row_at(0)
    assert entry.new == seen[0].total("new") > 0
    with sup.db.session() as s:
        (device,) = list_devices(s)
    assert device.status == "trusted"  # the user ticked “同时信任这台设备”
    assert page.tabs.tabText(3) == "设备（1）"


def test_an_encrypted_package_asks_for_its_password(desk: Any, qtbot: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    a, _sup, ctx = desk
    package = a.export(password="口令123456").paths[0]
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args, **kw: (asked.append(args[1]) or ("口令123456", True)))
    previews: list[Any] = []
    monkeypatch.setattr(ImportPreviewDialog, "ask",
                        classmethod(lambda cls, parent, report: (previews.append(report)
                                                                 or (False, False, False))))
    page.import_files([package])
    qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
    assert asked == ["数据包已加密"]
    assert previews[0].info.encrypted


def test_the_preview_asks_to_compare_the_fingerprint_before_merging(desk: Any,
                                                                    qtbot: Any) -> None:
    a, sup, _ctx = desk
    report = sup.import_(a.export().paths[0], dry_run=True, trust_unknown=False)
    dialog = ImportPreviewDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.needs_confirmation
    assert not dialog.merge_button.isEnabled() and not dialog.trust_check.isEnabled()
    assert a.key.fingerprint[:4].upper() in dialog.confirm_check.text()
    dialog.confirm_check.setChecked(True)
    assert dialog.merge_button.isEnabled() and dialog.trust_check.isEnabled()
    assert dialog.count_table.rowCount() == len([k for k, v in report.counts.items()
                                                 if any(v.values())])


def test_a_conflict_is_resolved_field_by_field(tmp_path: Path, catalog_template: Path,
                                                qtbot: Any) -> None:
    from services.entities import list_entities, update_entity

    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    try:
        full_inspection(a.db, a.db.evidence_root, a.folder, photos=0)
        sup.import_(a.export("1.sypkg").paths[0])
        with a.db.session() as s:
            unit = list_entities(s)[0]
            update_entity(s, unit.id, address="甲地址", contact_name="甲联系人")
        with sup.db.session() as s:
            update_entity(s, list_entities(s)[0].id, address="乙地址", contact_phone="13800000000")
        sup.import_(a.export("2.sypkg").paths[0])
        with sup.db.session() as s:
            (c,) = list_conflicts(s)
        dialog = ConflictDialog(sup.db, c.id)
        qtbot.addWidget(dialog)
        assert set(dialog.choices) == {"address", "contact_name", "contact_phone"}
        assert dialog.table.rowCount() == 3
        dialog.only_diff_check.setChecked(False)
        assert dialog.table.rowCount() > 3
        dialog.choices["contact_name"].setCurrentIndex(1)  # 对方
        dialog.merge_button.click()
        assert dialog.resolved
        with sup.db.session() as s:
            row = next(e for e in list_entities(s) if e.id == list_entities(s)[0].id)
            assert (row.address, row.contact_name, row.contact_phone) == (
                "乙地址", "甲联系人", "13800000000")
            assert list_conflicts(s) == []
        # listed with the resolved ones on asking, its decision in the 状态 column
        events = AppEvents()
        page = ExchangePage(PageContext(db=sup.db, events=events))
        qtbot.addWidget(page)
        assert page.conflict_model.rowCount() == 0 and not page.resolved_check.isHidden()
        page.resolved_check.setChecked(True)
        assert page.conflict_model.rowCount() == 1
        state = page.conflict_model.index(0, page.conflict_model.columnCount() - 1)
        assert page.conflict_model.data(state) == "逐项合并"
        assert "已解决的 1 条" in page.conflict_hint.text()
        assert page.resolve_button.text() == "查看所选冲突…"
        # opened again: the side each field was taken from, and the decision can be changed
        dialog = ConflictDialog(sup.db, c.id)
        qtbot.addWidget(dialog)
        assert dialog.choices == {}  # nothing to choose until 重新处理
        taken = {dialog.table.item(r, 0).toolTip(): dialog.table.item(r, 3).text()
                 for r in range(dialog.table.rowCount())}
        assert taken == {"address": "本机", "contact_name": "对方", "contact_phone": "本机"}
        assert "采用的一方" in dialog.hint_label.text()
        assert not dialog.merge_button.isEnabled() and dialog.close_button.text() == "关闭"
        dialog.again_button.click()
        assert dialog.merge_button.isEnabled() and dialog.again_button.isHidden()
        assert dialog.choices["contact_name"].currentData() == "incoming"  # as decided
        dialog.choices["address"].setCurrentIndex(1)  # the inspector's address after all
        dialog.merge_button.click()
        assert dialog.resolved
        with sup.db.session() as s:
            row = next(e for e in list_entities(s) if e.id == list_entities(s)[0].id)
            assert (row.address, row.contact_name) == ("甲地址", "甲联系人")
    finally:
        a.close()
        sup.close()


def test_the_export_dialog_says_what_is_missing(qtbot: Any, tmp_path: Path) -> None:
    dialog = ExportDialog(recipients=[], themes=["母婴设施"], default_folder=tmp_path,
                          default_name="x.sypkg")
    qtbot.addWidget(dialog)
    assert "接收方" in (dialog.problem() or "")
    dialog.recipient_combo.setCurrentText("中卫市卫生健康委员会")
    assert dialog.problem() is None
    dialog.selection_radio.setChecked(True)
    assert "至少选择一个条件" in (dialog.problem() or "")
    dialog.theme_combo.setCurrentIndex(1)
    dialog.encrypt_check.setChecked(True)
    dialog.password_edit.setText("abcdef")
    dialog.confirm_edit.setText("abcdeg")
    assert "不一致" in (dialog.problem() or "")
    dialog.confirm_edit.setText("abcdef")
    dialog.split_check.setChecked(True)
    dialog.split_spin.setValue(2)
    selection, target, password, split = dialog.result_values()
    assert selection == ExportSelection(theme="母婴设施")
    assert (target, password, split) == (tmp_path / "x.sypkg", "abcdef", 2 * 1024 * 1024)


def test_the_exchange_models_pass_the_model_tester(desk: Any, qtmodeltester: Any) -> None:
    from sync.history import export_history, import_history

    a, sup, _ctx = desk
    result = a.export()
    sup.import_(result.paths[0])
    with sup.db.session() as s:
        models = [ImportTableModel(import_history(s)), DeviceTableModel(list_devices(s)),
                  ConflictTableModel(list_conflicts(s))]
    with a.db.session() as s:
        models.append(ExportTableModel(export_history(s)))
    for model in models:
        qtmodeltester.check(model)
    assert models[-1].rowCount() == 1


def test_every_overview_figure_opens_the_list_that_holds_it(ctx: PageContext, qtbot: Any,
                                                            tmp_path: Path) -> None:
    from gui.pages.inspections import InspectionsPage
    from gui.pages.overview import OverviewPage
    from services.demo.fill import fill_demo

    with ctx.db.session() as s:
        fill_demo(s, scale=0.05, evidence_root=tmp_path / "evidence", today=date(2026, 12, 1))
    page = OverviewPage(ctx)
    qtbot.addWidget(page)
    listing = InspectionsPage(ctx)
    qtbot.addWidget(listing)
    asked: list[tuple[str, dict[str, Any]]] = []
    ctx.events.openPage.connect(lambda key, preset: asked.append((key, preset)))
    assert page.data is not None and page.data.inspections > 0
    assert page.inspections_figure.text().startswith(str(page.data.inspections))
    page.overdue_figure.click()
    assert asked[-1] == ("rectification", {"status": "overdue"})
    page.inspections_figure.click()
    listing.apply_preset(asked[-1][1])
    assert listing.model.total() == page.data.inspections
    for group in (*page.data.by_region, *page.data.by_theme, *page.data.by_month):
        listing.apply_preset(group.preset)
        assert listing.model.total() == group.inspections, group.label


def test_settings_show_the_same_fingerprint_the_exchange_page_shows(ctx: PageContext,
                                                                    qtbot: Any) -> None:
    from gui.dialogs.settings import SettingsDialog

    dialog = SettingsDialog(ctx.db)
    qtbot.addWidget(dialog)
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    shown = dialog.fingerprint_label.text()
    assert len(shown.split()) == 8 and shown in page.device_label.text()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_inspection_window_exports_just_that_inspection(
        desk: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sqlalchemy import text

    from gui.inspection.record_tab import RecordTab

    a, sup, _ctx = desk
    second = full_inspection(a.db, a.db.evidence_root, a.folder, photos=0)
    events = AppEvents()
    ctx_a = PageContext(db=a.db, events=events)
    tab = RecordTab(ctx_a, second, a.db.evidence_root)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(events.openPage) as opened:
        tab.export_button.click()
    assert opened.args == ["exchange", {"export_inspection": second}]

    offered: list[str] = []

    def ask(cls: type, parent: object, **kwargs: Any) -> object:
        dialog = ExportDialog(**kwargs)
        assert dialog.inspection_radio.isChecked()  # just this inspection, chosen already
        offered.append(dialog.inspection_radio.text())
        dialog.file_edit.setText(str(tmp_path / "one.sypkg"))
        assert dialog.problem() is None
        values = dialog.result_values()
        dialog.deleteLater()
        return values

    told: list[str] = []
    monkeypatch.setattr(ExportDialog, "ask", classmethod(ask))
    monkeypatch.setattr(messages, "info", lambda _p, t, **_k: told.append(t))
    monkeypatch.setattr(messages, "error", lambda _p, t, **_k: told.append("error:" + t))
    page = ExchangePage(ctx_a)
    qtbot.addWidget(page)
    page.apply_preset(opened.args[1])
    qtbot.waitUntil(lambda: bool(told), timeout=30_000)
    assert offered and offered[0].startswith("仅这次检查：")
    assert "已导出" in told[0]
    sup.import_(tmp_path / "one.sypkg")
    with sup.db.session() as s, a.db.session() as sa:
        assert s.execute(text("SELECT count(*) FROM inspections")).scalar() == 1
        uuid = sa.execute(text("SELECT uuid FROM inspections WHERE id = :i"),
                          {"i": second}).scalar()
        assert s.execute(text("SELECT uuid FROM inspections")).scalar() == uuid
    events.deleteLater()


def test_the_export_button_opens_the_dialog_for_every_record(
        desk: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The button's clicked(checked) is not taken for an inspection id (it raised 找不到检查记录
    （编号 False）): the dialog offers the whole laptop, with no single inspection."""
    _a, _sup, ctx = desk
    asked: list[dict[str, Any]] = []
    monkeypatch.setattr(ExportDialog, "ask",
                        classmethod(lambda cls, parent, **kw: asked.append(kw)))
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    page.export_button.click()
    assert len(asked) == 1
    assert asked[0]["inspection"] is None


@pytest.mark.qt_log_ignore("This plugin does not support")  # a shown dialog, offscreen
def test_the_preview_names_new_number_clashes_and_fits_the_screen(desk: Any,
                                                                  qtbot: Any) -> None:
    """Many clashing numbers and warnings: a few named, the rest counted, the ones an earlier
    import found only counted; the warnings scroll, and the buttons stay on screen."""
    from dataclasses import replace

    from PySide6.QtGui import QGuiApplication

    a, sup, _ctx = desk
    report = replace(sup.import_(a.export().paths[0], dry_run=True),
                     number_clashes=tuple(f"中卫卫监意〔2026〕第{n}号" for n in range(50, 0, -1)),
                     number_clashes_known=3,
                     warnings=tuple(f"第{n}条提示：请核对。" for n in range(40)))
    dialog = ImportPreviewDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.notes_label.text()
    # in number order, not as text (第10号 would come before 第2号)
    assert "中卫卫监意〔2026〕第1号、中卫卫监意〔2026〕第2号、" in text
    assert "中卫卫监意〔2026〕第5号 等 50 个编号在两台电脑上都用过" in text
    assert "中卫卫监意〔2026〕第6号" not in text and "第10号" not in text
    assert "合并时会登记为冲突" in text  # a preview: nothing is registered yet
    assert "此前导入时已发现的文书编号重复还有 3 个尚未处理" in text
    assert dialog.notes_area.maximumHeight() < 200
    free = QGuiApplication.primaryScreen().availableGeometry()
    assert dialog.height() <= free.height()
    assert dialog.buttons.geometry().bottom() <= dialog.height()


def test_a_trusted_device_is_named_as_the_supervisor_named_it(desk: Any, qtbot: Any) -> None:
    """Trusted under a name of the supervisor's choosing, the sender is shown by that name, the
    device's own name beside it: in the preview and the received packages."""
    from sync.devices import trust_device
    from sync.history import import_history

    a, sup, _ctx = desk
    with sup.db.session() as s:
        trust_device(s, public_key=a.key.public_hex, name="中宁县卫健局 张三")
    report = sup.import_(a.export().paths[0])
    own = report.info.device_name
    assert own and report.info.known_as == "中宁县卫健局 张三"
    assert report.info.sender == f"中宁县卫健局 张三（{own}）"
    dialog = ImportPreviewDialog(report)
    qtbot.addWidget(dialog)
    assert f"中宁县卫健局 张三（{own}）" in dialog.source_label.text()
    with sup.db.session() as s:
        (entry,) = import_history(s)
    assert entry.device_name == f"中宁县卫健局 张三（{own}）"
    # an inspection that came in is listed by its unit, its day in 北京时间 and its themes
    import re

    (inspection,) = [c.label for c in report.changes if c.kind == "inspections"]
    assert re.fullmatch(r"某某商业广场 \d{4}-\d\d-\d\d \S+ .+", inspection), inspection


def test_several_packages_chosen_at_once_are_imported_one_after_another(
        desk: Any, tmp_path: Path, catalog_template: Path, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two laptops' packages and a damaged file chosen together: each package is previewed
    and merged in turn; the damaged one is refused by name and the next still comes."""
    a, _sup, ctx = desk
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        full_inspection(b.db, b.db.evidence_root, b.folder, photos=0)
        first, second = a.export("甲.sypkg").paths[0], b.export("乙.sypkg").paths[0]
    finally:
        b.close()
    broken = tmp_path / "坏.sypkg"
    broken.write_bytes(first.read_bytes()[:500])
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    seen: list[Any] = []
    errors: list[tuple[str, str]] = []
    told: list[str] = []
    monkeypatch.setattr(ImportPreviewDialog, "ask",
                        classmethod(lambda cls, parent, report: (seen.append(report)
                                                                 or (True, True, False))))
    monkeypatch.setattr(messages, "error", lambda parent, text, **kw: errors.append(
        (kw.get("title", ""), text)))
    monkeypatch.setattr(messages, "info", lambda parent, text, **kw: told.append(text))
    page.import_files([first, broken, second])
    qtbot.waitUntil(lambda: page.import_model.rowCount() == 2, timeout=30_000)
    assert [r.info.file_names for r in seen] == [("甲.sypkg",), ("乙.sypkg",)]
    assert len(told) == 3 and all(t.startswith("已合并") for t in told[:2])
    # at the end, what came of each package chosen
    assert told[2].startswith("共 3 个数据包，已合并 2 个")
    assert "甲.sypkg：已合并" in told[2] and "坏.sypkg：未能导入" in told[2]
    assert errors and "坏.sypkg" in errors[0][0]
    assert errors[0][1].startswith("坏.sypkg：数据包不完整或已损坏")


def test_a_number_clash_names_its_documents(tmp_path: Path, catalog_template: Path,
                                            qtbot: Any) -> None:
    """Two laptops that issued one number: the dialog lists the documents carrying it (title,
    unit, issuing body, date), never their internal ids."""
    from datetime import date

    from tests.reports.report_fixtures import issue_all, setup_org

    laps = [laptop(tmp_path / n, n.upper(), catalog_template) for n in ("a", "b", "s")]
    a, b, sup = laps
    try:
        for lap in (a, b):
            setup_org(lap.db)
            made = full_inspection(lap.db, lap.db.evidence_root, lap.folder, photos=0)
            issue_all(lap.db, made, issued_on=date(2026, 3, 11))
        sup.import_(a.export().paths[0])
        sup.import_(b.export().paths[0])
        with sup.db.session() as s:
            clash = next(c for c in list_conflicts(s) if c.reason == "doc_number")
        dialog = ConflictDialog(sup.db, clash.id)
        qtbot.addWidget(dialog)
        cells = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
        assert cells[0] == clash.label.removeprefix("文书编号 ")
        assert len(cells) == 3 and all("于2026年3月11日开具" in c for c in cells[1:])
        assert all("，由“" in c for c in cells[1:])  # the computer each came from
        assert not any(len(c) == 36 and c.count("-") == 4 for c in cells)  # no uuid
        assert not dialog.noted_button.isHidden()  # its one decision: 登记为已知悉
    finally:
        for lap in laps:
            lap.close()


def test_the_merge_message_counts_every_conflict_and_repeats_the_warnings(
        desk: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    a, sup, ctx = desk
    report = replace(sup.import_(a.export().paths[0]),
                     number_clashes=("中宁卫监意〔2026〕第1号", "中宁卫监意〔2026〕第2号"),
                     warnings=("数据包中的被检查单位“甲”与本机已有的“乙”统一社会信用代码相同。",))
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda parent, text, **kw: told.append(text))
    page._merged(report)
    assert "有 2 个冲突等待处理" in told[-1]
    assert "统一社会信用代码相同" in told[-1]
    assert page.tabs.currentIndex() == 0  # the conflicts tab


@pytest.mark.qt_log_ignore("This plugin does not support")  # a modal dialog, offscreen
def test_a_received_package_opens_as_its_import_left_it(desk: Any, qtbot: Any) -> None:
    from PySide6.QtCore import QTimer

    from gui.dialogs.import_record import ImportRecordDialog

    a, sup, ctx = desk
    report = sup.import_(a.export("县里报送.sypkg").paths[0])
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(1)
    assert page.import_detail_button.isEnabled()
    page.import_view.setCurrentIndex(page.import_model.index(0, 0))
    seen: list[dict[str, Any]] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportRecordDialog)
        counts = dialog.count_table
        seen.append({
            "title": dialog.windowTitle(),
            "source": dialog.source_label.text(),
            "kinds": [counts.item(r, 0).text() for r in range(counts.rowCount())],
            "first": dialog.change_table.item(0, 0).text(),
            "rows": dialog.change_table.rowCount(),
            "caption": dialog.changes_label.text(),
            "size": (dialog.width(), dialog.height()),
        })
        dialog.reject()

    QTimer.singleShot(0, look)
    page.show_current_import()
    (got,) = seen
    assert got["title"] == "收到的数据包：县里报送.sypkg"
    assert "中宁县卫生健康局（A）" in got["source"] and "经确认导入" in got["source"]
    assert "检查记录" in got["kinds"] and "检查结果" in got["kinds"]
    assert got["first"] == "检查记录"  # what a supervisor reads first
    changed = sum(report.total(s) for s in ("new", "updated", "conflict", "deleted"))
    assert got["rows"] == changed and got["caption"] == f"有变化的记录（{changed} 条）"
    assert got["size"][0] <= 1366 and got["size"][1] <= 768


def test_an_import_from_an_earlier_version_says_only_its_counts_are_known(
        desk: Any, qtbot: Any) -> None:
    from sqlalchemy import select

    from gui.dialogs.import_record import ImportRecordDialog
    from models.sync import ImportLog
    from sync.history import import_record

    a, sup, _ctx = desk
    sup.import_(a.export().paths[0])
    with sup.db.session() as s:
        row = s.scalar(select(ImportLog))
        assert row is not None
        row.details = None
        s.commit()
        record = import_record(s, row.id)
    assert record is not None
    dialog = ImportRecordDialog(record)
    qtbot.addWidget(dialog)
    assert "较早版本的程序" in dialog.notes_label.text()
    assert dialog.count_table.rowCount() > 0
    assert not dialog.change_table.isVisibleTo(dialog)
