"""台账: the inspections, findings and notices of a selection as an Excel workbook (openpyxl).

Sheets: 检查台账 (every inspection in the selection, each version, and whether it counts),
检查结果台账 (every finding of the inspections that count: latest signed versions), 整改台账
(the notices selected as in :mod:`reports.data`), and 双随机抽查公示 (the draws made in the
date range, laid out for publication, void ones marked). Data sheets have a frozen header, a
working auto-filter, set column widths, and real dates. The workbook is openpyxl's write-only
mode; the data rows are streamed from plain SQL rows (no ORM objects) into row markup by
:mod:`reports.xlsx_stream`, so 200,000 findings take seconds and little memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from checklists.regions import region_by_code
from checklists.vocabulary import load_vocabulary
from models.inspection import Finding, Inspection, InspectionCounts, InspectionOfficer
from models.rectification import Notice, NoticeItem
from models.registry import Entity
from reports.data import (
    ReportSelection,
    counted_selected,
    notice_filters,
    selected_inspections,
    theme_names,
)
from reports.files import CANCELLED
from reports.xlsx_stream import SpooledRows, discard, save_with_rows, spool_rows
from rules.china_time import today as china_today
from rules.china_time import wall_clock
from rules.compliance import compliance_rate, shown_result
from rules.inspection_status import STATUS_LABELS
from rules.notice_status import STATUS_LABELS as NOTICE_LABELS
from rules.notice_status import is_overdue
from rules.progress import IsCancelled, Progress, Tracker
from rules.random_draw import ALGORITHM_LABELS, VOID
from services import notice_counts as counts
from services.checklist_snapshot import inspection_snapshot
from services.settings import ORGANISATION, get_setting

DATE_FMT = "yyyy-mm-dd"
TIME_FMT = "yyyy-mm-dd hh:mm"
PCT_FMT = "0.0%"
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
BATCH = 2000
YIELD_PER = 5000  # SQL rows fetched at a time


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    fmt: str | None = None  # number format for dates, times and rates


@dataclass(frozen=True)
class LedgerResult:
    inspections: int
    findings: int
    notices: int
    draws: int


INSPECTION_COLUMNS = (
    Column("检查编号", 9), Column("被检查单位", 30), Column("统一社会信用代码", 21),
    Column("地区", 14), Column("单位类型", 18), Column("检查类别", 9), Column("检查主题", 26),
    Column("检查人员", 26), Column("开始时间", 17, TIME_FMT), Column("结束时间", 17, TIME_FMT),
    Column("状态", 8), Column("版本", 6), Column("计入统计", 9), Column("检查项", 8),
    Column("符合", 7), Column("部分符合", 9), Column("不符合", 8), Column("不适用", 8),
    Column("记录事项", 9), Column("未检查", 8), Column("符合率", 9, PCT_FMT),
)
FINDING_COLUMNS = (
    Column("检查编号", 9), Column("被检查单位", 28), Column("地区", 14),
    Column("检查日期", 12, DATE_FMT),
    Column("项目编码", 14), Column("检查项", 48), Column("主题", 18), Column("主管部门", 16),
    Column("结果", 9), Column("测得值／进度", 14), Column("情况说明", 40),
)
NOTICE_COLUMNS = (
    Column("文书编号", 24), Column("文书名称", 26), Column("主管部门", 16),
    Column("被检查单位", 28),
    Column("地区", 14), Column("检查编号", 9), Column("下达日期", 12, DATE_FMT),
    Column("送达日期", 12, DATE_FMT), Column("整改期限", 12, DATE_FMT), Column("状态", 10),
    Column("是否逾期", 9), Column("事项数", 8), Column("销号日期", 12, DATE_FMT),
)
DRAW_COLUMNS = (Column("序号", 7), Column("被检查单位", 34), Column("统一社会信用代码", 22),
                Column("所在地区", 16), Column("检查人员", 24), Column("抽查结果", 12),
                Column("说明", 30))


def build_ledger_xlsx(session: Session, selection: ReportSelection, out: str | os.PathLike[str],
                      *, as_of: date | None = None, progress: Progress | None = None,
                      is_cancelled: IsCancelled | None = None) -> LedgerResult:
    """Write the 台账 workbook for ``selection`` to ``out`` (replaced atomically)."""
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    as_of = as_of or china_today()
    wb = Workbook(write_only=True)
    org = get_setting(session, ORGANISATION) or "积极生育支持措施落实检查工具"
    wb.properties.creator = wb.properties.lastModifiedBy = org
    wb.properties.title = f"检查与整改台账（{selection.describe()}）"
    wb.properties.subject = "检查与整改台账"
    spools: list[SpooledRows] = []
    try:
        for step, (title, label, columns, rows) in enumerate((
                ("检查台账", "正在导出检查台账", INSPECTION_COLUMNS,
                 _inspection_rows(session, selection)),
                ("检查结果台账", "正在导出检查结果台账", FINDING_COLUMNS,
                 _finding_rows(session, selection)),
                ("整改台账", "正在导出整改台账", NOTICE_COLUMNS,
                 _notice_rows(session, selection, as_of)))):
            tracker.report(step, 4, label)
            spools.append(_sheet(wb, title, columns, rows, tracker))
        tracker.report(3, 4, "正在导出双随机抽查结果")
        n_draw = _draw_sheet(wb, session, selection)
        tracker.check()
    except BaseException:
        discard(wb, spools)
        raise
    save_with_rows(wb, spools, Path(out))
    tracker.report(4, 4, "完成")
    return LedgerResult(spools[0].rows, spools[1].rows, spools[2].rows, n_draw)


def _local(value: datetime | None) -> datetime | None:
    """openpyxl cannot store a time zone: the 北京时间 wall-clock reading, naive."""
    if value is None:
        return None
    return wall_clock(value)


def print_setup(ws: Worksheet, *, title_rows: str | None = "1:1") -> None:
    """Print as a ledger: A4 landscape, all columns on one page width (as many pages down as
    needed), the header row on every page, 1.5 cm margins, 第 X 页 共 Y 页 in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
    ws.evenFooter.center.text = "第 &P 页 共 &N 页"


def _sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]],
           tracker: Tracker) -> SpooledRows:
    """A data sheet: styled header by openpyxl, rows spooled as markup, filter over them all."""
    ws: Worksheet = wb.create_sheet(title)
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    print_setup(ws)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=col.title)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    spool = spool_rows(ws, rows, [c.fmt for c in columns], first_row=2, check=tracker.check,
                       every=BATCH)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{spool.rows + 1}"
    return spool


def _stream(session: Session, stmt: Any) -> Iterable[Any]:
    """Plain result rows, fetched ``YIELD_PER`` at a time rather than all at once."""
    return session.execute(stmt, execution_options={"yield_per": YIELD_PER})


@lru_cache(maxsize=4096)
def _region(code: str | None) -> str:
    region = region_by_code(code) if code else None
    return region.name if region else (code or "")


def _inspection_rows(session: Session, sel: ReportSelection) -> Iterable[list[Any]]:
    vocab = load_vocabulary()
    officers = (select(InspectionOfficer.inspection_id,
                       func.aggregate_strings(InspectionOfficer.name, "、").label("names"))
                .group_by(InspectionOfficer.inspection_id).subquery())
    counted = counted_selected(sel)
    stmt = (select(Inspection.id, Entity.name, Entity.credit_code, Entity.region_code,
                   Entity.type_code, Inspection.kind, Inspection.themes, officers.c.names,
                   Inspection.started_at, Inspection.ended_at, Inspection.status,
                   Inspection.version, case((Inspection.id.in_(counted), 1), else_=0),
                   InspectionCounts.total, InspectionCounts.passed, InspectionCounts.partial,
                   InspectionCounts.failed, InspectionCounts.not_applicable,
                   InspectionCounts.answered)
            .join(Entity, Entity.id == Inspection.entity_id)
            .outerjoin(InspectionCounts, InspectionCounts.inspection_id == Inspection.id)
            .outerjoin(officers, officers.c.inspection_id == Inspection.id)
            .where(Inspection.id.in_(selected_inspections(sel)))
            .order_by(Inspection.started_at, Inspection.id))
    for (iid, name, credit, region, type_code, kind, themes, names, started, ended, status,
         version, is_counted, total, passed, partial, failed, na, answered) in \
            _stream(session, stmt):
        total, passed, partial = total or 0, passed or 0, partial or 0
        failed, na, answered = failed or 0, na or 0, answered or 0
        yield [iid, name, credit or "", _region(region), vocab.type_label(type_code), kind,
               "、".join(themes or []), names or "", _local(started), _local(ended),
               STATUS_LABELS.get(status, status), version, "是" if is_counted else "否", total,
               passed, partial, failed, na, max(0, answered - passed - partial - failed - na),
               total - answered,
               compliance_rate(passed, partial, failed)]


def _questions(session: Session, inspection_ids: Any) -> dict[tuple[str, str], str]:
    """(checklist hash, item code) -> question, one snapshot read per distinct checklist."""
    out: dict[tuple[str, str], str] = {}
    samples = session.execute(select(Inspection.checklist_hash, func.min(Inspection.id))
                              .where(Inspection.id.in_(inspection_ids))
                              .group_by(Inspection.checklist_hash)).all()
    for digest, iid in samples:
        for item in inspection_snapshot(session, iid).get("items") or []:
            out[(digest, item.get("code"))] = item.get("question", "")
    return out


def _finding_rows(session: Session, sel: ReportSelection) -> Iterable[list[Any]]:
    counted = counted_selected(sel)
    questions = _questions(session, counted)
    sample = session.execute(select(Finding.theme, func.min(Finding.inspection_id))
                             .where(Finding.inspection_id.in_(counted))
                             .group_by(Finding.theme)).all()
    themes = theme_names(session, {theme: iid for theme, iid in sample})
    stmt = (select(Finding.inspection_id, Entity.name, Entity.region_code, Inspection.started_at,
                   Inspection.checklist_hash, Finding.item_code, Finding.theme,
                   Finding.department, Finding.result, Finding.answer_type,
                   Finding.value_number, Finding.value_text, Finding.note, Finding.answered)
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .join(Entity, Entity.id == Inspection.entity_id)
            .where(Finding.inspection_id.in_(counted))
            .order_by(Inspection.started_at, Finding.inspection_id, Finding.position))
    last_started: datetime | None = None
    day: date | None = None
    for (iid, name, region, started, digest, code, theme, dept, result, kind, number, text,
         note, answered) in _stream(session, stmt):
        value: Any = number if kind == "measure" else text
        if started != last_started:  # rows come by inspection: one conversion each
            last_started, local = started, _local(started)
            day = local.date() if local else None
        yield [iid, name, _region(region), day, code,
               questions.get((digest, code), ""), themes.get(theme, theme or ""), dept or "",
               shown_result(result, bool(answered)),
               "" if value is None else value, note or ""]


def _notice_rows(session: Session, sel: ReportSelection, as_of: date) -> Iterable[list[Any]]:
    items = (select(NoticeItem.notice_id, func.count().label("n"))
             .group_by(NoticeItem.notice_id).subquery())
    stmt = (select(Notice.doc_number, Notice.title, Notice.department, Entity.name,
                   Entity.region_code, Notice.inspection_id, Notice.issued_on, Notice.served_on,
                   Notice.deadline, Notice.status, items.c.n, Notice.closed_on,
                   counts.order().label("is_order"))
            .join(Entity, Entity.id == Notice.entity_id)
            .outerjoin(items, items.c.notice_id == Notice.id)
            .where(*notice_filters(sel)).order_by(Notice.issued_on, Notice.doc_number))
    for (number, title, dept, name, region, iid, issued, served, deadline, status, n,
         closed, is_order) in _stream(session, stmt):
        overdue = is_overdue(status, deadline, as_of, is_order=bool(is_order))
        yield [number, title, dept, name, _region(region), iid, issued, served, deadline,
               NOTICE_LABELS.get(status, status),
               ("是" if overdue else "否") if is_order else "不适用", n or 0, closed]


def _draw_sheet(wb: Workbook, session: Session, sel: ReportSelection) -> int:
    """The draws made in the date range, each as a 公示 block: facts, then the drawn units."""
    try:
        from services.draw_followup import publication
        from services.draw_records import list_draws
    except ImportError:  # the draw module is optional for the ledger
        return 0
    draws = [d for d in list_draws(session) if _in_range(d.drawn_at, sel)]
    if not draws:
        return 0
    draws.sort(key=lambda d: d.status == VOID)  # a voided draw after the ones in force
    ws: Worksheet = wb.create_sheet("双随机抽查公示")
    print_setup(ws, title_rows=None)  # one 公示 block after another: no single header row
    for i, col in enumerate(DRAW_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    bold = Font(bold=True, size=14)
    for d in draws:
        pub = publication(session, d.id)
        void = d.status == VOID
        title = WriteOnlyCell(ws, value=f"{pub.title}　抽查结果公示"
                              + ("（本次抽取已作废）" if void else ""))
        title.font = bold
        ws.append([title])
        drawn = _local(datetime.fromisoformat(pub.drawn_at))
        facts = [("检查主题", pub.theme), ("检查类别", pub.kind),
                 ("抽取时间", drawn.strftime("%Y-%m-%d %H:%M") if drawn else pub.drawn_at),
                 ("状态", pub.status + (f"（{pub.discard_reason}）" if pub.discard_reason else "")),
                 ("见证人", pub.witness_name), ("见证人输入", pub.witness_input),
                 ("随机种子", pub.seed),
                 ("算法", ALGORITHM_LABELS.get(pub.algorithm, pub.algorithm)),
                 ("单位名录", f"{pub.entity_pool_size} 家（SHA-256 {pub.entity_pool_hash}）"),
                 ("检查人员名录",
                  f"{pub.inspector_pool_size} 人（SHA-256 {pub.inspector_pool_hash}）")]
        for label, value in facts:
            ws.append([label, _text(ws, value)])
        header = []
        for col in DRAW_COLUMNS:
            cell = WriteOnlyCell(ws, value=col.title)
            cell.font, cell.fill = HEAD_FONT, HEAD_FILL
            header.append(cell)
        ws.append(header)
        for r in pub.rows:
            outcome = "已作废，不检查" if void else r.outcome
            ws.append([r.position, *(_text(ws, v) for v in (
                r.entity_name, r.credit_code, r.region, r.inspectors, outcome, r.note))])
        ws.append([])
    return len(draws)


def _text(ws: Any, value: object) -> object:
    """A cell that holds ``value`` as text: a name or a witness's input that starts with "="
    must never become a formula in the published sheet."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _in_range(drawn_at: str, sel: ReportSelection) -> bool:
    try:
        when = _local(datetime.fromisoformat(drawn_at))
    except ValueError:
        return True
    if when is None:
        return True
    day = when.date()
    return ((sel.date_from is None or day >= sel.date_from)
            and (sel.date_to is None or day <= sel.date_to))
