"""数据交换: the supervisor's desk and the inspector's outbox.

Export a package, import one (checked, previewed, then merged with a backup first), import a
receipt; below, the conflicts waiting for a person, the packages received, the packages sent
with what their receipts say, and the devices with their trust. Long work runs on a worker
thread with a progress dialog that can be cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import messages
from gui.context import PageContext
from gui.dialogs.conflict import ConflictDialog
from gui.dialogs.export_package import ExportDialog
from gui.dialogs.import_preview import ImportPreviewDialog
from gui.file_dialogs import PACKAGES, remember, start_dir
from gui.models.base import ROW_ROLE
from gui.models.exchange import (
    ConflictTableModel,
    DeviceTableModel,
    ExportTableModel,
    ImportTableModel,
)
from gui.workers import IsCancelled, Progress, run_task
from rules.china_time import beijing_date
from rules.china_time import today as china_today
from rules.inspection_status import DRAFT
from sync.conflicts import count_conflicts, list_conflicts
from sync.devices import DeviceError, list_devices, revoke_device, trust_device
from sync.export import ExportResult, device_name, export_package
from sync.format import PackageError
from sync.history import export_history, import_history, import_record, recipients
from sync.importer import ImportReport, NeedsPassword, import_package
from sync.keys import DeviceKey, SigningKeyError, load_or_create, show_fingerprint
from sync.merge import CONFLICT, DELETED, NEW, UPDATED
from sync.parts import package_groups
from sync.receipts import holdings, import_receipt

PACKAGE_FILTER = "数据包 (*.sypkg);;所有文件 (*)"
MERGED_OUTCOME = "已合并"


def _names(paths: list[Path]) -> str:
    return "、".join(p.name for p in paths)
RECEIPT_FILTER = "回执 (*.syrcpt);;所有文件 (*)"


def _table(model: Any, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class ExchangePage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._waiting: list[list[Path]] = []  # packages chosen together, still to import
        self._outcomes: list[tuple[str, str]] = []  # of those: each one's files and fate
        self._key_problem = ""
        try:
            self._key: DeviceKey | None = load_or_create()
        except SigningKeyError as exc:  # e.g. a read-only user folder: the lists still show
            self._key, self._key_problem = None, str(exc)
        self.title_label = QLabel("数据交换")
        self.title_label.setObjectName("pageTitle")
        self.device_label = QLabel()
        self.device_label.setObjectName("pageSubtitle")
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("导出数据包…")
        self.export_button.setObjectName("primaryButton")
        self.export_button.setToolTip("把本机的检查记录、整改文书和照片导出为一个数据包文件")
        self.export_button.clicked.connect(lambda: self.export())  # not clicked(checked)
        self.import_button = QPushButton("导入数据包…")
        self.import_button.setObjectName("primaryButton")
        self.import_button.setToolTip(
            "校验并预览数据包，确认后合并到本机（合并前自动备份）" if ctx.db.is_sqlite else
            "校验并预览数据包，确认后合并到服务器上的数据库（由数据库管理员用 pg_dump 备份）")
        self.import_button.clicked.connect(lambda: self.import_files())
        self.receipt_button = QPushButton("导入回执…")
        self.receipt_button.setToolTip("导入对方合并本机数据包后生成的回执，核对对方是否收全")
        self.receipt_button.clicked.connect(lambda: self.import_receipt_file())

        self.conflict_model = ConflictTableModel(parent=self)
        self.import_model = ImportTableModel(parent=self)
        self.export_model = ExportTableModel(parent=self)
        self.device_model = DeviceTableModel(parent=self)
        self.conflict_view = _table(self.conflict_model, 3)
        self.conflict_view.activated.connect(lambda _i: self.resolve_current())
        self.import_view = _table(self.import_model, 3)
        self.import_view.activated.connect(lambda _i: self.show_current_import())
        self.export_view = _table(self.export_model, 2)
        self.device_view = _table(self.device_model, 0)
        self.resolve_button = QPushButton("处理所选冲突…")
        self.resolve_button.clicked.connect(self.resolve_current)
        self.resolved_check = QCheckBox("显示已解决的冲突")
        self.resolved_check.setToolTip("查看当时的决定；本机作出的决定如有错，可以重新处理")
        self.resolved_check.toggled.connect(lambda _on: self.refresh())
        self.import_detail_button = QPushButton("查看所选导入…")
        self.import_detail_button.setToolTip(
            "导入时的各类记录数量、提示、有变化的记录和尚待处理的冲突")
        self.import_detail_button.clicked.connect(self.show_current_import)
        self.trust_button = QPushButton("信任所选设备…")
        self.trust_button.clicked.connect(self.trust_current)
        self.revoke_button = QPushButton("撤销信任")
        self.revoke_button.clicked.connect(self.revoke_current)
        self.conflict_hint = QLabel("没有等待处理的冲突。")
        self.holdings_label = QLabel()
        self.holdings_label.setWordWrap(True)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._panel(self.conflict_hint, self.conflict_view,
                                     [self.resolve_button], self.resolved_check), "冲突")
        self.tabs.addTab(self._panel(None, self.import_view, [self.import_detail_button]),
                         "收到的数据包")
        self.tabs.addTab(self._panel(self.holdings_label, self.export_view, []), "发出的数据包")
        self.tabs.addTab(self._panel(QLabel(
            "信任一台设备前，请与对方当面或电话逐组核对指纹：对方在“数据交换”页顶部可以看到"
            "本机指纹。已信任设备的数据包导入时不再询问；撤销信任后，其数据包一律拒绝。"),
            self.device_view, [self.trust_button, self.revoke_button]), "设备")

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title_label)
        heading.addWidget(self.device_label)
        top.addLayout(heading, 1)
        for button in (self.receipt_button, self.import_button, self.export_button):
            top.addWidget(button, 0, Qt.AlignmentFlag.AlignBottom)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addLayout(top)
        box.addWidget(self.tabs, 1)
        for signal in (ctx.events.inspectionsChanged, ctx.events.rectificationChanged,
                       ctx.events.settingsChanged):
            signal.connect(self.refresh)
        self.refresh()

    def _panel(self, hint: QLabel | None, view: QTableView, buttons: list[QPushButton],
               option: QWidget | None = None) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(8, 8, 8, 8)
        if hint is not None:
            hint.setWordWrap(True)
            box.addWidget(hint)
        box.addWidget(view, 1)
        if buttons:
            row = QHBoxLayout()
            if option is not None:
                row.addWidget(option)
            row.addStretch(1)
            for b in buttons:
                row.addWidget(b)
            box.addLayout(row)
        return panel

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        with self._ctx.db.session() as s:
            name = device_name(s)
            conflicts = list_conflicts(s)
            resolved = count_conflicts(s, "resolved")
            # the resolved ones, which only grow, are read only when asked for
            shown = (list_conflicts(s, status=None) if self.resolved_check.isChecked()
                     else conflicts)
            self.import_model.set_rows(import_history(s))
            self.export_model.set_rows(export_history(s))
            self.device_model.set_rows(list_devices(s))
        self.conflict_model.set_rows(shown)
        self.device_label.setText(
            f"本机：{name}　　本机指纹：{show_fingerprint(self._key.fingerprint)}"
            if self._key is not None else f"本机：{name}　　{self._key_problem}不能导出或导入。")
        for button in (self.export_button, self.import_button):
            button.setEnabled(self._key is not None)
        self.conflict_hint.setText(
            f"有 {len(conflicts)} 条记录在两台电脑上都被修改过，或文书编号重复。双击一条，"
            "对照两个版本后决定。" if conflicts else
            f"没有等待处理的冲突。下面是已解决的 {resolved} 条，双击一条可查看当时的决定。"
            if shown else
            "没有等待处理的冲突。\n导入其他电脑的数据包后，两台电脑都修改过的同一条记录和重复的"
            "文书编号列在这里，逐字段对照后决定保留哪一个。")
        # alone in the tab, the note stands in its middle; above the list, at its top
        self.conflict_hint.setAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop if shown
            else Qt.AlignmentFlag.AlignCenter)
        self.conflict_view.setVisible(bool(shown))
        self.resolve_button.setVisible(bool(shown))
        self.resolve_button.setText("处理所选冲突…" if conflicts else "查看所选冲突…")
        self.resolved_check.setVisible(resolved > 0)
        self.tabs.setTabText(0, f"冲突（{len(conflicts)}）" if conflicts else "冲突")
        self.tabs.setTabText(1, f"收到的数据包（{self.import_model.rowCount()}）")
        self.import_detail_button.setEnabled(self.import_model.rowCount() > 0)
        self.tabs.setTabText(2, f"发出的数据包（{self.export_model.rowCount()}）")
        self.tabs.setTabText(3, f"设备（{self.device_model.rowCount()}）")
        lines = []
        for h in holdings(self._ctx.db):
            lines.append(f"{h.peer}：已确认收到本机 {h.current} 次检查的最新版本"
                         + (f"，{h.older} 次为较早版本" if h.older else "")
                         + (f"，{h.not_held} 次尚未收到" if h.not_held else "") + "。")
        self.holdings_label.setText("\n".join(lines) or
                                    "对方导入数据包后会生成回执；把回执交回并“导入回执”，"
                                    "即可核对对方是否收全。")

    def apply_preset(self, preset: dict[str, object]) -> None:
        """{"export_inspection": id}: the export dialog, offering just that inspection."""
        inspection = preset.get("export_inspection")
        if isinstance(inspection, int):
            self.export(inspection_id=inspection)

    def export(self, inspection_id: int | None = None) -> None:
        from services.inspection_lifecycle import get_summary
        from services.user_templates import effective_themes

        with self._ctx.db.session() as s:
            known = recipients(s)
            themes = [t.name for t in effective_themes(s)]
            org = device_name(s).split("（")[0]
            only = None
            if inspection_id is not None:
                sm = get_summary(s, inspection_id)
                only = (inspection_id, f"{sm.entity_name}　{'、'.join(sm.themes)}　"
                        f"{beijing_date(sm.started_at):%Y-%m-%d}", sm.status == DRAFT)
        folder = Path.home() / "Documents"
        folder = folder if folder.is_dir() else Path.home()
        chosen = ExportDialog.ask(self, recipients=known, themes=themes, default_folder=folder,
                                  default_name=f"{org}-{china_today():%Y%m%d}.sypkg",
                                  inspection=only)
        if chosen is None:
            return
        selection, target, password, split = chosen
        db = self._ctx.db
        key = self._key

        def work(progress: Progress, is_cancelled: IsCancelled) -> ExportResult:
            with db.session() as s:
                return export_package(s, target, selection, key=key,
                                      evidence_root=db.evidence_root, password=password,
                                      split_bytes=split, progress=progress,
                                      is_cancelled=is_cancelled)

        run_task(work, parent=self, label="正在导出数据包…", title="导出数据包",
                 on_success=self._exported, on_failure=self._failed("导出失败"))

    def import_files(self, paths: list[Path] | None = None) -> None:
        """Import the packages chosen, one after another (each previewed and confirmed as if
        alone; a split package's parts together)."""
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(
                self, "选择数据包（可选多个；分卷的数据包请选中全部分卷）",
                str(start_dir(PACKAGES)), PACKAGE_FILTER)
            remember(PACKAGES, names)
            paths = [Path(n) for n in names]
        if paths:
            first, *self._waiting = package_groups(paths)
            self._outcomes = []
            self._preview(first, None)

    def _next_package(self, files: str, outcome: str) -> None:
        """After one of the packages chosen at once (``files``: ``outcome``): the next, or,
        when there were several, what came of each."""
        self._outcomes.append((files, outcome))
        if self._waiting:
            self._preview(self._waiting.pop(0), None)
            return
        done, self._outcomes = self._outcomes, []
        if len(done) > 1:
            merged = sum(1 for _, o in done if o == MERGED_OUTCOME)
            lines = "\n".join(f"{name}：{o}" for name, o in done)
            messages.info(self, f"共 {len(done)} 个数据包，已合并 {merged} 个：\n\n{lines}",
                          title="导入完成")

    def import_receipt_file(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "选择回执", str(Path.home()),
                                                  RECEIPT_FILTER)
            if not name:
                return
            path = Path(name)
        try:
            summary = import_receipt(self._ctx.db, path)
        except PackageError as exc:
            messages.error(self, str(exc), title="无法导入回执")
            return
        text = (f"{summary.receiver} 合并了数据包中的 {summary.held} 条记录"
                f"（共 {summary.sent} 条）。"
                + ("对方已收到全部记录。" if not summary.missing else
                   f"有 {summary.missing} 条记录回执中没有列出，请重新导出交付。")
                + (f"其中 {summary.conflicts} 条对方也修改过（冲突），由对方决定采用哪个版本，"
                   "结果会随对方的下一个数据包发回。" if summary.conflicts else ""))
        messages.info(self, ("这份回执之前已经导入过。" if summary.already else "") + text,
                      title="回执")
        self.refresh()

    def resolve_current(self) -> None:
        index = self.conflict_view.currentIndex()
        if not index.isValid():
            return
        row = self.conflict_model.data(index, ROW_ROLE)
        if ConflictDialog.ask(self, self._ctx.db, row.id):
            self.refresh()
            self._ctx.events.inspectionsChanged.emit()
            self._ctx.events.registryChanged.emit()
            self._ctx.events.rectificationChanged.emit()

    def show_current_import(self) -> None:
        """The selected received package, as its import left it."""
        from gui.dialogs.import_record import ImportRecordDialog

        index = self.import_view.currentIndex()
        if not index.isValid():
            return
        entry = self.import_model.data(index, ROW_ROLE)
        with self._ctx.db.session() as s:
            record = import_record(s, entry.id)
        if record is None:  # gone meanwhile (a backup restored)
            self.refresh()
            return
        dialog = ImportRecordDialog(record, self)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def trust_current(self) -> None:
        device = self._current_device()
        if device is None:
            return
        name, ok = QInputDialog.getText(
            self, "信任设备",
            f"请与对方核对指纹：\n{device.short_fingerprint}\n\n核对无误后，为这台设备起个名字：",
            QLineEdit.EchoMode.Normal, device.name)
        if not ok:
            return
        self._device_action(lambda s: trust_device(s, fingerprint=device.fingerprint,
                                                   name=name.strip() or None))

    def revoke_current(self) -> None:
        device = self._current_device()
        if device is None or not messages.confirm(
                self, f"撤销对“{device.name}”的信任？以后它的数据包一律拒绝导入。",
                ok="撤销信任"):
            return
        self._device_action(lambda s: revoke_device(s, device.fingerprint))

    # --- internals --------------------------------------------------------------------------

    def _current_device(self) -> Any:
        index = self.device_view.currentIndex()
        return self.device_model.data(index, ROW_ROLE) if index.isValid() else None

    def _device_action(self, action: Any) -> None:
        try:
            with self._ctx.db.session() as s:
                action(s)
        except DeviceError as exc:
            messages.error(self, str(exc))
        self.refresh()

    def _preview(self, paths: list[Path], password: str | None) -> None:
        db, key = self._ctx.db, self._key

        def work(progress: Progress, is_cancelled: IsCancelled) -> ImportReport:
            return import_package(db, paths, password=password, dry_run=True, key=key,
                                  progress=progress, is_cancelled=is_cancelled)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NeedsPassword):
                again, ok = QInputDialog.getText(
                    self, "数据包已加密", f"请输入数据包 {paths[0].name} 的密码：",
                    QLineEdit.EchoMode.Password)
                if ok and again:
                    self._preview(paths, again)
                else:
                    self._next_package(_names(paths), "未导入（没有输入密码）")
                return
            names = _names(paths)
            if isinstance(exc, PackageError):  # the file named in the message, not only above
                exc = PackageError(f"{names}：{exc}")
            self._failed(f"无法导入 {names}")(exc)
            self._next_package(names, "未能导入（原因已说明）")

        run_task(work, parent=self, label="正在校验数据包…", title="导入数据包",
                 on_success=lambda report: self._confirm(paths, password, report),
                 on_failure=failed)

    def _confirm(self, paths: list[Path], password: str | None, report: ImportReport) -> None:
        merge, confirmed, trust = ImportPreviewDialog.ask(self, report)
        if not merge:
            changes = any(report.total(s) for s in (NEW, UPDATED, CONFLICT, DELETED))
            self._next_package(_names(paths), "此前已导入" if report.already_imported_at
                               else "未导入（已取消）" if changes else "没有需要合并的内容")
            return
        if trust and report.info.public_key:
            with self._ctx.db.session() as s:
                trust_device(s, public_key=report.info.public_key, name=report.info.device_name,
                             device_id=report.info.device_id)
        db, key = self._ctx.db, self._key

        def work(progress: Progress, is_cancelled: IsCancelled) -> ImportReport:
            return import_package(db, paths, password=password, trust_unknown=confirmed,
                                  key=key, progress=progress, is_cancelled=is_cancelled)

        def failed(exc: BaseException) -> None:
            self._failed("导入失败，数据库没有改动")(exc)
            self._next_package(_names(paths), "合并失败，数据库没有改动")

        run_task(work, parent=self, label="正在合并数据包…", title="导入数据包",
                 on_success=self._merged, on_failure=failed)

    def _merged(self, report: ImportReport) -> None:
        self.refresh()
        for signal in (self._ctx.events.inspectionsChanged, self._ctx.events.registryChanged,
                       self._ctx.events.rectificationChanged, self._ctx.events.catalogChanged):
            signal.emit()
        receipt = (f"\n\n回执已保存：{report.receipt}\n请把回执交回数据包的发送方。"
                   if report.receipt else "")
        settle = report.conflicts_to_settle
        conflicts = (f"\n\n有 {settle} 个冲突等待处理（双方都改过的记录、重复使用的文书编号），"
                     "见“冲突”页。" if settle else "")
        warnings = "".join(f"\n\n{w}" for w in report.warnings[:5])
        if len(report.warnings) > 5:
            warnings += f"\n\n另有 {len(report.warnings) - 5} 条提示，合并前的预览中已列出。"
        if messages.info(self, f"已合并：{report.summary()}。{conflicts}{warnings}{receipt}",
                         title="导入完成",
                         action="打开回执所在文件夹" if report.receipt else None):
            from gui.desktop import open_folder

            assert report.receipt is not None
            open_folder(self, report.receipt.parent)
        if settle:
            self.tabs.setCurrentIndex(0)
        self._next_package("、".join(report.info.file_names), MERGED_OUTCOME)

    def _exported(self, result: ExportResult) -> None:
        self.refresh()
        files = "\n".join(str(p) for p in result.paths)
        extra = (f"\n未导出 {result.drafts_left_out} 份草稿。" if result.drafts_left_out else "")
        if result.total == 0:
            messages.info(self, f"没有新增或修改的记录，已生成空数据包：\n{files}",
                          title="导出完成")
            return
        messages.info(self, f"已导出 {result.total} 条记录和 {result.evidence_files} 个照片、"
                            f"附件文件：\n{files}{extra}", title="导出完成")

    def _failed(self, title: str) -> Any:
        def show(exc: BaseException) -> None:
            from gui.errors import error_text

            messages.error(self, str(exc) if isinstance(exc, PackageError | ValueError)
                           else error_text(exc), title=title)

        return show
