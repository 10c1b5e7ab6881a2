"""导入预览: what a package would change, before anything is written.

Shows who sent it (and whether that device is trusted, with its fingerprint), then per record
kind how many records are new, updated, unchanged, kept because this laptop's are newer, in
conflict or deleted, and the changed records themselves. A package from a device that is not
trusted yet is merged only after the user ticks that the fingerprint was compared; the user
may trust the device at the same time.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import format as fmt
from gui.screen import fit_to_screen
from sync.importer import TRUSTED, ImportReport
from sync.keys import show_fingerprint
from sync.kinds import BY_NAME
from sync.merge import (
    CONFLICT,
    DELETED,
    KEPT,
    NEW,
    STATUS_LABELS,
    UNCHANGED,
    UPDATED,
    Change,
)

STATUSES = (NEW, UPDATED, UNCHANGED, KEPT, CONFLICT, DELETED)
#: The tallest the box of warnings grows before it scrolls (pixels).
NOTES_MAX_HEIGHT = 150


class ImportPreviewDialog(QDialog):
    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        info = report.info
        self.setWindowTitle("导入数据包：合并前预览")

        self.source_label = QLabel(self._source_text())
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label = QLabel(report.summary())
        self.summary_label.setObjectName("sectionCaption")
        self.summary_label.setWordWrap(True)

        self.count_table = count_table(report.counts)
        changes = list(report.changes)
        self.change_table = change_table(changes)

        self.notes_label, self.notes_area = notes_box(report.notes())

        untrusted = info.trust != TRUSTED
        fingerprint = show_fingerprint(info.fingerprint) if info.fingerprint else ""
        self.confirm_check = QCheckBox(
            f"我已与对方核对过设备指纹（{fingerprint}），确认数据包来自“{info.device_name}”"
            if info.fingerprint else "该数据包没有签名。我已确认它的来源，仍要导入")
        self.confirm_check.setVisible(untrusted)
        self.trust_check = QCheckBox("同时信任这台设备，以后导入它的数据包不再询问")
        self.trust_check.setVisible(untrusted and bool(info.fingerprint))
        self.trust_check.setEnabled(False)
        self.confirm_check.toggled.connect(self._confirm_changed)

        self.buttons = QDialogButtonBox()
        self.merge_button = self.buttons.addButton("合并", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("primaryButton")
        self.cancel_button = self.buttons.addButton("取消",
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        nothing = report.already_imported_at is not None or not any(
            report.total(s) for s in (NEW, UPDATED, CONFLICT, DELETED))
        if nothing:
            self.merge_button.setText("关闭")
            self.cancel_button.setVisible(False)
            self.confirm_check.setVisible(False)
            self.trust_check.setVisible(False)
        self._nothing = nothing
        self._confirm_changed(False)

        box = QVBoxLayout(self)
        box.addWidget(self.source_label)
        box.addWidget(self.summary_label)
        box.addWidget(self.notes_area)
        tables = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(caption("各类记录"))
        left.addWidget(self.count_table, 1)
        right = QVBoxLayout()
        changed = sum(report.total(s) for s in (NEW, UPDATED, CONFLICT, DELETED))
        right.addWidget(caption(
            "没有需要合并的变化" if not changes else changes_caption(changed, len(changes))))
        right.addWidget(self.change_table, 1)
        tables.addLayout(left, 5)
        tables.addLayout(right, 6)
        box.addLayout(tables, 1)
        box.addWidget(self.confirm_check)
        box.addWidget(self.trust_check)
        box.addWidget(self.buttons)
        fit_to_screen(self, QSize(900, 640), parent, centre=parent is None)

    @classmethod
    def ask(cls, parent: QWidget | None, report: ImportReport) -> tuple[bool, bool, bool]:
        """(merge?, confirmed an untrusted sender?, trust the device from now on?)"""
        dialog = cls(report, parent)
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted and not dialog._nothing
            return accepted, dialog.confirm_check.isChecked(), dialog.trust_check.isChecked()
        finally:
            dialog.deleteLater()

    @property
    def needs_confirmation(self) -> bool:
        return self.report.info.trust != TRUSTED and not self._nothing

    def _confirm_changed(self, checked: bool) -> None:
        self.trust_check.setEnabled(checked)
        if not checked:
            self.trust_check.setChecked(False)
        self.merge_button.setEnabled(self._nothing or not self.needs_confirmation or checked)

    def _source_text(self) -> str:
        i = self.report.info
        trust = {"trusted": "<span style='color:#1f7a3a'>已信任的设备</span>",
                 "unknown": "<span style='color:#8a4b00'>尚未信任的设备</span>",
                 "unsigned": "<span style='color:#b3261e'>没有签名</span>"}.get(i.trust, i.trust)
        issuer = i.issuer or {}
        where = "　".join(x for x in (issuer.get("organisation"), issuer.get("jurisdiction_name"))
                         if x)
        lines = [f"<b>来自：</b>{_esc(i.sender)}（{trust}）",
                 f"<b>设备指纹：</b>{show_fingerprint(i.fingerprint) if i.fingerprint else '无'}",
                 f"<b>导出时间：</b>{_esc(fmt.iso_time(i.exported_at))}"
                 + (f"　<b>单位：</b>{_esc(where)}" if where else "")]
        extras = [x for x in ("演示数据" if i.demo else "", "已加密" if i.encrypted else "",
                              f"{i.parts} 个分卷" if i.parts > 1 else "") if x]
        if extras:
            lines.append("　".join(extras))
        return "<br>".join(lines)


def _esc(text: Any) -> str:
    import html

    return html.escape(str(text))


def notes_box(notes: list[str]) -> tuple[QLabel, QScrollArea]:
    """What an import says beside its counts, in a box that scrolls when there is much of it
    (the buttons stay on a 768-pixel screen); hidden when there is nothing to say."""
    label = QLabel("\n".join(notes))
    label.setObjectName("warningText")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    area = QScrollArea()
    area.setWidget(label)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setMaximumHeight(NOTES_MAX_HEIGHT)
    area.setVisible(bool(notes))
    return label, area


def caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionCaption")
    return label


def changes_caption(changed: int, listed: int) -> str:
    return (f"有变化的记录（{changed} 条）" if listed >= changed else
            f"有变化的记录（共 {changed} 条，列出前 {listed} 条）")


def count_table(counts: dict[str, dict[str, int]]) -> QTableWidget:
    """Per record kind, how many records were new, updated, … (only the columns that say
    something)."""
    kinds = [k for k in counts if any(counts[k].values())]
    table = QTableWidget(len(kinds), 1 + len(STATUSES))
    table.setHorizontalHeaderLabels(["记录", *(STATUS_LABELS[s] for s in STATUSES)])
    for r, kind in enumerate(kinds):
        label = BY_NAME[kind].label if kind in BY_NAME else kind
        table.setItem(r, 0, QTableWidgetItem(label))
        for c, status in enumerate(STATUSES, start=1):
            n = counts[kind].get(status, 0)
            cell = QTableWidgetItem(str(n) if n else "")
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if status == CONFLICT and n:
                cell.setForeground(Qt.GlobalColor.darkRed)
            table.setItem(r, c, cell)
    _table_look(table)
    for c, status in enumerate(STATUSES, start=1):
        table.setColumnHidden(c, not any(per.get(status, 0) for per in counts.values()))
    table.horizontalHeader().setStretchLastSection(True)
    return table


def change_table(changes: list[Change]) -> QTableWidget:
    """The changed records: kind, what the record is, how it changed."""
    table = QTableWidget(len(changes), 3)
    table.setHorizontalHeaderLabels(["记录", "内容", "变化"])
    for r, change in enumerate(changes):
        label = BY_NAME[change.kind].label if change.kind in BY_NAME else change.kind
        table.setItem(r, 0, QTableWidgetItem(label))
        table.setItem(r, 1, QTableWidgetItem(change.label))
        status = QTableWidgetItem(STATUS_LABELS.get(change.status, change.status))
        if change.status == CONFLICT:
            status.setForeground(Qt.GlobalColor.darkRed)
        table.setItem(r, 2, status)
    _table_look(table)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    return table


def _table_look(table: QTableWidget) -> None:
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
