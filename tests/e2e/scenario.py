"""Both users' day through the real windows, run as its own program under an X server:

    python -m tests.e2e.scenario WORK_FOLDER SHOTS_FOLDER

The inspector (laptop A) imports a policy document, generates a checklist, inspects a nursery
by keyboard with a photo and signatures, issues a notice, prints the 笔录 and exports a package.
A second inspector (laptop B) takes the package and changes the unit's phone; A changes it too.
The supervisor (laptop S) imports both packages, resolves the conflict, prints the 督查通报 and
sends the receipt back, which A imports. Exit code 0 when every step worked.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget

from gui.dialogs.conflict import ConflictDialog
from gui.dialogs.entity_editor import EntityEditorDialog
from gui.dialogs.export_package import ExportDialog
from gui.dialogs.import_policy import ImportPolicyDialog
from gui.dialogs.import_preview import ImportPreviewDialog
from gui.dialogs.inspector_editor import InspectorEditorDialog
from gui.dialogs.new_inspection import NewInspectionDialog
from gui.dialogs.notice_issue import IssueNoticesDialog
from gui.inspection.signature_pad import SignatureDialog
from tests.e2e.driver import Driver, Scenario, StepFailed, Wait, gone, later, modal
from tests.e2e.laptops import UNIT, Laptop, new_laptop, write_photo, write_policy

SCREEN = (1366, 768)


# --- what a person does with a dialog -----------------------------------------------------------


def choose_file(dialog: QWidget, path: Path) -> None:
    """Type the file's full path into a file dialog's name field and press Enter."""
    assert isinstance(dialog, QFileDialog)
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    if edit is None:
        raise StepFailed("文件对话框中找不到文件名输入框")
    edit.setText(str(path))
    QTest.keyClick(edit, Qt.Key.Key_Return)


def press(box: QWidget, text: str) -> None:
    """Click the button of a message box that reads ``text``."""
    assert isinstance(box, QMessageBox)
    for button in box.buttons():
        if button.text().replace("&", "") == text:
            later(button.click)
            return
    raise StepFailed(f"消息框“{box.text()[:60]}”中没有“{text}”按钮："
                     f"{[b.text() for b in box.buttons()]}")


def message(title: str) -> Wait:
    return Wait(modal(QMessageBox, title), f"出现“{title}”提示")


def type_chinese(edit: QLineEdit, text: str, *, enter: bool = False) -> None:
    """What an input method does: the text arrives whole (then Enter, where a field saves on
    Enter; in a dialog Enter would press its default button)."""
    edit.setFocus()
    edit.clear()
    edit.insert(text)
    if enter:
        QTest.keyClick(edit, Qt.Key.Key_Return)


def type_ascii(edit: QLineEdit, text: str, *, enter: bool = False) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    if enter:
        QTest.keyClick(edit, Qt.Key.Key_Return)


def draw_signature(pad: QWidget, seed: int) -> None:
    """A stroke across the pad, as a finger or a mouse would write it."""
    w, h = pad.width(), pad.height()
    points = [QPointF(w * (0.1 + 0.08 * i), h * (0.5 + 0.25 * (((i * 7 + seed) % 5) - 2) / 2))
              for i in range(11)]

    def send(kind: QEvent.Type, p: QPointF, buttons: Qt.MouseButton) -> None:
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove \
            else Qt.MouseButton.LeftButton
        event = QMouseEvent(kind, p, pad.mapToGlobal(p), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(pad, event)

    send(QEvent.Type.MouseButtonPress, points[0], Qt.MouseButton.LeftButton)
    for p in points[1:]:
        send(QEvent.Type.MouseMove, p, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, points[-1], Qt.MouseButton.NoButton)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return "".join(text.split())  # a name may be wrapped across lines


def top_level(kind: str) -> Any:
    for w in QApplication.topLevelWidgets():
        if type(w).__name__ == kind and w.isVisible():
            return w
    return None


# --- the day ------------------------------------------------------------------------------------


class Day:
    def __init__(self, driver: Driver, work: Path) -> None:
        self.d = driver
        self.work = work
        self.files = work / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        self.windows: dict[str, Any] = {}
        self.receipt_for_a: Path | None = None

    # --- helpers ---------------------------------------------------------------------------

    def open_window(self, lap: Laptop) -> Any:
        from gui.main_window import MainWindow

        lap.use()
        window = MainWindow(lap.db)
        window.setWindowTitle(window.windowTitle() + f"（{lap.name}）")
        window.move(0, 0)
        window.resize(*SCREEN)
        window.show()
        window.activateWindow()
        self.windows[lap.name] = window
        return window

    def switch_to(self, lap: Laptop) -> Any:
        for name, window in self.windows.items():
            if name != lap.name:
                window.hide()
        lap.use()
        window = self.windows.get(lap.name) or self.open_window(lap)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def pick_in_file_dialog(self, path: Path) -> Scenario:
        dialog = yield Wait(modal(QFileDialog), "出现文件对话框")
        self.d.shot(f"选择文件-{path.stem[:12]}")
        choose_file(dialog, path)
        yield Wait(gone(dialog), "文件对话框关闭")

    def info_ok(self, title: str, shot: str) -> Scenario:
        box = yield message(title)
        self.d.shot(shot)
        text = box.text()
        press(box, "确定")
        yield Wait(gone(box), f"“{title}”关闭")
        return text

    # --- the inspector -------------------------------------------------------------------------

    def inspector(self, a: Laptop) -> Scenario:
        self.d.begin("检查人员：打开程序")
        main = self.switch_to(a)
        yield Wait(lambda: main.current_page_key() is not None, "主窗口显示第一页")
        self.d.shot("检查员A-主窗口")

        self.d.begin("检查人员：导入政策文件")
        policy = write_policy(self.files)
        later(main.import_action.trigger)
        dialog = yield Wait(modal(ImportPolicyDialog), "出现导入政策文件对话框")
        self.d.shot("导入政策-选择来源")
        later(dialog.open_button.click)
        yield from self.pick_in_file_dialog(policy)
        yield Wait(lambda: dialog.stack.currentIndex() == 1, "政策文件解析完成", 60)
        self.d.shot("导入政策-核对识别结果")
        later(dialog.save_button.click)
        yield Wait(gone(dialog), "导入对话框关闭")
        library = main.page("library")
        doc = library.current_document()
        if doc is None or "托育服务高质量发展" not in doc.title:
            raise StepFailed(f"政策目录没有选中新导入的文件：{doc}")
        self.d.shot("政策目录-新文件")

        self.d.begin("检查人员：生成托育机构消防安全检查清单")
        page = main.show_page("checklists")
        page.selection_panel.check_themes(["托育机构消防安全"])
        page.selection_panel.set_entity_type("childcare_center")
        yield Wait(lambda: page.checklist is not None and page.checklist.items, "清单生成")
        page.tree.expandAll()
        self.d.shot("检查清单-托育机构消防安全")

        self.d.begin("检查人员：新建检查")
        inspections = main.show_page("inspections")
        later(inspections.new_button.click)
        new = yield Wait(modal(NewInspectionDialog), "出现新建检查对话框")
        later(new.new_entity_button.click)
        editor = yield Wait(modal(EntityEditorDialog, "登记被检查单位"), "出现登记单位对话框")
        type_chinese(editor.name_edit, UNIT)
        editor.set_type("childcare_center")
        type_ascii(editor.credit_edit, "52640521MJY1234568")
        type_chinese(editor.address_edit, "中宁县石空镇振兴路18号")
        editor.set_region("640521")
        type_chinese(editor.contact_name_edit, "马丽")
        type_ascii(editor.contact_phone_edit, "0955-3011001")
        for code, value in (("capacity", 60), ("enrolled_children", 27), ("inclusive", True),
                            ("fire_key_unit", False), ("uses_gas", False),
                            ("floor_of_rooms", 2), ("full_day_care", True),
                            ("has_kitchen", True), ("registered_with_health", True)):
            field = editor.fact_fields.get(code)
            if field is not None:
                field.set_value(value)
        self.d.shot("新建检查-登记单位")
        later(editor.save_button.click)
        yield Wait(gone(editor), "登记单位对话框关闭")
        for name, cert in (("马建国", "64052100117"), ("杨晓燕", "64052100123")):
            later(new.new_officer_button.click)
            person = yield Wait(modal(InspectorEditorDialog), "出现添加检查人员对话框")
            type_chinese(person.name_edit, name)
            person.department_combo.setCurrentText("消防救援")
            type_ascii(person.cert_edit, cert)
            later(person.save_button.click)
            yield Wait(gone(person), "添加检查人员对话框关闭")
        new.set_themes(["托育机构消防安全"])
        later(new.generate_button.click)
        yield Wait(lambda: new.checklist is not None and new.checklist.items, "新建检查的清单")
        if len(new.officer_ids()) < 2:
            raise StepFailed(f"新增的检查人员没有勾选：{new.officer_ids()}")
        self.d.shot("新建检查-清单和人员")
        later(new.create_button.click)
        window = yield Wait(lambda: top_level("InspectionWindow"), "检查窗口打开")
        yield Wait(gone(new), "新建检查对话框关闭")
        window.activateWindow()
        self.d.shot("检查窗口-逐项检查")

        yield from self.fill_in(window)
        yield from self.sign(window)
        yield from self.issue(window)
        yield from self.print_record(main, window)
        yield from self.export_from_record(main, window)

    def fill_in(self, window: Any) -> Scenario:
        self.d.begin("检查人员：逐项录入（键盘）")
        form = window.form
        table = form.table
        photo = write_photo(self.files)
        first = form.current_code()
        if first is None:
            raise StepFailed("检查窗口没有当前检查项")
        # the first item fails: 2, then F2 and the note, Esc, F4 and the photo, Enter to go on
        later(lambda: QTest.keyClick(table, Qt.Key.Key_2))
        yield Wait(lambda: form.entry(first).finding.answered, "第一项判定为不符合")
        later(lambda: QTest.keyClick(table, Qt.Key.Key_F2))
        yield Wait(lambda: window.focusWidget() is form.note_edit, "F2 进入说明")
        form.note_edit.insertPlainText("一楼婴幼儿休息室疏散指示标志损坏，应急照明灯不亮。")
        QTest.keyClick(form.note_edit, Qt.Key.Key_Escape)
        yield Wait(lambda: form.entry(first).finding.note, "说明已保存")
        self.d.shot("逐项检查-不符合并写明问题")
        evidence_before = len(window.evidence.evidence())
        later(lambda: QTest.keyClick(table, Qt.Key.Key_F4))
        yield from self.pick_in_file_dialog(photo)
        yield Wait(lambda: len(window.evidence.evidence()) > evidence_before, "照片已保存", 30)
        self.d.shot("逐项检查-照片已添加")
        QTest.keyClick(table, Qt.Key.Key_Return)
        for _ in range(300):
            code = form.current_code()
            if code is None or form.entry(code).finding.answered:
                code = form.next_unanswered()
                if code is None:
                    break
                form.select_code(code)
            entry = form.entry(code)
            answer = entry.item.answer
            if answer.type == "measure" and answer.threshold is not None \
                    and answer.meets(answer.threshold):
                QTest.keyClick(table, Qt.Key.Key_F3)
                if window.focusWidget() is not form.value_edit:
                    raise StepFailed(f"{code}：F3 没有进入实测值")
                QTest.keyClicks(form.value_edit, f"{answer.threshold:g}")
                QTest.keyClick(form.value_edit, Qt.Key.Key_Return)
            else:
                QTest.keyClick(table, Qt.Key.Key_1)
            yield Wait(lambda c=code: form.entry(c).finding.answered, f"{code} 已作答")
        answered, total = form.progress()
        if answered != total:
            raise StepFailed(f"还有未作答的检查项：{answered}/{total}")
        self.d.shot("逐项检查-全部作答")

    def sign(self, window: Any) -> Scenario:
        self.d.begin("检查人员：填写笔录、完成检查、签名")
        tab = window.record_tab
        window.tabs.setCurrentWidget(tab)
        type_chinese(tab.place_edit, "一楼婴幼儿生活用房及厨房", enter=True)
        type_chinese(tab.recorder_edit, "杨晓燕", enter=True)
        type_chinese(tab.party_name_edit, "马丽", enter=True)
        type_chinese(tab.party_position_edit, "园长", enter=True)
        type_ascii(tab.party_phone_edit, "13909551234", enter=True)
        tab.credentials_check.setChecked(True)
        tab.recusal_notice_check.setChecked(True)
        type_chinese(tab.statement_edit, "以上记录属实", enter=True)
        yield Wait(lambda: tab.record.party_name == "马丽", "笔录已保存")
        later(tab.complete_button.click)
        yield Wait(lambda: tab.record.completed_at is not None,
                   "检查已完成")
        self.d.shot("笔录-检查已完成")
        for k, (button, title) in enumerate(((tab.sign_officer_button, "检查人员"),
                                             (tab.sign_officer_button, "检查人员"),
                                             (tab.sign_party_button, "被检查单位"))):
            later(button.click)
            dialog = yield Wait(modal(SignatureDialog), f"出现{title}签名对话框")
            draw_signature(dialog.pad, k)
            if dialog.pad.is_empty():
                raise StepFailed("签名板上画不出笔迹")
            self.d.shot(f"签名-{title}{k + 1}")
            later(dialog.confirm_button.click)
            yield Wait(gone(dialog), "签名对话框关闭")
        yield Wait(lambda: len(tab.record.signatures) == 3, "三个签名已保存")
        later(tab.lock_button.click)
        box = yield message("签名确认")
        self.d.shot("签名确认-确认框")
        press(box, "签名确认并锁定")
        yield Wait(lambda: tab.record.signed_at is not None,
                   "检查已签名锁定")
        self.d.shot("笔录-已签名锁定")

    def issue(self, window: Any) -> Scenario:
        self.d.begin("检查人员：开具整改文书")
        tab = window.record_tab
        later(tab.issue_button.click)
        dialog = yield Wait(modal(IssueNoticesDialog), "出现开具整改文书对话框")
        yield Wait(lambda: dialog.proposals(), "建议开具的文书")
        if not dialog.issued_by_edit.text():
            type_chinese(dialog.issued_by_edit, "马建国、杨晓燕")
        self.d.shot("开具整改文书")
        later(dialog.issue_button.click)
        outcome = yield Wait(lambda: (not dialog.isVisible() and "done")
                             or modal(QMessageBox, "依据未核实到条款")(), "文书开具")
        if isinstance(outcome, QMessageBox):
            self.d.shot("开具整改文书-依据提示")
            press(outcome, "仍然开具")
            yield Wait(gone(dialog), "开具整改文书对话框关闭")
        if not dialog.issued:
            raise StepFailed("没有开具任何文书")
        self.notice_numbers = [n.doc_number for n in dialog.issued]

    def print_record(self, main: Any, window: Any) -> Scenario:
        self.d.begin("检查人员：打印笔录（报告页）")
        later(window.record_tab.print_button.click)
        reports = yield Wait(lambda: main.current_page_key() == "reports"
                             and main.page("reports"), "报告页打开")
        yield Wait(lambda: reports.showing_preview and reports.current_path is not None
                   and reports.current_path.exists(), "笔录预览", 60)
        text = pdf_text(reports.current_path)
        if UNIT not in text:
            raise StepFailed(f"笔录 PDF 中读不到被检查单位“{UNIT}”")
        main.raise_()
        main.activateWindow()
        self.d.shot("报告-现场检查笔录")

    def export_from_record(self, main: Any, window: Any) -> Scenario:
        self.d.begin("检查人员：从检查窗口导出数据包")
        window.raise_()
        later(window.record_tab.export_button.click)
        dialog = yield Wait(modal(ExportDialog), "出现导出数据包对话框")
        target = self.work / "packages" / "检查组一-给检查组二.sypkg"
        target.parent.mkdir(exist_ok=True)
        dialog.file_edit.setText(str(target))
        self.d.shot("导出数据包-本次检查")
        later(dialog.export_button.click)
        yield Wait(gone(dialog), "导出对话框关闭")
        yield from self.info_ok("导出完成", "导出数据包-完成")
        if not target.exists():
            raise StepFailed(f"数据包没有写出：{target}")
        self.package_a1 = target
        window.close()
        yield Wait(gone(window), "检查窗口关闭")

    # --- the second inspector, and A again ------------------------------------------------------

    def import_package(self, lap: Laptop, package: Path, shot: str) -> Scenario:
        main = self.switch_to(lap)
        page = main.show_page("exchange")
        later(page.import_button.click)
        yield from self.pick_in_file_dialog(package)
        preview = yield Wait(modal(ImportPreviewDialog), "出现导入预览", 60)
        if preview.confirm_check.isVisible():
            preview.confirm_check.setChecked(True)
        if preview.trust_check.isVisible():
            preview.trust_check.setChecked(True)
        self.d.shot(f"{shot}-预览")
        later(preview.merge_button.click)
        yield Wait(gone(preview), "导入预览关闭")
        text = yield from self.info_ok("导入完成", f"{shot}-完成")
        return text

    def change_phone(self, lap: Laptop, phone: str, shot: str) -> Scenario:
        main = self.switch_to(lap)
        page = main.show_page("entities")
        page.refresh()
        unit = next((e for e in page.entities() if e.name == UNIT), None)
        if unit is None:
            raise StepFailed(f"被检查单位列表中没有“{UNIT}”")
        page.select_entity(unit.id)
        later(page.edit_button.click)
        editor = yield Wait(modal(EntityEditorDialog, "编辑被检查单位"), "出现编辑单位对话框")
        type_ascii(editor.contact_phone_edit, phone)
        self.d.shot(shot)
        later(editor.save_button.click)
        yield Wait(gone(editor), "编辑单位对话框关闭")

    def export_all(self, lap: Laptop, name: str, shot: str) -> Scenario:
        main = self.switch_to(lap)
        page = main.show_page("exchange")
        later(page.export_button.click)
        dialog = yield Wait(modal(ExportDialog), "出现导出数据包对话框")
        dialog.all_radio.setChecked(True)
        target = self.work / "packages" / name
        dialog.file_edit.setText(str(target))
        self.d.shot(f"{shot}-导出")
        later(dialog.export_button.click)
        yield Wait(gone(dialog), "导出对话框关闭")
        yield from self.info_ok("导出完成", f"{shot}-导出完成")
        if not target.exists():
            raise StepFailed(f"数据包没有写出：{target}")
        return target

    def second_inspector(self, a: Laptop, b: Laptop) -> Scenario:
        self.d.begin("第二名检查人员：导入检查组一的数据包")
        yield from self.import_package(b, self.package_a1, "检查员B-导入")
        self.d.begin("第二名检查人员：修改单位联系电话")
        yield from self.change_phone(b, "0955-3012222", "检查员B-修改联系电话")
        self.d.begin("第二名检查人员：导出数据包")
        self.package_b = yield from self.export_all(b, "检查组二-给督查.sypkg", "检查员B")
        self.d.begin("检查人员：也修改了联系电话，导出给督查")
        yield from self.change_phone(a, "0955-3013333", "检查员A-修改联系电话")
        self.package_a2 = yield from self.export_all(a, "检查组一-给督查.sypkg", "检查员A")

    # --- the supervisor ------------------------------------------------------------------------

    def supervisor(self, s: Laptop) -> Scenario:
        self.d.begin("督查人员：导入检查组一的数据包")
        text = yield from self.import_package(s, self.package_a2, "督查-导入检查组一")
        found = re.search(r"回执已保存：(.+)", text)
        if not found:
            raise StepFailed(f"导入完成的提示中没有回执：{text}")
        self.receipt_for_a = Path(found.group(1).strip())
        self.d.begin("督查人员：导入检查组二的数据包")
        text = yield from self.import_package(s, self.package_b, "督查-导入检查组二")
        if "冲突" not in text:
            raise StepFailed(f"两台电脑改了同一单位的联系电话，却没有冲突：{text}")

        self.d.begin("督查人员：处理冲突")
        main = self.windows[s.name]
        page = main.page("exchange")
        page.tabs.setCurrentIndex(0)
        yield Wait(lambda: page.conflict_model.rowCount() > 0, "冲突列表")
        page.conflict_view.setCurrentIndex(page.conflict_model.index(0, 0))
        self.d.shot("督查-冲突列表")
        later(page.resolve_button.click)
        dialog = yield Wait(modal(ConflictDialog), "出现冲突对话框")
        self.d.shot("督查-冲突对照")
        later(dialog.incoming_button.click)
        yield Wait(gone(dialog), "冲突对话框关闭")
        yield Wait(lambda: page.conflict_model.rowCount() == 0, "冲突已处理")
        self.d.shot("督查-冲突已处理")

        self.d.begin("督查人员：打印督查通报")
        reports = main.show_page("reports")
        reports.select_kind("summary")
        later(reports.generate_button.click)
        yield Wait(lambda: reports.showing_preview and reports.current_path is not None
                   and reports.current_path.exists(), "督查通报预览", 90)
        text = pdf_text(reports.current_path)
        for needle in ("督查通报", "托育机构消防安全", "共开展检查1次"):
            if needle not in text:
                raise StepFailed(f"督查通报 PDF 中读不到“{needle}”")
        self.d.shot("督查-督查通报")

    def receipt(self, a: Laptop) -> Scenario:
        self.d.begin("检查人员：导入回执，查看督查人员已收到的记录")
        assert self.receipt_for_a is not None
        main = self.switch_to(a)
        page = main.show_page("exchange")
        later(page.receipt_button.click)
        yield from self.pick_in_file_dialog(self.receipt_for_a)
        text = yield from self.info_ok("回执", "检查员A-回执")
        if "已收到全部记录" not in text:
            raise StepFailed(f"回执说对方没有收全：{text}")
        page.tabs.setCurrentIndex(2)
        yield Wait(lambda: "已确认收到本机" in page.holdings_label.text(), "对方持有的记录")
        self.d.shot("检查员A-对方已收到")


def scenario(driver: Driver, work: Path) -> Scenario:
    day = Day(driver, work)
    a = new_laptop(work, "检查组一A", "中宁县消防救援大队（检查组一）")
    b = new_laptop(work, "检查组二B", "中宁县消防救援大队（检查组二）")
    s = new_laptop(work, "督查组S", "中宁县人民政府督查室")
    try:
        yield from day.inspector(a)
        yield from day.second_inspector(a, b)
        yield from day.supervisor(s)
        yield from day.receipt(a)
    finally:
        for lap in (a, b, s):
            lap.db.dispose()


def main(argv: list[str]) -> int:
    from gui.app import configure

    work, shots = Path(argv[0]), Path(argv[1])
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    configure(app)
    driver = Driver(app, shots)
    code = driver.run(scenario(driver, work))
    (shots / "taken.txt").write_text("\n".join(driver.taken) + "\n", encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
