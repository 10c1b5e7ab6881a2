"""Photos and files of one inspection: add by dialog or drag and drop, thumbnails, captions.

Adding runs on a worker thread (``run_task``): a large file is hashed and copied into the
evidence store there, each file in its own transaction, and a file the rules refuse (not an
image, too large, HEIC) is reported in Chinese with nothing stored for it. The panel also
imports answers from a filled Excel checklist.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui import format as fmt
from gui import messages
from gui.context import PageContext
from gui.file_dialogs import DOCUMENTS, PHOTOS, remember, start_dir
from gui.format import local_time
from gui.inspection.item_table import local_paths
from gui.workers import IsCancelled, Progress, Task, run_task
from services.evidence import (
    EvidenceError,
    EvidenceInfo,
    add_evidence,
    evidence_files,
    list_evidence,
    remove_evidence,
    set_caption,
)
from services.inspection_access import InspectionError
from services.inspection_entry import IMAGE_SUFFIXES, ExcelImport, apply_filled_checklist

_ID = Qt.ItemDataRole.UserRole + 1


def kind_for(path: Path) -> str:
    return "photo" if path.suffix.lower() in IMAGE_SUFFIXES else "file"


class EvidenceImporter(QObject):
    """Adds files to one inspection on a worker thread; shared by the form and the panel."""

    finished = Signal(list, list)  # added EvidenceInfo, Chinese error lines

    def __init__(self, ctx: PageContext, inspection_id: int, store_root: Path,
                 parent_widget: QWidget, *, photographer: Callable[[], str | None],
                 user: str | None = None) -> None:
        super().__init__(parent_widget)
        self._ctx = ctx
        self._id = inspection_id
        self._root = store_root
        self._parent = parent_widget
        self._photographer = photographer
        self._user = user

    def add(self, paths: list[str], item_code: str | None = None) -> Task:
        files = [Path(p) for p in paths]
        db, inspection_id, root, user = self._ctx.db, self._id, self._root, self._user
        who = self._photographer()

        def work(progress: Progress, is_cancelled: IsCancelled) -> tuple[list, list]:
            added: list[EvidenceInfo] = []
            errors: list[str] = []
            for n, path in enumerate(files):
                if is_cancelled():
                    break
                progress(n, len(files), f"正在保存 {path.name}")
                try:
                    with db.session() as s:
                        added.append(add_evidence(
                            s, inspection_id, path, store_root=root, kind=kind_for(path),
                            item_code=item_code, photographer=who, user=user))
                except (EvidenceError, InspectionError) as exc:
                    errors.append(str(exc))
            return added, errors

        def done(result: tuple[list, list]) -> None:
            added, errors = result
            self.finished.emit(added, errors)
            if errors:
                messages.error(self._parent, "以下文件未能添加，未保存任何内容：\n" +
                               "\n".join(f"- {e}" for e in errors), title="未能添加")

        return run_task(work, parent=self._parent, label="正在保存照片和附件…",
                        on_success=done)


class EvidencePanel(QWidget):
    findingsImported = Signal(object)  # ExcelImport
    evidenceChanged = Signal()

    def __init__(self, ctx: PageContext, inspection_id: int, importer: EvidenceImporter,
                 store_root: Path, *, user: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._id = inspection_id
        self._importer = importer
        self._root = store_root
        self._user = user
        self._editable = True
        self._items: dict[int, EvidenceInfo] = {}
        self.setAcceptDrops(True)

        self.add_button = QPushButton("添加照片或文件…")
        self.add_button.clicked.connect(self.pick_files)
        self.import_button = QPushButton("从已填写的 Excel 检查表导入结果…")
        self.import_button.clicked.connect(self.pick_excel)
        self.remove_button = QPushButton("移除")
        self.remove_button.clicked.connect(self.remove_selected)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)
        top.addStretch(1)
        top.addWidget(self.remove_button)
        self.hint = QLabel("可把照片或文件直接拖到这里（拖到“逐项检查”列表中的某一项上，"
                           "则归入该项）。照片支持 JPEG、PNG、WebP。")
        self.hint.setObjectName("measureRef")
        self.hint.setWordWrap(True)

        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(128, 128))
        self.list.setGridSize(QSize(176, 188))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setAcceptDrops(False)
        self.list.currentItemChanged.connect(self._selected)
        self.empty_label = QLabel("还没有照片或附件。")
        self.empty_label.setObjectName("emptyHint")

        self.caption_edit = QLineEdit()
        self.caption_edit.setPlaceholderText("这张照片证明什么，例如：母婴室未设置洗手台")
        self.caption_edit.editingFinished.connect(self._save_caption)
        self.photographer_edit = QLineEdit()
        self.photographer_edit.editingFinished.connect(self._save_caption)
        self.info_label = QLabel()
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.info_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("说明（证明内容）", self.caption_edit)
        form.addRow("拍摄人", self.photographer_edit)
        form.addRow("拍摄时间等", self.info_label)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.hint)
        box.addWidget(self.list, 1)
        box.addWidget(self.empty_label)
        box.addLayout(form)
        importer.finished.connect(self._added)
        self.reload()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        for w in (self.add_button, self.import_button, self.remove_button):
            w.setEnabled(editable)
        self.caption_edit.setReadOnly(not editable)
        self.photographer_edit.setReadOnly(not editable)

    def evidence(self) -> list[EvidenceInfo]:
        return list(self._items.values())

    def reload(self) -> None:
        with self._ctx.db.session() as s:
            found = list_evidence(s, self._id)
        current = self.list.currentItem()
        keep = current.data(_ID) if current is not None else None
        self.list.clear()
        self._items = {e.id: e for e in found}
        for e in found:
            item = QListWidgetItem(self._icon(e), _label(e))
            item.setData(_ID, e.id)
            item.setToolTip(e.original_name)
            self.list.addItem(item)
            if e.id == keep:
                self.list.setCurrentItem(item)
        self.empty_label.setVisible(not found)
        if self.list.currentItem() is None and found:
            self.list.setCurrentRow(0)
        self._selected(self.list.currentItem(), None)

    def _icon(self, e: EvidenceInfo) -> QIcon:
        files = evidence_files(self._root, e)
        thumb = files.get("thumbnail")
        if thumb is not None and thumb.exists():
            return QIcon(QPixmap(str(thumb)))
        return self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon)

    # ----- adding ----------------------------------------------------------------------------

    def add_files(self, paths: list[str], item_code: str | None = None) -> Task | None:
        if not self._editable:
            messages.warning(self, "检查已完成或已签名，不能再添加照片或附件。")
            return None
        return self._importer.add(paths, item_code)

    def pick_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "添加照片或文件", str(start_dir(PHOTOS)),
            "图片 (*.jpg *.jpeg *.png *.webp);;所有文件 (*)")
        remember(PHOTOS, paths)
        if paths:
            self.add_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event)
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    def _added(self, _added: list, _errors: list) -> None:
        self.reload()
        self.evidenceChanged.emit()

    # ----- editing ---------------------------------------------------------------------------

    def _current(self) -> EvidenceInfo | None:
        item = self.list.currentItem()
        return None if item is None else self._items.get(item.data(_ID))

    def _selected(self, current: QListWidgetItem | None, _prev: object) -> None:
        e = None if current is None else self._items.get(current.data(_ID))
        self.caption_edit.setText(e.caption or "" if e else "")
        self.photographer_edit.setText(e.photographer or "" if e else "")
        self.caption_edit.setEnabled(e is not None)
        self.photographer_edit.setEnabled(e is not None)
        if e is None:
            self.info_label.setText("")
            return
        source = {"exif": "（照片 EXIF）", "file": "（文件时间）"}.get(e.captured_source or "", "")
        when = local_time(e.captured_at) if e.captured_at else "未知"
        size = f"{e.width}×{e.height} 像素，" if e.width else ""
        item = f"所属检查项 {e.item_code}，" if e.item_code else "整体证据，"
        kind = f"；实际类型 {e.real_type}" if e.real_type else ""
        warn = ("<br/><span style='color:#b3261e; font-weight:600'>注意：文件名的扩展名与实际内容"
                "不符，打开前请确认来源。</span>" if e.type_mismatch else "")
        self.info_label.setText(fmt.esc(f"{when}{source}；{item}{size}"
                                        f"{e.size_bytes / 1024:.0f} KB；原文件名 "
                                        f"{e.original_name}{kind}") + warn)

    def _save_caption(self) -> None:
        e = self._current()
        if e is None or not self._editable:
            return
        caption = self.caption_edit.text().strip() or None
        who = self.photographer_edit.text().strip()
        if caption == e.caption and (who or None) == e.photographer:
            return
        try:
            with self._ctx.db.session() as s:
                set_caption(s, e.id, caption=caption, photographer=who, user=self._user)
        except (EvidenceError, InspectionError) as exc:
            messages.error(self, str(exc))
            return
        self.reload()
        self.evidenceChanged.emit()

    def remove_selected(self) -> None:
        e = self._current()
        if e is None:
            return
        if not messages.confirm(self, f"从本次检查中移除“{e.original_name}”？", ok="移除"):
            return
        try:
            with self._ctx.db.session() as s:
                remove_evidence(s, e.id, user=self._user)
        except (EvidenceError, InspectionError) as exc:
            messages.error(self, str(exc))
            return
        self.reload()
        self.evidenceChanged.emit()

    # ----- Excel -----------------------------------------------------------------------------

    def pick_excel(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择已填写的检查表",
                                              str(start_dir(DOCUMENTS)), "Excel 检查表 (*.xlsx)")
        remember(DOCUMENTS, path)
        if path:
            self.import_excel(Path(path))

    def import_excel(self, path: Path) -> Task:
        db, inspection_id, user = self._ctx.db, self._id, self._user

        def work(progress: Progress, _is_cancelled: IsCancelled) -> ExcelImport:
            with db.session() as s:
                return apply_filled_checklist(s, inspection_id, path, user=user,
                                              progress=progress)

        def done(result: ExcelImport) -> None:
            self.findingsImported.emit(result)
            text = f"已从 {path.name} 导入 {len(result.applied)} 项检查结果。"
            if result.skipped:
                messages.warning(self, text + "\n以下内容未导入：\n" +
                                 "\n".join(f"- {s}" for s in result.skipped), title="导入结果")
            else:
                messages.info(self, text, title="导入结果")

        def failed(exc: BaseException) -> None:
            messages.error(self, str(exc), title="未能导入")

        return run_task(work, parent=self, label="正在导入 Excel 检查表…", on_success=done,
                        on_failure=failed, cancellable=False)


def _label(e: EvidenceInfo) -> str:
    head = e.caption or e.original_name
    if len(head) > 18:
        head = head[:17] + "…"
    if e.type_mismatch:
        head = "⚠ " + head
    return f"{head}\n{e.item_code or '整体'}"
