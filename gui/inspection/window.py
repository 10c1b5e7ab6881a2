"""The window of one inspection: 逐项检查, 回头看, 照片和附件, 笔录与签名.

Each tab writes through the Qt-free services in its own short transaction; the window keeps
the tabs in step (a status change makes the form read-only, a carry-forward reloads it) and
tells the rest of the application through ``ctx.events.inspectionsChanged``, coalesced so
that fast keyboard entry does not make other pages reload on every key.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from gui.context import PageContext
from gui.inspection.entry_form import EntryForm
from gui.inspection.evidence_panel import EvidenceImporter, EvidencePanel
from gui.inspection.lookback_panel import LookbackPanel
from gui.inspection.record_tab import RecordTab
from gui.models.inspections import STATUS_TEXT
from gui.screen import fit_to_screen
from rules.inspection_status import DRAFT, SIGNED
from services.inspection_lifecycle import get_summary

EVENTS_DELAY_MS = 300
PREFERRED_SIZE = QSize(1280, 800)
_BADGE = {DRAFT: "#8a4b00", "completed": "#1f4e8c", SIGNED: "#1b7f3b"}


class InspectionWindow(QWidget):
    def __init__(self, ctx: PageContext, inspection_id: int, *, user: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ctx = ctx
        self.inspection_id = inspection_id
        self._user = user
        self.store_root = ctx.db.evidence_root
        with ctx.db.session() as s:
            summary = get_summary(s, inspection_id)
        self._summary = summary
        self._notify = QTimer(self)
        self._notify.setSingleShot(True)
        self._notify.setInterval(EVENTS_DELAY_MS)
        self._notify.timeout.connect(ctx.events.inspectionsChanged.emit)

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.status_badge = QLabel()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("pageSubtitle")
        head = QHBoxLayout()
        head.addWidget(self.title_label)
        head.addWidget(self.status_badge)
        head.addStretch(1)
        head.addWidget(self.progress_label)

        self.form = EntryForm(ctx, inspection_id, user=user)
        self.record_tab = RecordTab(ctx, inspection_id, self.store_root,
                                    before_action=self.form.flush, user=user)
        self.importer = EvidenceImporter(ctx, inspection_id, self.store_root, self,
                                         photographer=self._photographer, user=user)
        self.evidence = EvidencePanel(ctx, inspection_id, self.importer, self.store_root,
                                      user=user)
        self.lookback = LookbackPanel(ctx, inspection_id, summary.entity_id, user=user)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, "逐项检查")
        self.tabs.addTab(self.lookback, "回头看")
        self.tabs.addTab(self.evidence, "照片和附件")
        self.tabs.addTab(self.record_tab, "笔录与签名")
        self.tabs.currentChanged.connect(lambda _i: self.form.flush())

        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 8)
        box.addLayout(head)
        box.addWidget(self.tabs, 1)

        self.form.changed.connect(self._changed)
        self.form.filesDropped.connect(self._add_files)
        self.evidence.evidenceChanged.connect(self._evidence_changed)
        self.evidence.findingsImported.connect(lambda _r: self._reload_all())
        self.lookback.carried.connect(lambda _r: self._reload_all())
        self.record_tab.statusChanged.connect(self._reload_all)
        self.record_tab.amended.connect(self._open_amendment)
        self.record_tab.goToItem.connect(self._go_to_item)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)

        self._show_header()
        self.evidence.set_editable(summary.status == DRAFT)
        self._label_lookback()
        history = self.lookback.history
        if (summary.status == DRAFT and summary.counts.answered == 0
                and history is not None and history.open_items):
            # problems found last time and not yet confirmed put right: 回头看 first
            self.tabs.setCurrentWidget(self.lookback)
        fit_to_screen(self, PREFERRED_SIZE, parent)
        self.form.table.setFocus()

    def _label_lookback(self) -> None:
        """The 回头看 tab counts the unit's problems not yet confirmed put right."""
        history = self.lookback.history
        n = len(history.open_items) if history is not None else 0
        index = self.tabs.indexOf(self.lookback)
        self.tabs.setTabText(index, f"回头看（{n}）" if n else "回头看")
        self.tabs.setTabToolTip(index, f"该单位有 {n} 个问题尚未确认整改到位" if n
                                else "该单位以往的检查和整改情况")

    def _go_to_item(self, code: str) -> None:
        """Back to the item walk, on the item to answer next."""
        self.tabs.setCurrentWidget(self.form)
        self.form.select_code(code)
        self.form.table.setFocus()

    def _photographer(self) -> str | None:
        rec = self.record_tab.record
        if rec is None:
            return None
        return rec.recorder or (rec.officers[0].name if rec.officers else None)

    def _show_header(self) -> None:
        with self.ctx.db.session() as s:
            self._summary = get_summary(s, self.inspection_id)
        sm = self._summary
        version = f"（第{sm.version}版）" if sm.version > 1 else ""
        title = f"{sm.entity_name} · {sm.kind} · {'、'.join(sm.themes)}{version}"
        self.title_label.setText(title)
        self.setWindowTitle(f"{sm.entity_name} — {sm.kind}{version}")
        colour = _BADGE.get(sm.status, "#374151")
        self.status_badge.setText(STATUS_TEXT.get(sm.status, sm.status))
        self.status_badge.setStyleSheet(f"color:#ffffff; background:{colour}; padding:2px 10px;"
                                        " border-radius:3px; font-weight:600;")
        self._show_progress()

    def _show_progress(self) -> None:
        done, total = self.form.progress()
        self.progress_label.setText(f"已答 {done} / {total}")

    def _changed(self) -> None:
        self._show_progress()
        self._notify.start()

    def _add_files(self, paths: list[str], code: str) -> None:
        self.evidence.add_files(paths, code)

    def _evidence_changed(self) -> None:
        self.form.refresh_photos()
        self._notify.start()

    def _reload_all(self) -> None:
        self.form.reload()
        self.record_tab.reload()
        self.evidence.reload()
        self.lookback.reload()
        self._label_lookback()
        self._show_header()
        self.evidence.set_editable(self._summary.status == DRAFT)
        self._notify.start()

    def _open_amendment(self, new_id: int) -> None:
        from gui.inspection import open_inspection

        self._reload_all()
        open_inspection(self.ctx, new_id, self.parentWidget())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form.flush()
        if self._notify.isActive():
            self._notify.stop()
            self.ctx.events.inspectionsChanged.emit()
        super().closeEvent(event)
