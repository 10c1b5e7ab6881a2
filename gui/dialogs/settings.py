"""设置, on three tabs: 本单位 (the jurisdiction 行政区划, the organisation's name, its 机关代字,
department and contact), 录入与报告 (whether a judgement moves on to the next unanswered item;
the font the PDF reports embed: found automatically, or a TrueType file the user picks) and
数据与备份 (where the database is, this computer's key fingerprint, the backups)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import NATIONAL, load_regions
from gui import format as fmt
from gui import messages, preferences
from gui.workers import Task
from models.db import Database, DatabaseError
from reports.fonts import SETTING_KEY as REPORT_FONT
from reports.fonts import ReportFont, find_font, try_font, windows_font_dir
from services.backups import (
    BackupCheck,
    BackupInfo,
    RestoreResult,
    list_backups,
    restore_backup,
    take_backup,
    verify_backup,
)
from services.failures import describe_failure
from services.integrity import (
    CHECK_EVERY,
    IntegrityCheck,
    check_database,
    last_check,
    record_check,
)
from services.settings import (
    COMPUTER_NAME_MAX,
    JURISDICTION,
    ORG_CODE,
    ORG_CONTACT,
    ORG_DEPARTMENT,
    ORGANISATION,
    computer_name,
    get_setting,
    set_computer_name,
    set_setting,
)

_CODE = Qt.ItemDataRole.UserRole + 20
ORG_CODE_MAX = 10
CONTACT_MAX = 60


SAVED = "saved"
RESTORED = "restored"


class SettingsDialog(QDialog):
    @staticmethod
    def _fingerprint() -> str:
        from sync.keys import SigningKeyError, load_or_create, show_fingerprint

        try:
            return show_fingerprint(load_or_create().fingerprint)
        except SigningKeyError as exc:
            return str(exc)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("设置")
        self.resize(620, 560)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("输入地名筛选，如 中宁、宝鸡")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.region_tree = QTreeWidget()
        self.region_tree.setHeaderLabels(["行政区划", "代码"])
        self.region_tree.setColumnWidth(0, 330)
        self.region_tree.setUniformRowHeights(True)
        self.region_tree.currentItemChanged.connect(self._region_changed)
        self._fill_regions()
        self.region_label = QLabel()
        self.region_label.setObjectName("pageSubtitle")
        self.region_label.setWordWrap(True)

        self.organisation_edit = QLineEdit()
        self.organisation_edit.setPlaceholderText("如 中宁县卫生健康局")
        self.org_code_edit = QLineEdit()
        self.org_code_edit.setPlaceholderText("如 中宁卫（用于文书编号：中宁卫责改〔2026〕第12号）")
        self.org_code_edit.setMaxLength(ORG_CODE_MAX)
        self.contact_edit = QLineEdit()  # 联系人及电话 printed on the documents issued here
        self.contact_edit.setPlaceholderText("如 人口监测与家庭发展科　王敏　0955-7012345")
        self.contact_edit.setMaxLength(CONTACT_MAX)
        self.department_combo = QComboBox()  # 本机关部门类别: which findings are ours to order
        self.department_combo.addItem("（按机关名称判断）", None)
        from checklists.departments import department_kinds
        for kind in department_kinds():
            self.department_combo.addItem(kind.label, kind.label)

        self.font_choice: str | None = None  # the report_font value 保存 will store
        self.font_label = QLabel()
        self.font_label.setWordWrap(True)
        self.font_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.font_choose_button = QPushButton("选择…")
        self.font_choose_button.setToolTip("选择一个 TrueType 中文字体文件（.ttf 或 .ttc）")
        self.font_auto_button = QPushButton("恢复自动")
        self.font_auto_button.setToolTip(
            "不指定字体，按 Windows 宋体/黑体/微软雅黑、文泉驿微米黑的顺序查找")
        self.font_choose_button.clicked.connect(self._choose_font)
        self.font_auto_button.clicked.connect(self.reset_font)
        self.font_notice = QLabel()
        self.font_notice.setObjectName("warningText")
        self.font_notice.setWordWrap(True)
        self.font_notice.hide()

        self.button_box = QDialogButtonBox()
        self.ok_button: QPushButton = self.button_box.addButton(
            "保存", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button: QPushButton = self.button_box.addButton(
            "取消", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.ok_button.setDefault(True)
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)

        self.auto_advance_check = QCheckBox("判定后自动跳到下一未答项")
        self.auto_advance_check.setToolTip(
            "逐项检查时按 1–4 判定后，光标移到下一个尚未作答的检查项；判定为不符合且须补充"
            "说明或照片时，光标先停在说明处。")

        self.tabs = QTabWidget()
        self.tabs.addTab(self._unit_tab(), "本单位")
        self.tabs.addTab(self._entry_tab(), "录入与报告")
        self.tabs.addTab(self._data_tab(), "数据与备份")
        box = QVBoxLayout(self)
        box.addWidget(self.tabs, 1)
        box.addWidget(self.button_box)
        self._load()

    def _unit_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(_caption("本单位辖区"))
        box.addWidget(QLabel("政策目录默认显示适用于本辖区的文件（含上级和下辖地区的文件）。"))
        box.addWidget(self.filter_edit)
        box.addWidget(self.region_tree, 1)
        box.addWidget(self.region_label)
        box.addSpacing(8)
        form = QFormLayout()
        form.addRow("机关名称", self.organisation_edit)
        form.addRow("机关代字", self.org_code_edit)
        form.addRow("本机关部门类别", self.department_combo)
        form.addRow("联系人及电话", self.contact_edit)
        box.addLayout(form)
        return page

    def _entry_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(_caption("逐项检查"))
        box.addWidget(self.auto_advance_check)
        box.addSpacing(12)
        box.addWidget(_caption("报告字体"))
        box.addWidget(QLabel("PDF 报告嵌入的中文字体。"))
        box.addWidget(self.font_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.font_choose_button)
        buttons.addWidget(self.font_auto_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(self.font_notice)
        box.addStretch(1)
        return page

    def _data_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        on_server = self._db.path is None
        box.addWidget(_caption("数据库"))
        self.database_path_edit = QLineEdit(self._db.location)
        self.database_path_edit.setReadOnly(True)
        self.database_path_edit.setToolTip(
            "服务器上的数据库：连接这个数据库的各台电脑看到同样的检查记录" if on_server else
            "本程序的全部检查记录保存在这个文件中")
        self.open_folder_button = QPushButton("打开所在文件夹")
        self.open_folder_button.setToolTip(
            "打开照片、签名和附件所在的文件夹" if on_server else "打开数据库文件所在的文件夹")
        self.open_folder_button.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        row.addWidget(self.database_path_edit, 1)
        if not on_server:
            row.addWidget(self.open_folder_button)
        box.addLayout(row)
        #: On a server: the folder of the photos, signatures and attachments (on a laptop they
        #: lie beside the database file, so the file's folder says it all).
        self.evidence_edit: QLineEdit | None = None
        if on_server:
            box.addWidget(QLabel("照片、签名和附件不在数据库中，保存在这个文件夹："))
            self.evidence_edit = QLineEdit(str(self._db.evidence_root))
            self.evidence_edit.setReadOnly(True)
            self.evidence_edit.setToolTip(
                "用 --evidence 或环境变量 SHENGYU_EVIDENCE_DIR 指定；连接同一数据库的各台电脑"
                "应使用同一个共享文件夹")
            row = QHBoxLayout()
            row.addWidget(self.evidence_edit, 1)
            row.addWidget(self.open_folder_button)
            box.addLayout(row)
        self.integrity_button = QPushButton("检查数据库完整性")
        self.integrity_button.setToolTip(
            "读取整个数据库文件，检查其中是否有损坏。数据库很大时需要一些时间，可以随时取消。")
        self.integrity_button.clicked.connect(self.check_integrity)
        self.integrity_label = QLabel()
        self.integrity_label.setObjectName("pageSubtitle")
        self.integrity_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.integrity_button)
        row.addWidget(self.integrity_label, 1)
        box.addLayout(row)
        #: The result of the last 检查数据库完整性 (None until one has finished).
        self.integrity: IntegrityCheck | None = None
        if on_server:  # the check reads a SQLite file; the server looks after its own pages
            self.integrity_button.setEnabled(False)
            self.integrity_button.hide()
            self.integrity_label.hide()
        else:
            self._show_last_check()
        box.addSpacing(12)
        self.fingerprint_label = QLabel(self._fingerprint())
        self.fingerprint_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setToolTip(
            "本机签名密钥的指纹。对方信任本机之前，请与对方逐组核对这串字符。")
        self.computer_name_edit = QLineEdit()
        self.computer_name_edit.setPlaceholderText(
            f"如“张三的笔记本”；不填则用计算机名 {socket.gethostname()}")
        self.computer_name_edit.setMaxLength(COMPUTER_NAME_MAX)
        self.computer_name_edit.setToolTip(
            "交换数据时对方看到的本机名称，如“张三的笔记本”；显示为“机关名称（本机名称）”。"
            "不填则用计算机名。")
        form = QFormLayout()
        form.addRow("本机名称", self.computer_name_edit)
        form.addRow("本机指纹", self.fingerprint_label)
        box.addLayout(form)
        box.addSpacing(12)
        box.addWidget(_caption("备份"))
        self.backup_note = QLabel(
            server_backup_note(self._db.evidence_root) if on_server else
            "升级数据库、导入数据包和恢复备份之前，程序会自动备份；升级前的备份不会被"
            "轮换删除。恢复备份前，当前数据库也会先备份。")
        self.backup_note.setWordWrap(True)
        self.backup_note.setObjectName("pageSubtitle")
        self.backup_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.backup_note)
        self.backup_table = QTableWidget(0, 5)
        self.backup_table.setHorizontalHeaderLabels(["时间", "类型", "结构版本", "大小", "说明"])
        self.backup_table.verticalHeader().setVisible(False)
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((150, 70, 110, 80)):
            self.backup_table.setColumnWidth(col, width)
        box.addWidget(self.backup_table, 1)
        self.backup_button = QPushButton("立即备份")
        self.verify_button = QPushButton("校验所选")
        self.restore_button = QPushButton("恢复所选…")
        self.backup_button.clicked.connect(self.take_backup)
        self.verify_button.clicked.connect(self.verify_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_table.itemSelectionChanged.connect(self._backup_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.restore_button)
        box.addLayout(buttons)
        self.backups: list[BackupInfo] = []
        self.last_backup: BackupInfo | None = None  # the one 立即备份 made last
        self.restored: RestoreResult | None = None  # set once a restore replaced the database
        #: Called before a restore; False stops it (the main window closes its other windows).
        self.before_restore: Callable[[], bool] | None = None
        if on_server:  # backed up by its administrator with pg_dump, not by this program
            for widget in (self.backup_table, self.backup_button, self.verify_button,
                           self.restore_button):
                widget.setEnabled(False)
                widget.hide()
            box.addStretch(1)
        else:
            self._fill_backups()
        return page

    # --- backups ------------------------------------------------------------------------

    def _fill_backups(self) -> None:
        try:
            self.backups = ([] if self._db.path is None else
                            list_backups(self._db.path, self._db.backup_dir))
        except OSError:
            self.backups = []
        table = self.backup_table
        table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            when = f"{b.taken_at:%Y-%m-%d %H:%M}" if b.taken_at else b.name
            cells = (when, b.kind_label, b.schema_version or "—", _size(b.size_bytes),
                     "升级前的最新备份，不会被轮换删除" if b.protected else "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                table.setItem(row, col, item)
        self._backup_selected()

    def selected_backup(self) -> BackupInfo | None:
        rows = self.backup_table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def select_backup(self, path: Path) -> bool:
        for row, b in enumerate(self.backups):
            if b.path == Path(path):
                self.backup_table.selectRow(row)
                return True
        return False

    def _backup_selected(self) -> None:
        chosen = self.selected_backup() is not None
        on_file = self._db.path is not None
        self.verify_button.setEnabled(chosen and on_file)
        self.restore_button.setEnabled(chosen and on_file and not self._db.read_only)
        self.backup_button.setEnabled(on_file and not self._db.read_only)

    def take_backup(self) -> Task | None:
        """Copy the database into the backups on a worker thread, behind a progress dialog;
        ``last_backup`` holds the result once the task has finished. None on a server, whose
        database is backed up by its administrator."""
        from gui.workers import run_task

        path, folder = self._db.path, self._db.backup_dir
        if path is None:
            return None
        self.backup_button.setEnabled(False)

        def done(made: BackupInfo) -> None:
            self.last_backup = made
            self._fill_backups()
            self.select_backup(made.path)
            messages.info(self, f"已备份到：\n{made.path}", title="备份完成")

        def failed(exc: BaseException) -> None:
            self._backup_selected()
            messages.error(self, describe_failure(exc, path), title="未能备份")

        return run_task(lambda _progress, _cancelled: take_backup(path, folder), parent=self,
                        label="正在备份数据库…", title="备份", cancellable=False,
                        on_success=done, on_failure=failed)

    # --- integrity ----------------------------------------------------------------------

    def check_integrity(self) -> Task | None:
        """Read the whole database on a worker thread, behind a progress dialog that can cancel
        it, and say what was found; ``integrity`` holds the result once it has finished. None
        on a server: there is no database file to read."""
        from gui.workers import run_task

        path = self._db.path
        if path is None:
            return None
        self.integrity_button.setEnabled(False)

        def done(check: IntegrityCheck) -> None:
            self.integrity = check
            self.integrity_button.setEnabled(True)
            if check.ok:
                self._remember(check)
                messages.info(self, check.message(), title="检查数据库完整性")
            else:
                self.integrity_label.setText("上次检查发现问题，请从备份恢复。")
                messages.warning(self, check.message(), title="检查数据库完整性")

        def failed(exc: BaseException) -> None:
            self.integrity_button.setEnabled(True)
            messages.error(self, describe_failure(exc, path), title="未能检查数据库")

        def cancelled() -> None:
            self.integrity_button.setEnabled(True)
            self.integrity_label.setText("已取消检查，数据库没有改动。")

        return run_task(lambda progress, stop: check_database(path, progress, stop),
                        parent=self, label="正在检查数据库完整性（读取整个数据库文件）…",
                        title="检查数据库完整性", on_success=done, on_failure=failed,
                        on_cancel=cancelled)

    def _remember(self, check: IntegrityCheck) -> None:
        """Store when the file was last found sound (not possible in a read-only database)."""
        if not self._db.read_only:
            try:
                with self._db.session() as session:
                    record_check(session, check)
            except DatabaseError:
                pass  # only the date of the check is lost: the window checks again sooner
        self._show_last_check(check.checked_at)

    def _show_last_check(self, when: datetime | None = None) -> None:
        if when is None:
            try:
                with self._db.session() as session:
                    when = last_check(session)
            except DatabaseError:
                when = None
        self.integrity_label.setText(
            f"上次检查通过：{fmt.local_time(when)}" if when is not None else
            f"尚未检查。程序每 {CHECK_EVERY.days} 天在后台检查一次；上次没有正常关闭时，"
            "打开前先检查；备份、导入和导出前也会检查。")

    def verify_selected(self) -> BackupCheck | None:
        chosen = self.selected_backup()
        if chosen is None or self._db.path is None:
            return None
        check = verify_backup(chosen.path)
        if check.ok:
            messages.info(self, f"备份 {chosen.name} 完好，可以恢复。", title="校验备份")
        else:
            messages.warning(self, f"备份 {chosen.name} 有问题：{check.problem}",
                             title="校验备份")
        return check

    def restore_selected(self) -> Task | None:
        """Put the chosen backup in place of the database, after a confirmation; the current
        database is backed up first, and the copying runs on a worker thread behind a progress
        dialog. ``restored`` is set once it has worked; the main window then reloads
        everything. None when nothing was started (no choice, not confirmed, refused)."""
        from gui.workers import run_task

        chosen = self.selected_backup()
        if chosen is None or self._db.path is None:
            return None
        when = f"{chosen.taken_at:%Y-%m-%d %H:%M}" if chosen.taken_at else chosen.name
        if not messages.confirm(
                self, f"用 {when} 的{chosen.kind_label}备份替换当前数据库？\n\n"
                "此后录入的检查、整改记录将不在恢复后的数据库中；当前数据库会先另行备份，"
                "需要时可再恢复回来。", ok="恢复"):
            return None
        if self.before_restore is not None and not self.before_restore():
            return None
        # Our own connections closed, so that the file can be replaced; the database stays
        # open in this window (and marked so).
        self._db.engine.dispose()
        path, folder = self._db.path, self._db.backup_dir
        assert path is not None

        def done(result: RestoreResult) -> None:
            self.restored = result
            self._fill_backups()
            kept = (f"\n恢复前的数据库已备份为：{result.previous.path.name}"
                    if result.previous else "")
            messages.info(self, f"已恢复 {when} 的备份。{kept}", title="恢复完成")
            self.reject()  # the values on screen belong to the database that was replaced

        def failed(exc: BaseException) -> None:
            messages.error(self, describe_failure(exc, path), title="未能恢复")

        return run_task(lambda _p, _c: restore_backup(path, chosen.path, folder), parent=self,
                        label="正在恢复备份…", title="恢复备份", cancellable=False,
                        on_success=done, on_failure=failed)

    def folder(self) -> Path:
        """What 打开所在文件夹 opens: the database file's folder, or on a server the folder of
        the photos, signatures and attachments."""
        return self._db.path.parent if self._db.path is not None else self._db.evidence_root

    def open_folder(self) -> bool:
        """Show :meth:`folder` in the file manager (a server's evidence folder is made first,
        as the first photo would make it); say why when it cannot be."""
        from gui.desktop import open_folder

        return open_folder(self, self.folder())

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database, *,
            before_restore: Callable[[], bool] | None = None) -> str | None:
        """Show the dialog: SAVED when the user saved, RESTORED when a backup replaced the
        database (nothing else is saved then), None when the dialog was closed."""
        dialog = cls(db, parent)
        dialog.before_restore = before_restore
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            return RESTORED if dialog.restored is not None else SAVED if accepted else None
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    def select_region(self, code: str | None) -> bool:
        item = self._item(code or NATIONAL)
        if item is not None:
            self.region_tree.setCurrentItem(item)
            self.region_tree.scrollToItem(item)
        return item is not None

    def selected_region(self) -> str | None:
        item = self.region_tree.currentItem()
        code = item.data(0, _CODE) if item is not None else None
        return None if code in (None, NATIONAL) else str(code)

    def save(self) -> None:
        org_code = self.org_code_edit.text().strip()
        if org_code and not all("\u4e00" <= ch <= "\u9fff" for ch in org_code):
            messages.warning(self, "机关代字应为汉字，如“中宁卫”。", title="机关代字有误")
            return
        try:
            with self._db.session() as session:
                set_setting(session, JURISDICTION, self.selected_region())
                set_setting(session, ORGANISATION,
                            self.organisation_edit.text().strip() or None)
                set_setting(session, ORG_CODE, org_code or None)
                set_setting(session, ORG_DEPARTMENT, self.department_combo.currentData())
                set_setting(session, ORG_CONTACT, self.contact_edit.text().strip() or None)
                set_computer_name(session, self.computer_name_edit.text())
                set_setting(session, REPORT_FONT, self.font_choice)
        except (ValueError, DatabaseError) as exc:  # what was typed stays in the dialog
            messages.warning(self, describe_failure(exc, self._db.path), title="未能保存设置")
            return
        preferences.set_auto_advance(self.auto_advance_check.isChecked())
        self.accept()

    def set_font_file(self, path: str, face: int = 0) -> bool:
        """Take ``path`` as the report font if ReportLab can embed its Chinese; else say why."""
        _name, reason = try_font(Path(path), face)
        if reason is not None:
            messages.warning(self, f"“{Path(path).name}”不能用作报告字体：{reason}。"
                             "请选择 TrueType 中文字体（.ttf 或 .ttc），如宋体 simsun.ttc、"
                             "黑体 simhei.ttf 或文泉驿微米黑 wqy-microhei.ttc。",
                             title="字体不可用")
            return False
        plain = face == 0 and not path.rpartition("#")[2].isdigit()
        self.font_choice = path if plain else f"{path}#{face}"
        self._show_font()
        return True

    def reset_font(self) -> None:
        """Forget the chosen file: reports find a font on their own again."""
        self.font_choice = None
        self._show_font()

    def choose_font_file(self) -> str | None:
        """Ask for a font file (a seam the tests replace); None when the user cancels."""
        start = windows_font_dir()
        if not start.is_dir():
            start = Path("/usr/share/fonts") if Path("/usr/share/fonts").is_dir() else Path.home()
        path, _ = QFileDialog.getOpenFileName(self, "选择报告字体", str(start),
                                              "TrueType 字体 (*.ttf *.ttc);;所有文件 (*)")
        return path or None

    # --- internals --------------------------------------------------------------------------

    def _load(self) -> None:
        with self._db.session() as session:
            code = get_setting(session, JURISDICTION)
            self.organisation_edit.setText(get_setting(session, ORGANISATION) or "")
            self.org_code_edit.setText(get_setting(session, ORG_CODE) or "")
            self.contact_edit.setText(get_setting(session, ORG_CONTACT) or "")
            self.computer_name_edit.setText(computer_name(session) or "")
            from services.issuing_body import own_department
            own = own_department(session)
            self.department_combo.setCurrentIndex(max(0, self.department_combo.findData(own)))
            font = get_setting(session, REPORT_FONT)
        self.font_choice = font if isinstance(font, str) and font else None
        self.auto_advance_check.setChecked(preferences.auto_advance())
        self.select_region(code)
        self._show_font()

    def _choose_font(self) -> None:
        path = self.choose_font_file()
        if path:
            self.set_font_file(path)

    def _show_font(self) -> None:
        font = find_font(self.font_choice)
        origin = "已选择" if self.font_choice and font.embedded and not font.warning else "自动查找"
        if font.embedded:
            self.font_label.setText(f"{_family(font)}（{origin}）\n{font.body_path}")
        else:
            self.font_label.setText(f"{font.description}（{origin}）")
        self.font_notice.setText(font.warning or "")
        self.font_notice.setVisible(bool(font.warning))

    def _fill_regions(self) -> None:
        regions = load_regions()
        items: dict[str, QTreeWidgetItem] = {}
        for region in regions:
            name = "全国（不限辖区）" if region.code == NATIONAL else region.name
            item = QTreeWidgetItem([name, "" if region.code == NATIONAL else region.code])
            item.setData(0, _CODE, region.code)
            items[region.code] = item
        for region in regions:
            parent = items.get(region.parent or "")
            if parent is None:
                self.region_tree.addTopLevelItem(items[region.code])
            else:
                parent.addChild(items[region.code])
        national = items.get(NATIONAL)
        if national is not None:
            national.setExpanded(True)

    def _item(self, code: str) -> QTreeWidgetItem | None:
        it = QTreeWidgetItemIterator(self.region_tree)
        while it.value() is not None:
            item = it.value()
            if item.data(0, _CODE) == code:
                return item
            it += 1
        return None

    def _filter(self, text: str) -> None:
        text = text.strip()
        it = QTreeWidgetItemIterator(self.region_tree)
        while it.value() is not None:
            item = it.value()
            item.setHidden(bool(text))
            it += 1
        if not text:
            return
        it = QTreeWidgetItemIterator(self.region_tree)
        while it.value() is not None:
            item = it.value()
            if text in item.text(0) or text in item.text(1):
                node: QTreeWidgetItem | None = item
                while node is not None:
                    node.setHidden(False)
                    node.setExpanded(True)
                    node = node.parent()
            it += 1

    def _region_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        code = self.selected_region()
        self.region_label.setText(
            f"已选：{fmt.region_path(code)}"
            if code
            else "已选：全国（不限辖区，政策目录显示全部文件）"
        )


def server_backup_note(evidence: Path) -> str:
    """What 数据与备份 says on a server database, where this program takes no backups."""
    return ("这个数据库在 PostgreSQL 服务器上，由数据库管理员用 pg_dump 定期备份、用 pg_restore "
            "恢复（见程序说明 docs/postgresql.md），本程序不备份、不恢复它，也不检查它的完整性。"
            f"照片、签名和附件保存在 {evidence}，不在数据库中，须与数据库一同备份。")


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionCaption")
    return label


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _family(font: ReportFont) -> str:
    """The family name inside the font file (e.g. WenQuanYi Micro Hei), else the file name."""
    from reportlab.pdfbase import pdfmetrics

    try:
        family = pdfmetrics.getFont(font.body).face.familyName
    except (KeyError, AttributeError):
        family = None
    if isinstance(family, bytes):
        family = family.decode("utf-8", "replace")
    return str(family) if family else font.description
