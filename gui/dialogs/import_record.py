"""一次导入的详情: a package received earlier, read again from 收到的数据包.

Shows, as the merge left them, who sent the package and from which office, when it was
exported and imported and by whom; per record kind how many records were new, updated, kept
or in conflict; what the import said (conflicts, document numbers used twice, records it
skipped); the changed records it listed; the conflicts it brought that still wait; and the
backup made before the merge. A package imported by an earlier version of the program has only
its counts, and the dialog says so.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs.import_preview import (
    caption,
    change_table,
    changes_caption,
    count_table,
    notes_box,
)
from gui.models.exchange import when
from gui.screen import fit_to_screen
from sync.history import ImportRecord


class ImportRecordDialog(QDialog):
    def __init__(self, record: ImportRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        e = record.entry
        self.setWindowTitle(f"收到的数据包：{e.file_name or '导入记录'}")

        self.source_label = QLabel(self._source_text())
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.RichText)
        self.source_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.count_table = count_table(record.counts)

        notes = list(record.notes)
        if not record.kept:
            notes.insert(0, "这次导入由较早版本的程序完成，当时没有保存导入时的提示和有变化记录的"
                            "明细，这里只有各类记录的数量。")
        if record.conflicts_open:
            notes.append(f"这个数据包带来的冲突还有 {record.conflicts_open} 条等待处理，"
                         "见“冲突”。")
        elif record.conflicts_resolved:
            notes.append(f"这个数据包带来的 {record.conflicts_resolved} 条冲突都已处理。")
        self.notes_label, self.notes_area = notes_box(notes)

        self.change_table = change_table(list(record.changes))
        self.change_table.setVisible(record.kept and bool(record.changes))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addWidget(self.source_label)
        box.addWidget(self.notes_area)
        tables = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(caption("各类记录"))
        left.addWidget(self.count_table, 1)
        tables.addLayout(left, 5)
        if record.kept:
            right = QVBoxLayout()
            self.changes_label = caption(
                changes_caption(record.changed, len(record.changes)) if record.changes
                else "没有有变化的记录")
            right.addWidget(self.changes_label)
            right.addWidget(self.change_table, 1)
            if not record.changes:
                right.addStretch(1)
            tables.addLayout(right, 6)
        box.addLayout(tables, 1)
        box.addWidget(buttons)
        fit_to_screen(self, QSize(900, 600), parent, centre=parent is None)

    def _source_text(self) -> str:
        r = self.record
        e = r.entry
        colour = {"trusted": "#1f7a3a", "confirmed": "#8a4b00",
                  "unsigned": "#b3261e"}.get(e.trust, "#444")
        lines = [f"<b>来自：</b>{_esc(e.device_name)}"
                 f"（<span style='color:{colour}'>{_esc(e.trust_label)}</span>）"
                 f"　<b>设备指纹：</b>{_esc(e.fingerprint)}"]
        office = "　".join(x for x in (r.organisation, r.jurisdiction) if x)
        if office:
            lines.append(f"<b>单位：</b>{_esc(office)}")
        times = [f"<b>导出时间：</b>{_esc(when(r.exported_at))}" if r.exported_at
                 else "", f"<b>导入时间：</b>{_esc(when(e.at))}",
                 f"<b>导入人：</b>{_esc(r.user)}" if r.user else ""]
        lines.append("　".join(t for t in times if t))
        if r.files:
            lines.append(f"<b>文件：</b>{_esc('、'.join(r.files))}")
        extras = [x for x in ("演示数据" if e.demo else "", "已加密" if r.encrypted else "",
                              f"{r.parts} 个分卷" if r.parts > 1 else "",
                              "已写回执" if e.receipt_written else "",
                              f"合并前的备份：{r.backup}" if r.backup else "") if x]
        if extras:
            lines.append(_esc("　".join(extras)))
        return "<br>".join(lines)


def _esc(text: object) -> str:
    return html.escape(str(text))
