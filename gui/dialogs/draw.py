"""双随机抽查: filters, the hashed pools shown before the draw, the witness's input, the result,
then confirm (draft inspections), discard with a reason, or replay to show it was not rigged.

The work is in :mod:`models.draw`; this dialog only collects input and shows results.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import choosable_regions
from checklists.vocabulary import load_vocabulary
from gui import format as fmt
from gui import messages
from gui.context import AppEvents
from gui.models.base import Column, RowTableModel
from models.db import Database
from rules.china_time import today as china_today
from rules.inspection_status import ENFORCEMENT, KINDS
from rules.random_draw import OUTCOMES
from services.draw_followup import create_draw_inspections, publication
from services.draw_records import (
    DrawError,
    DrawInfo,
    DrawPools,
    DrawResultInfo,
    discard_draw,
    draw_pools,
    get_draw,
    list_draws,
    perform_draw,
    replay_draw,
    set_outcome,
)
from services.roster import list_inspectors
from services.settings import JURISDICTION, get_setting

ALL = "（全部）"
RESULT_COLUMNS = (
    Column[DrawResultInfo]("序号", lambda r: r.position, Qt.AlignmentFlag.AlignCenter),
    Column[DrawResultInfo]("被检查单位", lambda r: r.entity_name),
    Column[DrawResultInfo]("检查人员", lambda r: "、".join(r.inspector_names)),
    Column[DrawResultInfo]("抽查结果", lambda r: r.outcome_label),
    Column[DrawResultInfo]("说明", lambda r: r.outcome_note or ""),
    Column[DrawResultInfo]("检查记录", lambda r: "已建立" if r.inspection_id else ""),
)


def short(digest: str) -> str:
    return f"{digest[:16]}…"


class DrawDialog(QDialog):
    def __init__(self, db: Database, events: AppEvents | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._events = events
        self._pools: DrawPools | None = None
        self.draw: DrawInfo | None = None
        self.confirmed = False  # a draw was turned into draft inspections
        self.setWindowTitle("双随机抽查")
        self.resize(960, 640)

        self.history_combo = QComboBox()
        self.history_combo.activated.connect(self._history_picked)
        self.title_edit = QLineEdit(f"{china_today().year}年双随机抽查")
        self.theme_combo = QComboBox()
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(list(KINDS))
        self.type_combo = QComboBox()
        self.region_combo = QComboBox()
        self.department_combo = QComboBox()
        self.n_spin = QSpinBox()
        self.n_spin.setRange(1, 10000)
        self.n_spin.setValue(5)
        self.per_entity_spin = QSpinBox()
        self.per_entity_spin.setRange(1, 10)
        self.per_entity_spin.setValue(2)
        self.pools_label = QLabel()
        self.pools_label.setWordWrap(True)
        self.pools_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.witness_name_edit = QLineEdit()
        self.witness_name_edit.setPlaceholderText("见证人姓名（非抽取操作人员）")
        self.witness_input_edit = QLineEdit()
        self.witness_input_edit.setPlaceholderText("由见证人当场输入任意内容，如一串数字或词语")
        self.draw_button = QPushButton("抽取")
        self.draw_button.setObjectName("primaryButton")
        self.seed_label = QLabel()
        self.seed_label.setWordWrap(True)
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.results = RowTableModel(RESULT_COLUMNS, parent=self)
        self.table = QTableView()
        self.table.setModel(self.results)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(180)
        self.outcome_combo = QComboBox()
        for o in OUTCOMES:
            self.outcome_combo.addItem(o.label, o.code)
        self.outcome_note_edit = QLineEdit()
        self.outcome_note_edit.setPlaceholderText("无法检查、查无下落、已注销须写明情况")
        self.outcome_button = QPushButton("登记结果")
        self.confirm_button = QPushButton("确认并生成检查草稿")
        self.replay_button = QPushButton("重放核验")
        self.copy_button = QPushButton("复制公示内容")
        self.discard_reason_edit = QLineEdit()
        self.discard_reason_edit.setPlaceholderText("作废理由")
        self.discard_button = QPushButton("作废本次抽取")
        self.replay_label = QLabel()
        self.replay_label.setWordWrap(True)
        self.close_button = QPushButton("关闭")

        self._fill_choices()
        self._build_layout()
        for combo in (self.type_combo, self.region_combo, self.department_combo):
            combo.currentIndexChanged.connect(self.refresh_pools)
        self.theme_combo.currentIndexChanged.connect(self._theme_changed)
        self.draw_button.clicked.connect(self.run_draw)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.confirm_button.clicked.connect(self.confirm)
        self.replay_button.clicked.connect(self.replay)
        self.copy_button.clicked.connect(self.copy_publication)
        self.discard_button.clicked.connect(self.discard)
        self.close_button.clicked.connect(self.accept)
        self._theme_changed()
        self._fill_history()
        self._show_draw(None)

    @classmethod
    def ask(cls, parent: QWidget | None, db: Database, events: AppEvents | None = None) -> bool:
        """Show the dialog; True when a draw was confirmed into draft inspections."""
        dialog = cls(db, events, parent)
        try:
            dialog.exec()
            return dialog.confirmed
        finally:
            dialog.deleteLater()

    # --- public API -------------------------------------------------------------------------

    def set_filters(self, *, type_code: str | None = None, region_code: str | None = None,
                    department: str | None = None) -> None:
        for combo, value in ((self.type_combo, type_code), (self.region_combo, region_code),
                             (self.department_combo, department)):
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)
        self.refresh_pools()

    def refresh_pools(self) -> None:
        """Recompute and show the pools and their hashes (before the witness types)."""
        with self._db.session() as session:
            self._pools = draw_pools(session, **self._filters())
        p = self._pools
        self.pools_label.setText(
            f"被检查单位名录：{len(p.entities)} 户，哈希 {short(p.entity_pool_hash)}\n"
            f"检查人员名录：{len(p.inspectors)} 名（在岗、持执法证），哈希 "
            f"{short(p.inspector_pool_hash)}\n回避登记：{len(p.conflicts)} 条，哈希 "
            f"{short(p.conflicts_hash)}")
        self.pools_label.setToolTip(f"单位名录 SHA-256：{p.entity_pool_hash}\n"
                                    f"人员名录 SHA-256：{p.inspector_pool_hash}")

    def run_draw(self) -> None:
        if self._pools is None:
            self.refresh_pools()
        assert self._pools is not None
        try:
            with self._db.session() as session:
                info = perform_draw(
                    session, title=self.title_edit.text(), theme=self.theme_combo.currentText(),
                    kind=self.kind_combo.currentText(), n=self.n_spin.value(),
                    per_entity=self.per_entity_spin.value(),
                    witness_name=self.witness_name_edit.text(),
                    witness_input=self.witness_input_edit.text(),
                    expected_hashes=(self._pools.entity_pool_hash,
                                     self._pools.inspector_pool_hash), **self._filters())
        except DrawError as exc:
            messages.warning(self, str(exc), title="不能抽取")
            self.refresh_pools()
            return
        self._fill_history()
        self._show_draw(info)

    def record_outcome(self) -> None:
        row = self.selected_result()
        if row is None:
            messages.warning(self, "请先在结果表中选中一户单位。")
            return
        try:
            with self._db.session() as session:
                set_outcome(session, row.id, str(self.outcome_combo.currentData()),
                            note=self.outcome_note_edit.text())
        except DrawError as exc:
            messages.warning(self, str(exc), title="不能登记")
            return
        self.outcome_note_edit.clear()
        self._reload()

    def confirm(self) -> None:
        if self.draw is None:
            return
        from checklists.template_model import TemplateError
        from services.catalog import load_catalog
        from services.user_templates import effective_themes

        try:
            with self._db.session() as session:
                made = create_draw_inspections(session, self.draw.id,
                                               catalog=load_catalog(session),
                                               themes=effective_themes(session),
                                               as_of=china_today())
        except (DrawError, TemplateError) as exc:
            messages.warning(self, str(exc), title="不能生成检查草稿")
            return
        self.confirmed = self.confirmed or bool(made)
        if self._events is not None and made:
            self._events.inspectionsChanged.emit()
        self._reload()
        messages.info(self, f"已生成 {len(made)} 份检查草稿，可在“现场检查”中打开。"
                      if made else "没有需要生成检查草稿的单位。")

    def replay(self) -> None:
        if self.draw is None:
            return
        with self._db.session() as session:
            report = replay_draw(session, self.draw.id)
        lines = [f"{'✓' if c.ok else '✗'} {c.label}：{c.detail}" for c in report.checks]
        verdict = ("重放结果与记录一致，抽取未被改动。" if report.matches
                   else "重放结果与记录不一致！")
        self.replay_label.setText(verdict + "\n" + "；".join(lines))

    def discard(self) -> None:
        if self.draw is None:
            return
        try:
            with self._db.session() as session:
                discard_draw(session, self.draw.id, reason=self.discard_reason_edit.text())
        except DrawError as exc:
            messages.warning(self, str(exc), title="不能作废")
            return
        self.discard_reason_edit.clear()
        self._fill_history()
        self._reload()

    def copy_publication(self) -> None:
        """The draw as tab-separated text for a 公示 notice or a spreadsheet."""
        if self.draw is None:
            return
        with self._db.session() as session:
            pub = publication(session, self.draw.id)
        head = [f"{pub.title}（{pub.status}）",
                f"抽取时间：{fmt.iso_time(pub.drawn_at, seconds=True)}",
                f"见证人：{pub.witness_name}  见证输入：{pub.witness_input}",
                f"单位名录 {pub.entity_pool_size} 户 SHA-256：{pub.entity_pool_hash}",
                f"人员名录 {pub.inspector_pool_size} 名 SHA-256：{pub.inspector_pool_hash}",
                f"随机种子（{pub.algorithm}）：{pub.seed}",
                "序号\t被检查单位\t统一社会信用代码\t所在地区\t检查人员\t抽查结果\t说明"]
        rows = ["\t".join(map(str, (r.position, r.entity_name, r.credit_code, r.region,
                                    r.inspectors, r.outcome, r.note))) for r in pub.rows]
        QGuiApplication.clipboard().setText("\n".join(head + rows))

    def selected_result(self) -> DrawResultInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.results.row_at(rows[0].row()) if rows else None

    # --- internals --------------------------------------------------------------------------

    def _filters(self) -> dict[str, list[str]]:
        def chosen(combo: QComboBox) -> list[str]:
            value = combo.currentData()
            return [str(value)] if value else []

        types = chosen(self.type_combo)
        if not types:
            types = [str(self.type_combo.itemData(i)) for i in range(1, self.type_combo.count())
                     if self.type_combo.itemData(i)]
        return {"entity_types": types, "region_codes": chosen(self.region_combo),
                "departments": chosen(self.department_combo)}

    def _fill_choices(self) -> None:
        from checklists.template_model import TemplateError
        from services.user_templates import effective_themes

        try:
            with self._db.session() as session:
                themes = effective_themes(session)
                departments = sorted({i.department for i in list_inspectors(session)})
                jurisdiction = get_setting(session, JURISDICTION)
        except TemplateError:
            themes, departments, jurisdiction = (), [], None
        self._theme_types = {t.name: tuple(t.entity_types) for t in themes}
        onsite_first = sorted(themes, key=lambda t: t.kind == "supervision")
        self.theme_combo.addItems([t.name for t in onsite_first])
        for region in choosable_regions(jurisdiction):  # within the office's jurisdiction
            if region.level in ("city", "county"):
                self.region_combo.addItem(region.name, region.code)
        self.region_combo.insertItem(0, ALL, None)
        self.region_combo.setCurrentIndex(0)
        self.department_combo.addItem(ALL, None)
        for d in departments:
            self.department_combo.addItem(d, d)

    def _theme_changed(self) -> None:
        vocab = load_vocabulary()
        allowed = self._theme_types.get(self.theme_combo.currentText(), ())
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        self.type_combo.addItem("（本主题适用的全部类型）", None)
        for t in vocab.entity_types:
            if not allowed or vocab.is_any(t.code, list(allowed)):
                self.type_combo.addItem(t.label, t.code)
        self.type_combo.blockSignals(False)
        if self.theme_combo.currentText() == "部门督查":
            self.kind_combo.setCurrentText("督查")
        else:
            self.kind_combo.setCurrentText(ENFORCEMENT)
        self.refresh_pools()

    def _fill_history(self) -> None:
        with self._db.session() as session:
            draws = list_draws(session)
        self.history_combo.clear()
        self.history_combo.addItem("新的抽取", None)
        for d in draws:
            self.history_combo.addItem(f"{fmt.iso_time(d.drawn_at)} {d.title}"
                                       f"（{d.status_label}）", d.id)
        if self.draw is not None:
            self.history_combo.setCurrentIndex(max(0, self.history_combo.findData(self.draw.id)))

    def _history_picked(self, index: int) -> None:
        draw_id = self.history_combo.itemData(index)
        if draw_id is None:
            self._show_draw(None)
            return
        with self._db.session() as session:
            self._show_draw(get_draw(session, int(draw_id)))

    def _reload(self) -> None:
        if self.draw is not None:
            with self._db.session() as session:
                self._show_draw(get_draw(session, self.draw.id))

    def _show_draw(self, info: DrawInfo | None) -> None:
        self.draw = info
        self.results.set_rows(info.results if info else ())
        self.replay_label.clear()
        if info is None:
            self.seed_label.setText("见证人输入后点“抽取”。随机种子由见证输入、名录哈希和抽取时间"
                                    "经 SHA-256 导出，任何人可据公示内容重放核验。")
        else:
            self._show_filters(info)
            extra = f"；作废理由：{info.discard_reason}" if info.discard_reason else ""
            self.seed_label.setText(
                f"{info.title}（{info.status_label}{extra}）\n"
                f"抽取时间：{fmt.iso_time(info.drawn_at, seconds=True)}；"
                f"见证人：{info.witness_name}；见证输入：{info.witness_input}\n"
                f"随机种子：{info.seed}")
        done = info is not None
        valid = done and info is not None and info.status == "valid"
        for w in (self.outcome_button, self.confirm_button, self.discard_button):
            w.setEnabled(valid)
        for w in (self.replay_button, self.copy_button):
            w.setEnabled(done)

    def _show_filters(self, info: DrawInfo) -> None:
        """The filters and numbers a stored draw was made with."""
        self.title_edit.setText(info.title)
        self.theme_combo.setCurrentText(info.theme)
        self.kind_combo.setCurrentText(info.kind)
        self.n_spin.setValue(info.n)
        self.per_entity_spin.setValue(info.per_entity)
        self.witness_name_edit.setText(info.witness_name)
        self.witness_input_edit.setText(info.witness_input)
        for combo, values in ((self.type_combo, info.entity_types),
                              (self.region_combo, info.region_codes),
                              (self.department_combo, info.departments)):
            index = combo.findData(values[0]) if len(values) == 1 else 0
            combo.setCurrentIndex(max(index, 0))

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow("历史抽取", self.history_combo)
        form.addRow("抽查任务", self.title_edit)
        row = QHBoxLayout()
        for label, w in (("检查主题", self.theme_combo), ("检查类型", self.kind_combo)):
            row.addWidget(QLabel(label))
            row.addWidget(w, 1)
        form.addRow(row)
        row = QHBoxLayout()
        for label, w in (("单位类型", self.type_combo), ("地区", self.region_combo),
                         ("人员部门", self.department_combo)):
            row.addWidget(QLabel(label))
            row.addWidget(w, 1)
        form.addRow(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("抽取户数"))
        row.addWidget(self.n_spin)
        row.addWidget(QLabel("每户检查人员"))
        row.addWidget(self.per_entity_spin)
        row.addStretch(1)
        form.addRow(row)
        pools = QGroupBox("抽取前名录（已计算哈希并将记录在案）")
        QVBoxLayout(pools).addWidget(self.pools_label)
        witness = QHBoxLayout()
        witness.addWidget(self.witness_name_edit, 1)
        witness.addWidget(self.witness_input_edit, 2)
        witness.addWidget(self.draw_button)
        outcome = QHBoxLayout()
        outcome.addWidget(self.outcome_combo)
        outcome.addWidget(self.outcome_note_edit, 1)
        outcome.addWidget(self.outcome_button)
        actions = QHBoxLayout()
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.replay_button)
        actions.addWidget(self.copy_button)
        actions.addStretch(1)
        actions.addWidget(self.discard_reason_edit, 1)
        actions.addWidget(self.discard_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(pools)
        box.addWidget(QLabel("见证人"))
        box.addLayout(witness)
        box.addWidget(self.seed_label)
        box.addWidget(self.table, 1)
        box.addLayout(outcome)
        box.addLayout(actions)
        box.addWidget(self.replay_label)
        box.addLayout(bottom)
