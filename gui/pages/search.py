"""全文检索: search every measure as you type, narrowed by region, department and topic."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from checklists.regions import LEVELS, NATIONAL, ancestors, region_by_code
from checklists.topics import load_topics
from gui.context import PageContext
from gui.models.base import HTML_ROLE, ROW_ROLE
from gui.models.search_hits import SearchHitModel
from gui.widgets.highlight import RichTextList
from gui.widgets.measure_detail import MeasureDetail
from services.catalog import SearchHit, list_departments, list_documents, search_measures

#: Pause in typing after which the search runs.
DEBOUNCE_MS = 250
LIMIT = 500


class SearchPage(QWidget):
    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title_label = QLabel("全文检索")
        self.title_label.setObjectName("pageTitle")

        self.query_edit = QLineEdit()
        self.query_edit.setObjectName("searchBox")
        self.query_edit.setPlaceholderText(
            "输入关键词，如 托育、母婴设施、产假；多个关键词用空格分开"
        )
        self.query_edit.setClearButtonEnabled(True)
        self.region_combo = QComboBox()
        self.department_combo = QComboBox()
        self.topic_combo = QComboBox()
        for combo, tip in (
            (self.region_combo, "只看该地区及其下辖地区的文件"),
            (self.department_combo, "只看该部门（或该类部门）牵头或参与的措施"),
            (self.topic_combo, "只看该政策主题的措施"),
        ):
            combo.setToolTip(tip)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(9)
            combo.setMaxVisibleItems(20)
        self.department_combo.setMinimumContentsLength(13)
        self.department_combo.view().setMinimumWidth(320)
        self.count_label = QLabel()
        self.count_label.setObjectName("pageSubtitle")

        self.model = SearchHitModel(parent=self)
        self.results_view = RichTextList(self.model, HTML_ROLE)
        self.results_view.setObjectName("cardList")
        self.results_view.selectionModel().currentChanged.connect(self._hit_selected)
        self.detail = MeasureDetail(ctx.db)
        self.detail.unitsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())
        self.detail.topicsChanged.connect(lambda _mid: ctx.events.catalogChanged.emit())

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.query_edit.textChanged.connect(self.timer.start)
        self.query_edit.returnPressed.connect(self.run_search)

        self._fill_filters()
        for combo in (self.region_combo, self.department_combo, self.topic_combo):
            combo.currentIndexChanged.connect(self.run_search)
        self._build_layout()
        ctx.events.catalogChanged.connect(self.refresh)
        self.run_search()

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.query_edit, 1)
        for caption, combo in (
            ("地区", self.region_combo),
            ("部门", self.department_combo),
            ("主题", self.topic_combo),
        ):
            filters.addWidget(QLabel(caption))
            filters.addWidget(combo)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results_view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 560])
        split.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(10)
        box.addWidget(self.title_label)
        box.addLayout(filters)
        box.addWidget(self.count_label)
        box.addWidget(split, 1)

    def _fill_filters(self) -> None:
        with self._ctx.db.session() as session:
            doc_regions = {d.region_code for d in list_documents(session) if d.region_code}
            departments = list_departments(session)
        codes = sorted({c for r in doc_regions for c in ancestors(r) if c != NATIONAL})
        self.region_combo.clear()
        self.region_combo.addItem("全部地区", None)
        for code in codes:
            region = region_by_code(code)
            if region is not None:
                indent = "　" * max(LEVELS.index(region.level) - 1, 0)
                self.region_combo.addItem(indent + region.name, code)

        involvement: dict[str, int] = {}
        for d in departments:
            if d.kind:
                involvement[d.kind] = involvement.get(d.kind, 0) + d.lead + d.shared
        self.department_combo.clear()
        self.department_combo.addItem("全部部门", None)
        for kind in sorted(involvement, key=lambda k: -involvement[k]):
            self.department_combo.addItem(f"{kind}（各地）", kind)
        self.department_combo.insertSeparator(self.department_combo.count())
        for d in sorted((d for d in departments if d.kind), key=lambda d: (d.kind or "", d.name)):
            self.department_combo.addItem(d.name, d.id)

        self.topic_combo.clear()
        self.topic_combo.addItem("全部主题", None)
        for topic in load_topics():
            self.topic_combo.addItem(topic.label, topic.code)

    # --- public API -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the filter lists (a document was imported) and search again."""
        chosen = [
            c.currentData() for c in (self.region_combo, self.department_combo, self.topic_combo)
        ]
        for combo in (self.region_combo, self.department_combo, self.topic_combo):
            combo.blockSignals(True)
        self._fill_filters()
        for combo, value in zip(
            (self.region_combo, self.department_combo, self.topic_combo), chosen, strict=True
        ):
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.run_search()

    def set_filter(self, combo: QComboBox, value: str | None) -> None:
        """Choose a filter value by its data (region code, department id or kind, topic code)."""
        index = combo.findData(value)
        if index < 0:
            raise ValueError(f"没有这个筛选项：{value}")
        combo.setCurrentIndex(index)

    def hits(self) -> list[SearchHit]:
        return self.model.hits()

    def run_search(self) -> None:
        self.timer.stop()
        query = self.query_edit.text().strip()
        region = self.region_combo.currentData()
        department = self.department_combo.currentData()
        topic = self.topic_combo.currentData()
        if not query and not (region or department or topic):
            self.model.set_hits(())
            self.count_label.setText("输入关键词开始检索；两个字的词（如“托育”）也可以。")
            self.detail.show_measure(None)
            return
        with self._ctx.db.session() as session:
            hits = search_measures(
                session, query, region=region, department=department, topic=topic, limit=LIMIT
            )
        self.model.set_hits(hits)
        if not hits:
            self.count_label.setText("没有找到符合条件的措施。可以换一个关键词，或放宽筛选条件。")
            self.detail.show_measure(None)
            return
        documents = len({h.document_id for h in hits})
        more = "（仅显示前 500 项）" if len(hits) >= LIMIT else ""
        self.count_label.setText(f"找到 {len(hits)} 项措施，分布在 {documents} 份文件中{more}")
        self.results_view.selectionModel().setCurrentIndex(
            self.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def _hit_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit = current.data(ROW_ROLE) if current.isValid() else None
        self.detail.show_measure_id(hit.measure_id if hit is not None else None)
