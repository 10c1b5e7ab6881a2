"""导出数据包: what goes in (what changed since the last package to a recipient, a selection,
or everything), whether drafts go, a password for packages that leave the office, parts of a
size a chat app accepts, and where the file goes. The export runs on a worker thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import NATIONAL, load_regions
from gui import messages
from gui.widgets.region_combo import searchable_regions
from sync.export import ExportSelection

NO_DATE = QDate(2000, 1, 1)


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("不限")
    edit.setDate(NO_DATE)
    return edit


class ExportDialog(QDialog):
    def __init__(self, *, recipients: list[str], themes: list[str], default_folder: Path,
                 default_name: str, inspection: tuple[int, str, bool] | None = None,
                 parent: QWidget | None = None) -> None:
        """``inspection``: (id, label, is a draft) offers "just this inspection", chosen."""
        super().__init__(parent)
        self._inspection = inspection
        self.setWindowTitle("导出数据包")
        self.resize(620, 0)

        self.since_radio = QRadioButton("上次交给该接收方之后新增和修改的记录")
        self.selection_radio = QRadioButton("按条件选择的检查记录")
        self.all_radio = QRadioButton("本机全部记录")
        self.mode = QButtonGroup(self)
        self.inspection_radio = QRadioButton(
            f"仅这次检查：{inspection[1]}" if inspection is not None else "", self)
        self.inspection_radio.setVisible(inspection is not None)
        for i, radio in enumerate((self.since_radio, self.selection_radio, self.all_radio,
                                   self.inspection_radio)):
            self.mode.addButton(radio, i)
        (self.inspection_radio if inspection is not None else self.since_radio).setChecked(True)
        self.recipient_combo = QComboBox()
        self.recipient_combo.setEditable(True)
        self.recipient_combo.addItems(recipients)
        self.recipient_combo.setCurrentText(recipients[0] if recipients else "")
        self.recipient_combo.lineEdit().setPlaceholderText("如：中卫市卫生健康委员会")
        self.from_edit, self.to_edit = _date_edit(), _date_edit()
        self.theme_combo = QComboBox()
        self.theme_combo.addItem("全部主题", None)
        for name in themes:
            self.theme_combo.addItem(name, name)
        self.region_combo = QComboBox()
        self.region_combo.addItem("全部地区", None)
        for region in load_regions():
            if region.code != NATIONAL:
                self.region_combo.addItem(region.name, region.code)
        searchable_regions(self.region_combo)  # the country's regions: typed into
        self.drafts_check = QCheckBox("同时导出尚未完成的草稿")
        self.drafts_check.setToolTip("默认只导出已完成和已签名的检查记录")
        if inspection is not None and inspection[2]:
            self.drafts_check.setChecked(True)  # the draft asked for goes, said so

        self.encrypt_check = QCheckBox("用密码加密（数据包要离开本单位时使用）")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("密码")
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setPlaceholderText("再输入一次")
        self.split_check = QCheckBox("按大小分卷（聊天软件限制文件大小时使用）")
        self.split_spin = QDoubleSpinBox()
        self.split_spin.setRange(0.1, 4000)
        self.split_spin.setDecimals(1)
        self.split_spin.setValue(20)
        self.split_spin.setSuffix(" MB")
        self.file_edit = QLineEdit(str(default_folder / default_name))
        self.browse_button = QPushButton("浏览…")
        self.browse_button.clicked.connect(self._browse)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("导出",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("primaryButton")
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        what = QGroupBox("导出哪些记录")
        form = QFormLayout(what)
        if inspection is not None:
            form.addRow(self.inspection_radio)
        form.addRow(self.since_radio)
        form.addRow("　　接收方：", self.recipient_combo)
        form.addRow(self.selection_radio)
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("至"))
        dates.addWidget(self.to_edit)
        form.addRow("　　检查日期：", dates)
        form.addRow("　　检查主题：", self.theme_combo)
        form.addRow("　　地区：", self.region_combo)
        form.addRow(self.all_radio)
        form.addRow(self.drafts_check)
        how = QGroupBox("文件")
        how_form = QFormLayout(how)
        how_form.addRow(self.encrypt_check)
        passwords = QHBoxLayout()
        passwords.addWidget(self.password_edit)
        passwords.addWidget(self.confirm_edit)
        how_form.addRow("　　密码：", passwords)
        split = QHBoxLayout()
        split.addWidget(self.split_check)
        split.addWidget(self.split_spin)
        split.addStretch(1)
        how_form.addRow(split)
        target = QHBoxLayout()
        target.addWidget(self.file_edit, 1)
        target.addWidget(self.browse_button)
        how_form.addRow("保存到：", target)
        note = QLabel("数据包由本机签名，对方可核对来源并发现任何改动。"
                      "演示数据不会导出到正式数据包。")
        note.setWordWrap(True)
        note.setObjectName("pageSubtitle")
        box = QVBoxLayout(self)
        box.addWidget(what)
        box.addWidget(how)
        box.addWidget(note)
        box.addWidget(self.buttons)
        self.mode.idToggled.connect(self._update)
        self.encrypt_check.toggled.connect(self._update)
        self.split_check.toggled.connect(self._update)
        self._update()

    @classmethod
    def ask(cls, parent: QWidget | None, **kwargs: object
            ) -> tuple[ExportSelection, Path, str | None, int | None] | None:
        """(selection, file, password or None, part size in bytes or None), or None."""
        dialog = cls(parent=parent, **kwargs)  # type: ignore[arg-type]
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.result_values()
        finally:
            dialog.deleteLater()

    def selection(self) -> ExportSelection:
        drafts = self.drafts_check.isChecked()
        if self.inspection_radio.isChecked() and self._inspection is not None:
            return ExportSelection(inspection_ids=(self._inspection[0],), include_drafts=drafts)
        if self.since_radio.isChecked():
            return ExportSelection(since_last_to=self.recipient_combo.currentText().strip(),
                                   include_drafts=drafts)
        if self.selection_radio.isChecked():
            return ExportSelection(date_from=_date(self.from_edit), date_to=_date(self.to_edit),
                                   theme=self.theme_combo.currentData(),
                                   region=self.region_combo.currentData(),
                                   include_drafts=drafts)
        return ExportSelection(include_drafts=drafts)

    def result_values(self) -> tuple[ExportSelection, Path, str | None, int | None]:
        password = self.password_edit.text() if self.encrypt_check.isChecked() else None
        split = (int(self.split_spin.value() * 1024 * 1024) if self.split_check.isChecked()
                 else None)
        return self.selection(), Path(self.file_edit.text().strip()), password, split

    def problem(self) -> str | None:
        """What keeps the export from starting, in Chinese, or None."""
        if self.since_radio.isChecked() and not self.recipient_combo.currentText().strip():
            return "请填写接收方（如：中卫市卫生健康委员会），以便下次只导出新增和修改的记录。"
        selection = self.selection()
        if (self.selection_radio.isChecked() and not selection.filtered):
            return "请至少选择一个条件（日期、主题或地区），或选择“本机全部记录”。"
        if (selection.date_from and selection.date_to
                and selection.date_from > selection.date_to):
            return "开始日期晚于结束日期。"
        if self.encrypt_check.isChecked():
            if len(self.password_edit.text()) < 6:
                return "密码至少 6 位。"
            if self.password_edit.text() != self.confirm_edit.text():
                return "两次输入的密码不一致。"
        if not self.file_edit.text().strip():
            return "请选择保存位置。"
        return None

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            messages.warning(self, problem, title="还不能导出")
            return
        self.accept()

    def _update(self, *_args: object) -> None:
        self.recipient_combo.setEnabled(self.since_radio.isChecked())
        for w in (self.from_edit, self.to_edit, self.theme_combo, self.region_combo):
            w.setEnabled(self.selection_radio.isChecked())
        for w in (self.password_edit, self.confirm_edit):
            w.setEnabled(self.encrypt_check.isChecked())
        self.split_spin.setEnabled(self.split_check.isChecked())

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "保存数据包", self.file_edit.text(),
                                              "数据包 (*.sypkg)")
        if name:
            self.file_edit.setText(name if name.endswith(".sypkg") else name + ".sypkg")


def _date(edit: QDateEdit) -> date | None:
    value = edit.date()
    return None if value == NO_DATE else value.toPython()  # type: ignore[no-any-return]
