"""The item-by-item entry form: the inspector's keyboard walks the checklist.

Keys on the item list mean the same on every item: 1 符合, 2 不符合, 3 部分符合, 4 不适用
(a progress item of 部门督查 reads them as 已完成 / 滞后 / 推进中 / 未启动, in the same
good-bad-partial-neutral order); ↑/↓ move; Enter moves to the next item. A measured value, date
or text has its own field, reached with F3: a number is checked against its threshold while it
is typed and judges the item when Enter records it. F2 goes to the note, F4 adds photos.

After a judgement the cursor moves on to the next unanswered item (``auto_advance``, a setting),
except after a 不符合 that still needs its note or photo: then the cursor waits in the note (or
on the photo button) until it is given; Ctrl+Enter in the note saves it and moves on.

Every action is committed at once, in its own short transaction through
``services.findings.record_finding``; there is no save button. A note is committed when typing
pauses or the inspector leaves the item. ``committed`` is emitted after each commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from checklists.template_model import COMPLIANCE_CHOICES, PROGRESS_CHOICES
from gui import messages, preferences
from gui.context import PageContext
from gui.file_dialogs import PHOTOS, remember, start_dir
from gui.inspection.entry_model import (
    CARRIED,
    CODE_ROLE,
    FILTER_ALL,
    FILTERS,
    EntryTableModel,
    accepts,
)
from gui.inspection.item_details import details_html
from gui.inspection.item_table import ItemPane, ItemTable
from models.db import STORAGE_ERRORS
from rules.inspection_status import DRAFT, FAIL, NOT_APPLICABLE
from rules.limits import NOTE_MAX, WARN_AT
from services.evidence import EvidenceInfo, evidence_files, list_evidence
from services.findings import FindingInfo, record_finding
from services.inspection_access import InspectionError, status_of
from services.inspection_entry import REQUIRE_TEXT, EntryRow, entry_rows, photo_counts, with_finding

NOTE_DELAY_MS = 600
THUMBNAILS = 3  # photos of the current item shown beside its note
THUMB_SIZE = 48
_DIGIT_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3}
#: Progress choices in the order of the compliance keys: good, bad, partial, neutral.
PROGRESS_KEYS = ("已完成", "滞后", "推进中", "未启动")
assert set(PROGRESS_KEYS) == set(PROGRESS_CHOICES)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_VALUE_TYPES = ("measure", "date", "text")
_TONES = {"符合": "pass", "已完成": "pass", "不符合": "fail", "滞后": "fail",
          "部分符合": "partial", "推进中": "partial", "不适用": "na", "未启动": "na"}
CHOICE_STYLE = "".join(
    f"QPushButton#choice[tone=\"{tone}\"]:checked {{ background:{colour}; color:#ffffff; "
    f"font-weight:600; border:1px solid {colour}; border-radius:3px; }}"
    for tone, colour in (("pass", "#1b7f3b"), ("fail", "#b3261e"), ("partial", "#a15c00"),
                         ("na", "#6b7280")))
HINT = ("键盘：1 符合　2 不符合　3 部分符合　4 不适用（每项相同）　F3 填实测值/日期/内容　"
        "F2 写说明　F4 添加照片　↑↓ 移动　Enter 下一项　说明中 Ctrl+Enter 保存并跳到下一项")


class EntryForm(QWidget):
    committed = Signal(object)  # FindingInfo, after its transaction was committed
    changed = Signal()  # progress or any answer changed
    filesDropped = Signal(list, str)  # paths, item code: attach as the item's evidence

    def __init__(self, ctx: PageContext, inspection_id: int, *, user: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.inspection_id = inspection_id
        self._user = user
        self._editable = False
        self._current: str | None = None
        self._note_code: str | None = None
        self._value_code: str | None = None
        self._loading = False
        self.auto_advance = preferences.auto_advance()
        self._rejected = False  # the last answer was refused (the message has been shown)
        self._waiting_photo: str | None = None  # a 不符合 waiting for its photo

        self.model = EntryTableModel(self)
        self._mode = FILTER_ALL

        self.progress_label = QLabel()
        self.progress_label.setObjectName("entryProgress")
        self.filter_buttons: dict[str, QToolButton] = {}
        filters = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(self.progress_label)
        bar.addStretch(1)
        bar.addWidget(QLabel("显示："))
        for name in FILTERS:
            b = QToolButton()
            b.setText(name)
            b.setCheckable(True)
            b.setChecked(name == FILTER_ALL)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, n=name: self.set_filter(n))
            filters.addButton(b)
            self.filter_buttons[name] = b
            bar.addWidget(b)

        self.table = ItemTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # the item's question gets the room: the department (most often one for the whole
        # checklist) fits 卫生健康 and is elided beyond, in full in its tooltip
        em = header.fontMetrics().horizontalAdvance("中")
        for col, chars in ((0, 2.5), (1, 5), (3, 5), (4, 6.5), (5, 5)):
            self.table.setColumnWidth(col, int(chars * em) + 12)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.filesDropped.connect(self.filesDropped)

        # The current item: question, answer, note, requirement, details.
        self.readonly_label = QLabel()
        self.readonly_label.setObjectName("warningText")
        self.readonly_label.setWordWrap(True)
        self.readonly_label.hide()
        self.item_title = QLabel()
        self.item_title.setObjectName("measureTitle")
        self.item_title.setWordWrap(True)
        self.item_meta = QLabel()
        self.item_meta.setObjectName("measureRef")
        self.item_meta.setWordWrap(True)
        self.carried_label = QLabel(f"{CARRIED}：本项结果由上次检查带入，修改后即为本次结果")
        self.carried_label.setStyleSheet("color:#1f4e8c; background:#e8f0fb; padding:3px 6px;"
                                         " border-radius:3px;")
        self.carried_label.hide()
        self.choice_buttons: list[QPushButton] = []
        choices = QHBoxLayout()
        for i in range(4):
            b = QPushButton()
            b.setObjectName("choice")
            b.setStyleSheet(CHOICE_STYLE)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, n=i: self.choose(n))
            self.choice_buttons.append(b)
            choices.addWidget(b)
        self.value_label = QLabel("实测值")
        self.value_edit = QLineEdit()
        self.value_edit.installEventFilter(self)
        self.value_edit.textEdited.connect(self._value_edited)
        self.value_edit.editingFinished.connect(self._commit_value)
        self.unit_label = QLabel()
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_label)
        value_row.addWidget(self.value_edit, 1)
        value_row.addWidget(self.unit_label)
        value_row.addWidget(self.verdict_label)
        self.required_label = QLabel()
        self.required_label.setObjectName("requiredText")
        self.required_label.setStyleSheet("color:#ffffff; background:#b3261e; padding:3px 8px;"
                                          " border-radius:3px; font-weight:600;")
        self.required_label.setWordWrap(True)
        self.required_label.hide()
        self.require_hint = QLabel()
        self.require_hint.setObjectName("measureRef")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("情况说明（不符合时写明发现的问题）")
        self.note_edit.setMaximumHeight(90)
        self.note_edit.installEventFilter(self)
        self.note_edit.textChanged.connect(self._note_typed)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_DELAY_MS)
        self._note_timer.timeout.connect(self.flush_note)
        self.note_count = QLabel()  # shown as the note nears its length limit
        self.note_count.setObjectName("measureRef")
        self.note_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.note_count.hide()
        self.photo_label = QLabel()
        self.add_photo_button = QPushButton("添加本项照片…")
        self.add_photo_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.add_photo_button.installEventFilter(self)
        self.add_photo_button.clicked.connect(self._pick_photos)
        self.thumbnails: list[QLabel] = []  # the current item's first photos
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_label, 1)
        for _ in range(THUMBNAILS):
            thumb = QLabel()
            thumb.setFixedSize(THUMB_SIZE, THUMB_SIZE)
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            thumb.setStyleSheet("border:1px solid #d0d5dd; background:#f8f9fb;")
            thumb.hide()
            self.thumbnails.append(thumb)
            photo_row.addWidget(thumb)
        photo_row.addWidget(self.add_photo_button)
        self.details = QTextBrowser()
        self.details.setOpenExternalLinks(False)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("measureRef")

        pane = ItemPane()
        pane.filesDropped.connect(lambda paths: self._current and self.filesDropped.emit(
            paths, self._current))
        side = QVBoxLayout(pane)
        side.setContentsMargins(8, 0, 0, 0)
        side.addWidget(self.readonly_label)
        side.addWidget(self.item_title)
        side.addWidget(self.item_meta)
        side.addWidget(self.carried_label)
        side.addLayout(choices)
        side.addLayout(value_row)
        side.addWidget(self.required_label)
        side.addWidget(self.require_hint)
        side.addWidget(self.note_edit)
        side.addWidget(self.note_count)
        side.addLayout(photo_row)
        caption = QLabel("检查方法、应收集的证据和法律依据")
        caption.setObjectName("sectionCaption")
        side.addWidget(caption)
        side.addWidget(self.details, 1)
        side.addWidget(self.saved_label)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(pane)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])  # the list wider than the item's pane, whatever the width
        hint = QLabel(HINT)
        hint.setObjectName("measureRef")
        hint.setWordWrap(True)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(bar)
        box.addWidget(split, 1)
        box.addWidget(hint)
        self.reload()

    # ----- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the items and the inspection's status again (after carry-forward, import …)."""
        self.flush()
        with self._ctx.db.session() as s:
            status = status_of(s, self.inspection_id)
            rows = entry_rows(s, self.inspection_id)
        keep = self._current
        self._editable = status == DRAFT and not self._ctx.db.read_only
        self._loading = True
        try:
            self.model.set_rows(rows)
            departments = {r.item.competent_department for r in rows}
            self.table.setColumnHidden(EntryTableModel.DEPARTMENT_COLUMN, len(departments) < 2)
        finally:
            self._loading = False
        self.readonly_label.setText(
            "" if self._editable else
            "数据库以只读方式打开，检查结果不能修改。" if self._ctx.db.read_only else
            "检查已完成或已签名，检查结果只读；如需修改，"
            "请在“笔录与签名”中退回草稿或制作更正版本。")
        self.readonly_label.setVisible(not self._editable)
        self._current = None
        if rows:
            self.select_code(keep if keep and self.model.row_for(keep) is not None
                             else rows[0].code)
        self._update_progress()

    def refresh_photos(self) -> None:
        with self._ctx.db.session() as s:
            counts = photo_counts(s, self.inspection_id)
        for entry in self.model.rows():
            n = counts.get(entry.code, 0)
            if n != entry.photos:
                from dataclasses import replace

                self.model.replace(replace(entry, photos=n))
        self._show_current()
        self.changed.emit()
        waiting, self._waiting_photo = self._waiting_photo, None
        if waiting is not None and waiting == self._current:
            self._after_judgement(waiting)  # the photo it waited for: move on

    @property
    def editable(self) -> bool:
        return self._editable

    # ----- what tests and the window read ----------------------------------------------------

    def current_code(self) -> str | None:
        return self._current

    def entry(self, code: str) -> EntryRow:
        row = self.model.row_for(code)
        if row is None:
            raise KeyError(code)
        return self.model.entry(row)

    def progress(self) -> tuple[int, int]:
        rows = self.model.rows()
        return sum(1 for r in rows if r.finding.answered), len(rows)

    def visible_codes(self) -> list[str]:
        return [e.code for i, e in enumerate(self.model.rows()) if not self.table.isRowHidden(i)]

    def _apply_filter(self, pinned: str | None) -> None:
        for i, entry in enumerate(self.model.rows()):
            self.table.setRowHidden(i, not accepts(entry, self._mode, pinned))

    # ----- navigation ------------------------------------------------------------------------

    def set_filter(self, mode: str) -> None:
        self.flush()
        self.filter_buttons[mode].setChecked(True)
        self._mode = mode
        self._apply_filter(None)
        codes = self.visible_codes()
        if self._current in codes:
            self.select_code(self._current)
        elif codes:
            self.select_code(codes[0])

    def select_code(self, code: str) -> None:
        row = self.model.row_for(code)
        if row is None:
            return
        self._apply_filter(code)
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        if self._current != code:
            self._set_current(code)

    def move(self, step: int) -> None:
        codes = self.visible_codes()
        if not codes:
            return
        here = codes.index(self._current) if self._current in codes else -1
        target = max(0, min(len(codes) - 1, here + step))
        self.select_code(codes[target])

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._loading or not current.isValid():
            return
        code = current.data(CODE_ROLE)
        if code != self._current:
            self.flush()
            self._apply_filter(code)
            self._set_current(code)

    def _set_current(self, code: str) -> None:
        self._current = code
        self._show_current()

    # ----- answering -------------------------------------------------------------------------

    def choose(self, n: int) -> FindingInfo | None:
        """Key 1–4 on the current item: its judgement (a progress choice on a progress item);
        then the cursor moves on, or waits for the note or photo a 不符合 needs."""
        entry = self._current_entry()
        if entry is None:
            return None
        if entry.item.answer.type == "progress":
            info = self.record(entry.code, value=PROGRESS_KEYS[n])
        else:
            info = self.record(entry.code, result=COMPLIANCE_CHOICES[n])
        if info is not None:
            self._after_judgement(entry.code)
        return info

    def next_unanswered(self) -> str | None:
        """The first unanswered visible item after the current one, wrapping round."""
        codes = self.visible_codes()
        here = codes.index(self._current) if self._current in codes else -1
        for code in codes[here + 1:] + codes[:max(here, 0)]:
            if not self.entry(code).finding.answered:
                return code
        return None

    def _after_judgement(self, code: str) -> None:
        entry = self.entry(code)
        need = entry.missing_requirement()
        if need:  # the cursor waits for what a 不符合 needs
            if entry.finding.require_on_fail == "photo":
                self._waiting_photo = code
                self.add_photo_button.setFocus()
                self._flash(f"{code} 判定为不符合，须附照片：按 F4 或 Enter 添加照片")
            else:
                self.note_edit.setFocus()
                self._flash(f"{code} 判定为不符合，请写明发现的问题（Ctrl+Enter 保存并继续）")
            return
        if not self.auto_advance:
            return
        target = self.next_unanswered()
        if target is None:
            if code == self._current:
                self._flash("全部检查项均已作答，可到“笔录与签名”完成检查")
            return
        self.select_code(target)
        self.table.setFocus()

    def record(self, code: str, **change: Any) -> FindingInfo | None:
        """One autosave: a short transaction of its own, committed before this returns."""
        if not self._editable:
            self._flash("检查结果只读")
            return None
        try:
            with self._ctx.db.session() as s:
                info = record_finding(s, self.inspection_id, code, user=self._user, **change)
        except InspectionError as exc:
            self._rejected = True
            typed = self.value_edit.text() if "value" in change else None
            messages.error(self, str(exc), title="未能记录")
            self._show_current()
            if typed is not None and code == self._current:  # keep what was typed, to correct
                self._loading = True
                self.value_edit.setText(typed)
                self._loading = False
                self._show_verdict(typed)
            return None
        except STORAGE_ERRORS as exc:  # disk full, database busy: keep the input
            from gui.errors import error_text

            messages.error(self, error_text(exc), title="未能保存")
            return None
        self.model.replace(with_finding(self.entry(code), info))
        if code == self._current:
            self._show_current(answer_only=True)
        self._update_progress()
        self.saved_label.setText(f"已保存 {code}（{datetime.now():%H:%M:%S}）")
        self.committed.emit(info)
        self.changed.emit()
        return info

    def set_value_text(self, text: str) -> FindingInfo | None:
        entry = self._current_entry()
        if entry is None:
            return None
        self._value_code = None
        stored = entry.finding.value
        if entry.finding.answer_type == "measure":
            try:
                same = stored is not None and text.strip() != "" and float(text) == stored
            except ValueError:
                same = False
        else:
            same = (stored or "") == text.strip()
        if same or (stored is None and not text.strip()):
            return None
        return self.record(entry.code, value=text.strip() or None)

    def flush_note(self) -> None:
        self._note_timer.stop()
        code = self._note_code
        if code is None or self.model.row_for(code) is None:
            self._note_code = None
            return
        text = self.note_edit.toPlainText().strip() or None
        # pending while it is saved, so that a refusal leaves the typed text on screen
        if text != self.entry(code).finding.note and self.record(code, note=text) is None:
            return  # not saved: still pending, tried again on the next flush
        self._note_code = None

    def flush(self) -> None:
        """Commit a note or value still being typed."""
        self.flush_note()
        if self._value_code is not None and self._value_code == self._current:
            self.set_value_text(self.value_edit.text())
        self._value_code = None

    def _note_typed(self) -> None:
        self._show_note_count()
        if self._loading or self._current is None or not self._editable:
            return
        self._note_code = self._current
        self._note_timer.start()

    def _show_note_count(self) -> None:
        n = len(self.note_edit.toPlainText())
        near = n >= NOTE_MAX * WARN_AT
        self.note_count.setVisible(near)
        if near:
            over = n > NOTE_MAX
            self.note_count.setText(f"已输入 {n} / {NOTE_MAX} 字" + ("，超出部分无法保存，请删减"
                                                                     if over else ""))
            self.note_count.setStyleSheet("color:#b3261e; font-weight:600;" if over else "")

    def _value_edited(self, text: str) -> None:
        self._value_code = self._current
        self._show_verdict(text)

    def _commit_value(self) -> None:
        if self._value_code is not None:
            self.set_value_text(self.value_edit.text())

    # ----- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if watched is self.table:
            return self._table_key(event)
        if watched is self.value_edit:
            return self._value_key(event)
        if watched is self.note_edit:
            return self._note_key(event) or super().eventFilter(watched, event)
        if watched is self.add_photo_button and event.key() in (*_ENTER, Qt.Key.Key_Escape):
            if event.key() == Qt.Key.Key_Escape:
                self.table.setFocus()
            else:
                self._pick_photos()
            return True
        return super().eventFilter(watched, event)

    def _table_key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        entry = self._current_entry()
        if key in _ENTER:
            self.move(1)
            return True
        if key == Qt.Key.Key_F2:
            self.note_edit.setFocus()
            return True
        if entry is None:
            return False
        if key == Qt.Key.Key_F3:
            self.edit_value()
            return True
        if key == Qt.Key.Key_F4:
            self._pick_photos()
            return True
        if mods == Qt.KeyboardModifier.ControlModifier and key in _DIGIT_KEYS:
            if self.record(entry.code, result=COMPLIANCE_CHOICES[_DIGIT_KEYS[key]]) is not None:
                self._after_judgement(entry.code)
            return True
        if key in _DIGIT_KEYS and mods == Qt.KeyboardModifier.NoModifier:
            self.choose(_DIGIT_KEYS[key])
            return True
        if event.text() and event.text().isprintable() and not event.text().isspace():
            # no jumping about by the first letter: a stray key says what the keys do
            self._flash("1 符合　2 不符合　3 部分符合　4 不适用" + (
                "　F3 填写" + self.value_label.text() if entry.item.answer.type in _VALUE_TYPES
                else ""))
            return True
        return False

    def edit_value(self) -> bool:
        """F3: into the value field of a measured, date or text item."""
        entry = self._current_entry()
        if entry is None or entry.item.answer.type not in _VALUE_TYPES:
            self._flash("本项只需判定结果（1–4），没有数值可填")
            return False
        if not self._editable:
            self._flash("检查结果只读")
            return False
        self.value_edit.setFocus()
        self.value_edit.selectAll()
        return True

    def _value_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _ENTER:
            code = self._current
            self._rejected = False
            info = self.set_value_text(self.value_edit.text())
            if self._rejected:
                self.value_edit.setFocus()
                self.value_edit.selectAll()
                return True
            self.table.setFocus()
            if code is not None and (info is not None or self.entry(code).finding.answered):
                self._after_judgement(code)
            else:
                self.move(1)
            return True
        if key == Qt.Key.Key_Escape:
            self._value_code = None
            self._show_current()
            self.table.setFocus()
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.set_value_text(self.value_edit.text())
            self.table.setFocus()
            self.move(-1 if key == Qt.Key.Key_Up else 1)
            return True
        return False

    def _note_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.flush_note()
            self.table.setFocus()
            return True
        if key in _ENTER and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            code = self._current
            self.flush_note()
            self.table.setFocus()
            if code is not None and self._note_code is None:  # saved
                self._after_judgement(code) if self.entry(code).finding.answered \
                    else self.move(1)
            return True
        return False

    # ----- showing ---------------------------------------------------------------------------

    def _current_entry(self) -> EntryRow | None:
        return None if self._current is None else self.entry(self._current)

    def _show_current(self, *, answer_only: bool = False) -> None:
        """Show the current item; ``answer_only`` after a key press on the same item, which
        leaves the question, the details and the buttons' labels as they are."""
        entry = self._current_entry()
        if entry is None:
            return
        f, spec = entry.finding, entry.item.answer
        labels = PROGRESS_KEYS if spec.type == "progress" else COMPLIANCE_CHOICES
        has_value = spec.type in _VALUE_TYPES
        self._loading = True
        try:
            if not answer_only:
                self._show_item(entry, labels, has_value)
            self.carried_label.setVisible(entry.carried)
            current = f.value_text if spec.type == "progress" else f.result
            for i, b in enumerate(self.choice_buttons):
                b.setChecked(labels[i] == current or (i == 3 and f.result == NOT_APPLICABLE))
            if has_value:
                value = f.value
                if isinstance(value, float):
                    value = str(int(value)) if value.is_integer() else str(value)
                self.value_edit.setText(value or "")
                self._show_verdict(self.value_edit.text())
            need = entry.missing_requirement()
            self.required_label.setText(f"判定为不符合：须补充{need}（完成检查时检查）"
                                        if need else "")
            self.required_label.setVisible(bool(need))
            if self._note_code != entry.code and self.note_edit.toPlainText() != (f.note or ""):
                self.note_edit.setPlainText(f.note or "")
            self.photo_label.setText(
                f"本项照片 {entry.photos} 张（可把照片拖到此处或列表中该项上）")
        finally:
            self._loading = False

    def _show_item(self, entry: EntryRow, labels: tuple[str, ...], has_value: bool) -> None:
        item, f, spec = entry.item, entry.finding, entry.item.answer
        self.item_title.setText(f"{item.code}　{item.question}")
        self.item_meta.setText(f"主管部门：{item.competent_department}　·　"
                               f"{item.obligation}　·　{item.section_title}")
        for i, b in enumerate(self.choice_buttons):
            b.setText(f"{i + 1} {labels[i]}")
            b.setEnabled(self._editable)
            tone = _TONES.get(labels[i], "none")
            if b.property("tone") != tone:
                b.setProperty("tone", tone)
                b.style().unpolish(b)
                b.style().polish(b)
        for w in (self.value_label, self.value_edit, self.unit_label, self.verdict_label):
            w.setVisible(has_value)
        if has_value:
            self.value_label.setText(spec.label or {"measure": "实测值", "date": "日期",
                                                    "text": "内容"}[spec.type])
            self.value_edit.setPlaceholderText(
                "2026-03-01" if spec.type == "date" else
                f"标准 {spec.threshold_text()}" if spec.threshold is not None else "")
            self.unit_label.setText(spec.unit or "")
            self.value_edit.setReadOnly(not self._editable)
        rule = REQUIRE_TEXT.get(f.require_on_fail, f.require_on_fail)
        self.require_hint.setText(f"判定不符合时须附{rule}。")
        self.note_edit.setReadOnly(not self._editable)
        self.add_photo_button.setEnabled(self._editable)
        self.details.setHtml(details_html(entry))
        self._show_thumbnails(entry)

    def _show_thumbnails(self, entry: EntryRow) -> None:
        shown: list[EvidenceInfo] = []
        if entry.photos:
            with self._ctx.db.session() as s:
                shown = [e for e in list_evidence(s, self.inspection_id, item_code=entry.code)
                         if e.kind == "photo"][:THUMBNAILS]
        for i, label in enumerate(self.thumbnails):
            thumb = (evidence_files(self._ctx.db.evidence_root, shown[i]).get("thumbnail")
                     if i < len(shown) else None)
            pixmap = QPixmap(str(thumb)) if thumb is not None and thumb.exists() else QPixmap()
            if not pixmap.isNull():
                label.setPixmap(pixmap.scaled(
                    THUMB_SIZE, THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
                e = shown[i]
                label.setToolTip(f"{e.original_name}　{e.caption or ''}".strip())
            label.setVisible(not pixmap.isNull())

    def _show_verdict(self, text: str) -> None:
        entry = self._current_entry()
        if entry is None or entry.item.answer.type != "measure":
            self.verdict_label.setText("")
            return
        spec = entry.item.answer
        text = text.strip()
        if not text:
            verdict, colour = ("", "#374151")
        elif spec.threshold is None:
            verdict, colour = ("无判定标准，请选择结果", "#374151")
        else:
            try:
                ok = spec.meets(float(text.replace(",", "")))
            except ValueError:
                verdict, colour = ("请输入数字", "#b3261e")
            else:
                verdict, colour = ("合格", "#1b7f3b") if ok else ("不合格", "#b3261e")
        self.verdict_label.setText(verdict)
        self.verdict_label.setStyleSheet(f"color:{colour}; font-weight:600;")

    def _update_progress(self) -> None:
        done, total = self.progress()
        failed = sum(1 for r in self.model.rows() if r.finding.result == FAIL)
        missing = sum(1 for r in self.model.rows() if r.missing_requirement())
        text = f"进度：已答 {done} / {total}　·　不符合 {failed}"
        if missing:
            text += f"　·　<span style='color:#b3261e'>待补说明或照片 {missing}</span>"
        self.progress_label.setText(text)

    def _flash(self, text: str) -> None:
        self.saved_label.setText(text)

    def _pick_photos(self) -> None:
        if self._current is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self, "添加本项照片", str(start_dir(PHOTOS)),
            "图片 (*.jpg *.jpeg *.png *.webp);;所有文件 (*)")
        remember(PHOTOS, paths)
        if paths:
            self.filesDropped.emit(paths, self._current)


