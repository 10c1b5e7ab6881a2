"""What the summary (督查通报) and the ledgers (台账) read, as plain dataclasses, aggregated in SQL.

A :class:`ReportSelection` picks inspections by date (the day the inspection started, local
time), region (the unit's region or any region below it), theme (a theme name as written, its
prefix, or a theme code) and department (an officer of that department took part). Rates follow
DESIGN.md: only the latest signed version of each inspection counts (``counted_inspections``),
符合 1, 部分符合 0.5, 不符合 0, item-weighted. Notices are selected by the day they were issued,
their unit's region, their competent department and their inspection's theme.

Everything is summed by SQLite, so the summary over ten thousand inspections reads a few
hundred rows; checklist snapshots are opened only for the handful of items a table names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, select
from sqlalchemy.orm import Session

from checklists.regions import region_by_code
from checklists.vocabulary import load_vocabulary
from models.inspection import Finding, Inspection, InspectionCounts
from models.rectification import Notice, NoticeItem
from models.registry import Entity
from rules.china_time import beijing
from rules.china_time import today as china_today
from rules.compliance import compliance_rate
from rules.inspection_status import COMPLETED, DRAFT, FAIL, NOT_APPLICABLE, PARTIAL, PASS
from rules.notice_status import (
    FAILED,
    ISSUED,
    OPEN_STATUSES,
    REFERRED,
    REORDERED,
    completion_rate,
)
from services import notice_counts as counts
from services.checklist_snapshot import inspection_snapshot
from services.result_counts import counted_inspections
from services.selection import inspection_terms, notice_terms, resolve_region

ANSWERED = "answered"  # a 移送函 whose receiving department answered (已反馈, 办结)
REFERRAL_KIND = "referral"


@dataclass(frozen=True)
class ReportSelection:
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    region: str | None = None  # 行政区划代码 or name (中宁县, 中宁)
    theme: str | None = None
    department: str | None = None

    def describe(self) -> str:
        """The selection in words, for a report's subtitle."""
        parts = []
        if self.date_from and self.date_to:
            parts.append(f"{_cn(self.date_from)}至{_cn(self.date_to)}")
        elif self.date_from:
            parts.append(f"{_cn(self.date_from)}起")
        elif self.date_to:
            parts.append(f"截至{_cn(self.date_to)}")
        if self.region:
            region = resolve_region(self.region)
            parts.append(region.name)
        if self.theme:
            parts.append(f"主题：{self.theme}")
        if self.department:
            parts.append(f"部门：{self.department}")
        return "；".join(parts) or "全部检查"


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def inspection_filters(sel: ReportSelection) -> list[ColumnElement[bool]]:
    """WHERE terms on Inspection (joined to Entity) for the selection."""
    return inspection_terms(date_from=sel.date_from, date_to=sel.date_to, region=sel.region,
                            theme=sel.theme, department=sel.department)


def selected_inspections(sel: ReportSelection) -> Select[Any]:
    """Ids of every inspection (any status or version) in the selection."""
    return (select(Inspection.id).join(Entity, Entity.id == Inspection.entity_id)
            .where(*inspection_filters(sel)))


def counted_selected(sel: ReportSelection) -> Select[Any]:
    """Ids of the inspections that count (latest signed version) in the selection."""
    return selected_inspections(sel).where(Inspection.id.in_(counted_inspections()))


def notice_filters(sel: ReportSelection) -> list[ColumnElement[bool]]:
    """WHERE terms on Notice (joined to Entity) for the selection."""
    return notice_terms(date_from=sel.date_from, date_to=sel.date_to, region=sel.region,
                        theme=sel.theme, department=sel.department)


# ---------------------------------------------------------------- summary rows


@dataclass(frozen=True)
class RateRow:
    label: str
    inspections: int
    passed: int
    partial: int
    failed: int
    not_applicable: int

    @property
    def judged(self) -> int:
        return self.passed + self.partial + self.failed

    @property
    def rate(self) -> float | None:
        return compliance_rate(self.passed, self.partial, self.failed)


@dataclass(frozen=True)
class ProblemRow:
    item_code: str
    question: str
    theme: str
    department: str
    failed: int
    partial: int
    inspections: int


@dataclass(frozen=True)
class DepartmentNotices:
    """One department's documents; open, overdue, 销号 and 办结率 concern orders only
    (rules.notice_status)."""

    department: str
    total: int  # 开具, every sort
    unserved: int  # 已开具未送达
    orders_served: int  # orders 下达: what 办结率 divides by
    closed: int  # orders 销号
    open: int  # orders served and not finished
    overdue: int  # part of open
    referrals: int = 0  # 移送函
    answered: int = 0  # 移送函 with feedback
    advice: int = 0  # 整改建议书 and the like: no force, not counted as open

    @property
    def served(self) -> int:
        return self.total - self.unserved

    @property
    def rate(self) -> float | None:
        return completion_rate(self.closed, self.orders_served)


@dataclass(frozen=True)
class NoticeStatus:
    """The documents of a selection, counted by rules.notice_status: only orders are open,
    overdue or 销号; a 移送函 is transferred (and answered or not); advice is advice."""

    total: int = 0  # every document issued (开具) in the selection
    unserved: int = 0  # 已开具未送达: not yet 下达, its deadline has not started
    orders_served: int = 0  # orders 下达
    closed: int = 0  # orders 销号
    open: int = 0  # orders served and not finished
    overdue: int = 0  # part of open
    failed: int = 0  # part of open: 复查未通过, awaiting 再次责令 or 移送立案
    other: int = 0  # 已再次责令, 移送立案
    referrals: int = 0  # 移送函 among total
    answered: int = 0  # 移送函 with feedback
    advice: int = 0  # 整改建议书 and the like
    by_department: tuple[DepartmentNotices, ...] = ()

    @property
    def rate(self) -> float | None:
        return completion_rate(self.closed, self.orders_served)

    @property
    def served(self) -> int:
        """下达: the documents served on their addressee."""
        return self.total - self.unserved


_INTERNAL_REF = re.compile(r"（[^（）:：]{1,12}[:：][^（）]{1,12}?([，,；;][^（）]*)?）")
_BRACKETS = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def clean_text(text: str) -> str:
    """An item's text as a report prints it: “” quotes, no internal measure references
    (（中宁:10）, or （宝鸡:3，期限：2025年底） keeping what follows the reference)."""
    def keep_rest(m: re.Match[str]) -> str:
        rest = (m.group(1) or "").lstrip("，,；;")
        return f"（{rest}）" if rest else ""

    return _INTERNAL_REF.sub(keep_rest, text.translate(_BRACKETS)).strip()


def measure_places(measures: list[dict[str, Any]]) -> str:
    """Cited measures in words: 《中宁县…重点任务清单》第10项 (the document's short title)."""
    from checklists.supervision import document_short_title

    out = []
    for m in measures:
        ref = str(m.get("ref") or "")
        number = ref.split(":", 1)[1] if ":" in ref else ref
        number = number.replace("(", "（").replace(")", "）")
        title = m.get("document_title") or ""
        out.append(f"{document_short_title(title)}第{number}项" if title else f"第{number}项")
    return "、".join(dict.fromkeys(out))


@dataclass(frozen=True)
class TargetRow:
    item_code: str
    question: str
    measures: str  # cited measures in words: 《中宁县…重点任务清单》第10项
    standard: str  # ≥4.5个, or the progress choices
    answer_type: str
    answers: int
    met: int  # measured values meeting the standard, or 已完成
    mean: float | None  # measured items
    progress: dict[str, int] = field(default_factory=dict)  # progress items: choice -> count
    unit: str = ""
    obligation: str = ""  # the item's 义务类型 (法定义务, …, 鼓励)

    @property
    def encouraged(self) -> bool:
        """A measure the document encourages rather than requires: its progress is reported,
        not a completion rate that would read as a failure."""
        return self.obligation == "鼓励"

    @property
    def share(self) -> float | None:
        """达标率 (measured) or 完成率 (progress)."""
        return self.met / self.answers if self.answers else None

    @property
    def mean_text(self) -> str:
        """The average with its unit, only where an average means something (an area, a
        share, a duration, an amount); counts, floors and ceilings have none ("")."""
        if self.mean is None or self.unit not in AVERAGE_UNITS:
            return ""
        value = f"{self.mean:.1f}".removesuffix(".0")
        return f"{value}{self.unit}"


AVERAGE_UNITS = frozenset(("%", "㎡", "平方米", "小时", "天", "日", "万元", "元", "分钟", "岁"))


@dataclass(frozen=True)
class OpenUnitRow:
    entity_name: str
    region: str
    notices: int
    items: int
    departments: str
    earliest_deadline: date | None
    overdue: bool
    unserved: bool = False  # a notice of the unit is not served yet
    #: the unit has reported on an order whose recheck is past its time limit (复查超期: the
    #: office's step)
    recheck_late: bool = False

    @property
    def deadline_text(self) -> str:
        """未送达 / 待主管部门反馈 (a served 移送函 has no deadline) when no deadline runs."""
        if self.earliest_deadline is not None:
            return ""
        return "未送达" if self.unserved else "待主管部门反馈"


@dataclass(frozen=True)
class SummaryData:
    selection: ReportSelection
    as_of: date
    inspections: int  # every inspection in the selection
    counted: int  # latest signed versions
    drafts: int  # not counted: 草稿 (not amendments of a signed record)
    unsigned: int  # not counted: 已完成待签名
    units: int
    overall: RateRow
    by_theme: tuple[RateRow, ...]
    by_region: tuple[RateRow, ...]
    by_entity_type: tuple[RateRow, ...]
    problems: tuple[ProblemRow, ...]
    notices: NoticeStatus
    targets: tuple[TargetRow, ...]
    open_units: tuple[OpenUnitRow, ...]
    #: the first and last day (北京时间) of the inspections counted: what a selection without
    #: dates covers
    first_day: date | None = None
    last_day: date | None = None
    #: problems still standing (不符合 or 部分符合 at a unit's latest inspection of the item in
    #: the selection) that no 整改文书 names for that unit: (problems, units)
    unnoticed: tuple[int, int] = (0, 0)

    def period(self) -> str:
        """What the 通报 covers, in words: the selection, and for one without dates the days
        its inspections were made on."""
        said = self.selection.describe()
        dated = self.selection.date_from or self.selection.date_to
        if dated or self.first_day is None or self.last_day is None:
            return said
        days = (f"检查日期{_cn(self.first_day)}" if self.first_day == self.last_day
                else f"检查日期{_cn(self.first_day)}至{_cn(self.last_day)}")
        return f"{said}，{days}" if said == "全部检查" else f"{days}；{said}"


def _sum(col: Any, value: str) -> Any:
    return func.sum(case((col == value, 1), else_=0))


def _rates_by(session: Session, ids: Any, key: Any, join_entity: bool) -> list[Any]:
    stmt = (select(key, func.count(), func.sum(InspectionCounts.passed),
                   func.sum(InspectionCounts.partial), func.sum(InspectionCounts.failed),
                   func.sum(InspectionCounts.not_applicable))
            .select_from(InspectionCounts)
            .join(Inspection, Inspection.id == InspectionCounts.inspection_id))
    if join_entity:
        stmt = stmt.join(Entity, Entity.id == Inspection.entity_id)
    stmt = stmt.where(InspectionCounts.inspection_id.in_(ids)).group_by(key)
    return list(session.execute(stmt).all())


def _finding_rates_by(session: Session, scope: list[ColumnElement[bool]], key: Any) -> list[Any]:
    """Like :func:`_rates_by`, but summed over the findings in ``scope`` (a theme selection)."""
    stmt = (select(key, func.count(func.distinct(Finding.inspection_id)),
                   _sum(Finding.result, PASS), _sum(Finding.result, PARTIAL),
                   _sum(Finding.result, FAIL), _sum(Finding.result, NOT_APPLICABLE))
            .select_from(Finding).join(Inspection, Inspection.id == Finding.inspection_id)
            .join(Entity, Entity.id == Inspection.entity_id).where(*scope).group_by(key))
    return list(session.execute(stmt).all())


def selected_theme_codes(session: Session, sel: ReportSelection, ids: Any) -> list[str] | None:
    """The theme codes the selection's theme stands for (None: no theme chosen)."""
    if not sel.theme:
        return None
    t = sel.theme.strip()
    sample = session.execute(select(Finding.theme, func.min(Finding.inspection_id))
                             .where(Finding.inspection_id.in_(ids))
                             .group_by(Finding.theme)).all()
    names = theme_names(session, {code: iid for code, iid in sample})
    return [code for code, _ in sample if code is not None and (
        code == t or names.get(code, "") == t or names.get(code, "").startswith(t))]


def load_summary(session: Session, sel: ReportSelection, *, as_of: date | None = None,
                 top: int = 10) -> SummaryData:
    """Every figure of the 督查通报 for the selection.

    Without a theme the rates come from the stored per-inspection counts; with one, from that
    theme's findings only, so a two-theme inspection counts with just its chosen half.
    """
    as_of = as_of or china_today()
    ids = counted_selected(sel).scalar_subquery()
    everything = session.scalar(select(func.count()).select_from(
        selected_inspections(sel).subquery())) or 0
    codes = selected_theme_codes(session, sel, ids)
    scope: list[ColumnElement[bool]] = [Finding.inspection_id.in_(ids)]
    if codes is not None:
        scope.append(Finding.theme.in_(codes))

        def rates(key: Any, join_entity: bool) -> list[Any]:
            return _finding_rates_by(session, scope, key)
    else:
        def rates(key: Any, join_entity: bool) -> list[Any]:
            return _rates_by(session, ids, key, join_entity)
    rows = rates(literal_column("1"), False)
    overall = (RateRow("合计", *(int(v or 0) for v in rows[0][1:])) if rows
               else RateRow("合计", 0, 0, 0, 0, 0))
    selected = selected_inspections(sel).where(Inspection.supersedes_id.is_(None))
    pending = dict(session.execute(
        select(Inspection.status, func.count()).where(
            Inspection.id.in_(selected.scalar_subquery()),
            Inspection.status.in_((DRAFT, COMPLETED))).group_by(Inspection.status)).all())
    units = session.scalar(select(func.count(func.distinct(Inspection.entity_id)))
                           .where(Inspection.id.in_(ids))) or 0

    # by theme: item-weighted over the findings of each theme
    theme_rows = session.execute(
        select(Finding.theme, func.count(func.distinct(Finding.inspection_id)),
               _sum(Finding.result, PASS), _sum(Finding.result, PARTIAL),
               _sum(Finding.result, FAIL), _sum(Finding.result, NOT_APPLICABLE),
               func.min(Finding.inspection_id))
        .where(*scope).group_by(Finding.theme)).all()
    names = theme_names(session, {r[0]: r[6] for r in theme_rows})
    by_theme = tuple(sorted(
        (RateRow(names.get(r[0], r[0] or "（未分主题）"), *(int(v or 0) for v in r[1:6]))
         for r in theme_rows), key=lambda r: r.label))

    by_region = []
    for code, *vals in rates(Entity.region_code, True):
        region = region_by_code(code) if code else None
        by_region.append(RateRow(region.name if region else (code or "（未填地区）"),
                                 *(int(v or 0) for v in vals)))
    vocab = load_vocabulary()
    by_type = [RateRow(vocab.type_label(code) if code else "（未分类）",
                       *(int(v or 0) for v in vals))
               for code, *vals in rates(Entity.type_code, True)]

    unnoticed = _unnoticed(session, scope)
    first, last = session.execute(select(func.min(Inspection.started_at),
                                         func.max(Inspection.started_at))
                                  .where(Inspection.id.in_(ids))).one()
    return SummaryData(
        unnoticed=unnoticed,
        first_day=beijing(first).date() if first is not None else None,
        last_day=beijing(last).date() if last is not None else None,
        selection=sel, as_of=as_of, inspections=int(everything), counted=overall.inspections,
        drafts=int(pending.get(DRAFT, 0)), unsigned=int(pending.get(COMPLETED, 0)),
        units=int(units), overall=overall, by_theme=by_theme,
        by_region=tuple(sorted(by_region, key=lambda r: r.label)),
        by_entity_type=tuple(sorted(by_type, key=lambda r: r.label)),
        problems=tuple(_problems(session, scope, names, top)),
        notices=_notice_status(session, sel, as_of), targets=tuple(_targets(session, scope)),
        open_units=tuple(_open_units(session, sel, as_of)))


def theme_names(session: Session, sample: dict[str | None, int]) -> dict[str | None, str]:
    """Theme code -> name, read from one inspection's snapshot per code."""
    out: dict[str | None, str] = {}
    for code, inspection_id in sample.items():
        themes = inspection_snapshot(session, inspection_id).get("themes")
        for t in _json_list(themes):
            if t.get("code") == code:
                out[code] = str(t.get("name") or code)
    return out


def _json_list(raw: Any) -> list[dict[str, Any]]:
    import json

    if isinstance(raw, str):
        raw = json.loads(raw)
    return [x for x in raw or [] if isinstance(x, dict)]


def snapshot_items(session: Session, wanted: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Item code -> the item's snapshot dict, reading one inspection's snapshot per code."""
    out: dict[str, dict[str, Any]] = {}
    by_inspection: dict[int, set[str]] = {}
    for code, inspection_id in wanted.items():
        by_inspection.setdefault(inspection_id, set()).add(code)
    for inspection_id, codes in by_inspection.items():
        items = inspection_snapshot(session, inspection_id).get("items")
        for item in _json_list(items):
            if item.get("code") in codes:
                out[item["code"]] = item
    return out


def _problems(session: Session, scope: list[ColumnElement[bool]],
              names: dict[str | None, str], top: int) -> list[ProblemRow]:
    failed = _sum(Finding.result, FAIL)
    partial = _sum(Finding.result, PARTIAL)
    # each theme's most frequent first: a theme with fewer inspections is not crowded out of
    # the table by the largest one (its top problems are read in turn with the others')
    ranked = session.execute(
        select(Finding.item_code, Finding.theme, func.max(Finding.department), failed, partial,
               func.count(func.distinct(Finding.inspection_id)), func.min(Finding.inspection_id))
        .where(*scope, Finding.result.in_((FAIL, PARTIAL)))
        .group_by(Finding.item_code, Finding.theme)
        .order_by((failed + partial).desc(), Finding.item_code).limit(top * 10)).all()
    rows = _in_turn(ranked, top)
    items = snapshot_items(session, {r[0]: r[6] for r in rows})
    return [ProblemRow(code, clean_text(items.get(code, {}).get("question", code)),
                       names.get(theme, theme or ""), dept or "", int(f or 0), int(p or 0),
                       int(n or 0))
            for code, theme, dept, f, p, n, _ in rows]


def _in_turn(ranked: Sequence[Any], top: int) -> list[Any]:
    """``top`` problems taken theme by theme in turn (each theme's most frequent first, the
    themes in the order of their most frequent problem), then listed most frequent first."""
    by_theme: dict[Any, list[Any]] = {}
    for row in ranked:  # already most frequent first
        by_theme.setdefault(row[1], []).append(row)
    taken: list[Any] = []
    depth = 0
    while len(taken) < top and any(len(rows) > depth for rows in by_theme.values()):
        taken += [rows[depth] for rows in by_theme.values() if len(rows) > depth]
        depth += 1
    order = {id(row): n for n, row in enumerate(ranked)}
    return sorted(taken[:top], key=lambda row: order[id(row)])


def _unnoticed(session: Session, scope: list[ColumnElement[bool]]) -> tuple[int, int]:
    """(problems, units): items whose latest judged result at a unit, among the selected
    inspections, is 不符合 or 部分符合, and that no 整改文书 (of any kind) names for that unit."""
    def latest(results: tuple[str, ...]) -> dict[tuple[int, str], Any]:
        rows = session.execute(
            select(Inspection.entity_id, Finding.item_code, func.max(Inspection.started_at))
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .where(*scope, Finding.result.in_(results))
            .group_by(Inspection.entity_id, Finding.item_code))
        return {(int(e), str(code)): at for e, code, at in rows}

    failing = latest((FAIL, PARTIAL))
    if not failing:
        return 0, 0
    settled = latest((PASS, NOT_APPLICABLE))
    named = {(int(e), str(code)) for e, code in session.execute(
        select(Notice.entity_id, NoticeItem.item_code).join(
            Notice, Notice.id == NoticeItem.notice_id).distinct())}
    standing = [key for key, at in failing.items()
                if key not in named and (key not in settled or settled[key] < at)]
    return len(standing), len({entity for entity, _code in standing})


def _targets(session: Session, scope: list[ColumnElement[bool]]) -> list[TargetRow]:
    """Measured and progress items: how the answers stand against the item's standard."""
    rows = session.execute(
        select(Finding.item_code, Finding.answer_type, func.count(), _sum(Finding.result, PASS),
               func.avg(Finding.value_number), func.min(Finding.inspection_id))
        .where(*scope, Finding.answered.is_(True),
               Finding.answer_type.in_(("measure", "progress")))
        .group_by(Finding.item_code, Finding.answer_type).order_by(Finding.item_code)).all()
    progress: dict[str, dict[str, int]] = {}
    for code, value, n in session.execute(
            select(Finding.item_code, Finding.value_text, func.count())
            .where(*scope, Finding.answered.is_(True), Finding.answer_type == "progress")
            .group_by(Finding.item_code, Finding.value_text)).all():
        progress.setdefault(code, {})[value or "未填"] = int(n)
    items = snapshot_items(session, {r[0]: r[5] for r in rows})
    out = []
    for code, kind, n, passed, mean, _ in rows:
        item = items.get(code, {})
        answer = item.get("answer") or {}
        places = measure_places(list(item.get("measures") or []))
        question = clean_text(item.get("question", code))
        if kind == "measure":
            from checklists.template_model import AnswerSpec

            standard = AnswerSpec.from_dict(answer).threshold_text() if answer else ""
            out.append(TargetRow(code, question, places, standard, kind, int(n),
                                 int(passed or 0), float(mean) if mean is not None else None,
                                 unit=str(answer.get("unit") or ""),
                                 obligation=str(item.get("obligation") or "")))
        else:
            counts = progress.get(code, {})
            out.append(TargetRow(code, question, places, "已完成", kind, int(n),
                                 counts.get("已完成", 0), None, counts,
                                 obligation=str(item.get("obligation") or "")))
    return out


def _notice_status(session: Session, sel: ReportSelection, as_of: date) -> NoticeStatus:
    def count(term: Any) -> Any:
        return func.sum(case((term, 1), else_=0))

    rows = session.execute(
        select(Notice.department, func.count(), count(counts.unserved()),
               count(counts.served_order()), count(counts.closed()), count(counts.open_served()),
               count(counts.overdue(as_of)), count(counts.referral()),
               count(and_(counts.referral(), Notice.status == ANSWERED)),
               count(counts.advice()),
               count(and_(counts.order(), Notice.status == FAILED)),
               count(Notice.status.in_((REORDERED, REFERRED))))
        .join(Entity, Entity.id == Notice.entity_id).where(*notice_filters(sel))
        .group_by(Notice.department).order_by(Notice.department)).all()
    per = tuple(DepartmentNotices(d or "", *(int(v or 0) for v in vals[:9]))
                for d, *vals in rows)

    def total(i: int) -> int:
        return sum(int(r[i] or 0) for r in rows)

    return NoticeStatus(total=total(1), unserved=total(2), orders_served=total(3),
                        closed=total(4), open=total(5), overdue=total(6), referrals=total(7),
                        answered=total(8), advice=total(9), failed=total(10), other=total(11),
                        by_department=per)


def _open_units(session: Session, sel: ReportSelection, as_of: date,
                limit: int = 200) -> list[OpenUnitRow]:
    items = (select(NoticeItem.notice_id, func.count().label("n"))
             .group_by(NoticeItem.notice_id).subquery())
    overdue = counts.overdue(as_of)
    rows = session.execute(
        select(Entity.id, Entity.name, Entity.region_code, func.count(Notice.id),
               func.coalesce(func.sum(items.c.n), 0),
               func.aggregate_strings(Notice.department, ","),
               func.min(Notice.deadline), func.max(case((overdue, 1), else_=0)),
               func.max(case((Notice.status == ISSUED, 1), else_=0)))
        .select_from(Notice).join(Entity, Entity.id == Notice.entity_id)
        .outerjoin(items, items.c.notice_id == Notice.id)
        .where(counts.order(), Notice.status.in_(OPEN_STATUSES), *notice_filters(sel))
        .group_by(Entity.id).order_by(func.max(case((overdue, 1), else_=0)).desc(),
                                      func.min(Notice.deadline), Entity.name)
        .limit(limit)).all()
    late_recheck = _late_rechecks(session, sel, as_of)
    out = []
    for entity_id, name, code, n, k, depts, deadline, late, unserved in rows:
        region = region_by_code(code) if code else None
        unique = "、".join(dict.fromkeys((depts or "").split(",")))
        out.append(OpenUnitRow(name, region.name if region else "", int(n), int(k), unique,
                               _as_date(deadline), bool(late), bool(unserved),
                               entity_id in late_recheck))
    return out


def _late_rechecks(session: Session, sel: ReportSelection, as_of: date) -> set[int]:
    """The units with a reported order whose recheck is past its time limit on ``as_of``,
    as the board's 复查超期 filter finds them."""
    from services.notice_queries import late_recheck_clause, recheck_window

    return {int(entity) for entity in session.scalars(
        select(Notice.entity_id).join(Entity, Entity.id == Notice.entity_id)  # by unit region
        .where(late_recheck_clause(as_of, recheck_window(session)), *notice_filters(sel)))}


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])

