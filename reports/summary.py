"""督查通报: the summary over a selection of inspections, as PDF.

Compliance rates by theme, region and unit type (DESIGN.md rule, item-weighted, only the latest
signed version of each inspection), charts, the most frequent problems, the rectification
status (closed / open / overdue) by department, how measured and progress items stand against
their standard (e.g. 托位数 against 4.5), and the units that still have open items with the
departments behind them. The figures come from :func:`reports.data.load_summary`, summed in SQL.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, KeepTogether, Spacer
from sqlalchemy.orm import Session

from checklists.departments import standard_name
from checklists.regions import Region, region_by_code
from reports.charts import BAR_ALT, bar_chart, rate_chart
from reports.data import RateRow, ReportSelection, SummaryData, TargetRow, load_summary
from reports.files import CANCELLED
from reports.fonts import ReportFont, font_for_session
from reports.layout import (
    CONTENT_WIDTH,
    Out,
    PageSpec,
    SealPlaceholder,
    Shrinkable,
    Styles,
    build_pdf,
    data_table,
    fmt_date,
    make_styles,
    para,
    title_block,
)
from reports.record import ReportResult
from rules.china_time import today as china_today
from rules.progress import IsCancelled, Progress, Tracker
from services.issued_reports import (
    SUMMARY,
    AlreadyIssued,
    IssuedInfo,
    archive,
    issued_for,
    scope_of,
)
from services.notice_texts import requirement_text
from services.numbering import BULLETIN_SUFFIX, NumberingError, doc_word_for, take_number
from services.selection import resolve_region
from services.settings import DEMO, JURISDICTION, ORGANISATION, get_setting

TITLE = "积极生育支持政策措施落实情况督查通报"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def build_summary_pdf(session: Session, selection: ReportSelection, out: Out, *,
                      as_of: date | None = None, font: ReportFont | None = None,
                      progress: Progress | None = None,
                      is_cancelled: IsCancelled | None = None,
                      numbered: bool = False, archive_root: Path | None = None,
                      again: bool = False) -> ReportResult:
    """Write the 督查通报 for ``selection``; ``as_of`` decides what is overdue (today).

    ``numbered`` finalises it: the 文号 is taken from this device's 通 number block
    (``NumberingError`` when none is left; the number is used only if the caller's
    transaction commits), and with ``archive_root`` (the evidence store) the PDF is kept and
    registered (:mod:`services.issued_reports`). A period already finalised raises
    :class:`services.issued_reports.AlreadyIssued` unless ``again`` (a corrected reissue).
    Otherwise the 文号 line is left for the office to fill in by hand."""
    tracker = Tracker(progress, is_cancelled, cancel_message=CANCELLED)
    scope = summary_scope(selection)
    if numbered and not again:
        earlier = issued_for(session, SUMMARY, scope)
        if earlier is not None:
            raise AlreadyIssued(earlier)
    tracker.report(0, 3, "正在汇总检查数据")
    data = load_summary(session, selection, as_of=as_of)
    tracker.report(1, 3, "正在排版")
    font = font or font_for_session(session)
    org = get_setting(session, ORGANISATION)
    own = region_by_code(get_setting(session, JURISDICTION) or "")
    region = resolve_region(selection.region) if selection.region else own
    concerned = [p.department for p in data.problems] + \
        [r.department for r in data.notices.by_department]
    to, copy = addressees(region, own, get_setting(session, "org_department") or None,
                          concerned)
    year = (as_of or china_today()).year
    if numbered:
        number = take_number(session, suffix=BULLETIN_SUFFIX, year=year, style="document").text
    else:  # a blank for the office's own register: 中宁卫通〔2026〕  号
        try:
            word = doc_word_for(session, BULLETIN_SUFFIX)
        except NumberingError:  # no 机关代字 set: the whole 文号 is written by hand
            word = "　　　"
        number = f"{word}〔{year}〕　　号"
    pages = render_summary(data, out, font=font, org=org, tracker=tracker, to=to, copy=copy,
                           doc_number=number, demo=bool(get_setting(session, DEMO)))
    if numbered and archive_root is not None:
        if not isinstance(out, str | os.PathLike):
            raise TypeError("a finalised 通报 is kept from the file it was written to")
        archive(session, archive_root, kind=SUMMARY, doc_number=number, scope=scope,
                scope_label=selection.describe(), as_of=as_of or china_today(), pages=pages,
                pdf=Path(out))
    tracker.report(3, 3, "完成")
    return ReportResult(pages, font.warning, number if numbered else None)


def summary_scope(selection: ReportSelection) -> str:
    """The period, region, theme and department a 通报 covers, as its archive records it."""
    return scope_of(selection.date_from, selection.date_to, selection.region,
                    selection.theme, selection.department)


def finalised_summary(session: Session, selection: ReportSelection) -> IssuedInfo | None:
    """The 通报 finalised already for the period ``selection`` names, if any."""
    return issued_for(session, SUMMARY, summary_scope(selection))


def _bureau(dept: str | None, level: str) -> str:
    if dept == "卫生健康":
        return "卫生健康委员会" if level in ("province", "city") else "卫生健康局"
    return f"{dept}主管部门" if dept else "有关部门"


def addressees(region: Region | None, own: Region | None, dept: str | None,
               concerned: Sequence[str] = ()) -> tuple[str, str | None]:
    """(主送, 抄送) of the 通报: the bodies one level below the region reported on, or the
    one county bureau a city's selection names; 抄送 the government office of the issuer's
    region and, at that level, the other departments ``concerned`` (those whose problems or
    documents the 通报 reports: 人力资源和社会保障, 消防救援, …). ``dept`` is the issuer's own
    department kind (卫生健康)."""
    if region is None:
        return "各有关单位", None
    issuer = own or region
    office = "人民政府办公厅" if issuer.level == "province" else "人民政府办公室"
    copies = [f"{issuer.name}{office}"] if issuer.level != "national" else []
    if dept:  # an issuing department copies the others; a government's 通报 reaches them all
        for label in dict.fromkeys(concerned):
            name = standard_name(label, issuer) if label != dept else None
            if name and name not in copies:
                copies.append(name)
    copy = "，".join(copies) or None
    if own is not None and region.code != own.code and region.level in ("city", "county"):
        return f"{region.name}{_bureau(dept, region.level)}", copy
    if region.level == "province":
        return f"各市{_bureau(dept, 'city')}", copy
    if region.level == "city":
        return f"各县（区）{_bureau(dept, 'county')}", copy
    if region.level == "county":
        return "各乡（镇）人民政府、街道办事处，县直有关部门", copy
    return "各有关单位", copy


def render_summary(data: SummaryData, out: Out, *, font: ReportFont, org: str | None = None,
                   tracker: Tracker | None = None, to: str = "各有关单位",
                   copy: str | None = None, doc_number: str | None = None,
                   demo: bool = False) -> int:
    """The 通报 as a 公文: the issuing body above the 文号 and the title, 主送, the body, the
    落款 and date, 抄送, and the 印发 line."""
    styles = make_styles(font)
    story: list[Flowable] = [*title_block(styles, TITLE, org=org, doc_number=doc_number)]
    story.append(para(f"（{data.period()}；统计截至{fmt_date(data.as_of)}）",
                      styles.doc_number))
    story.append(para(f"{to}：", styles.body))
    story.append(Spacer(1, 2))
    story += _overall(styles, data)
    n = 2
    for heading, rows, label in (("分主题符合率", data.by_theme, "检查主题"),
                                 ("分地区符合率", data.by_region, "地区"),
                                 ("分单位类型符合率", data.by_entity_type, "单位类型")):
        story += _rate_section(styles, f"{_cn_num(n)}、{heading}", rows, label)
        n += 1
    story += _problems(styles, data, f"{_cn_num(n)}、主要问题")
    story += _rectification(styles, data, f"{_cn_num(n + 1)}、整改落实情况")
    story += _targets(styles, data, f"{_cn_num(n + 2)}、政策措施目标进展")
    story += _open_units(styles, data, f"{_cn_num(n + 3)}、尚有未整改事项的单位")
    closing = para("请各单位对照本通报所列问题和未办结事项，逐项落实整改，按期报送整改情况；"
                   "对逾期未整改和复查未通过的，依法依规进一步处理。", styles.indent)
    # 版记: 抄送, then the 印发 line (who printed it, and when), between rules; it stays on the
    # page of the 落款 and 成文日期, which stay on the page of the last paragraph
    record: list[Flowable] = [
        HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceAfter=3)]
    if copy:
        record += [para(f"抄送：{copy}。", styles.body),
                   HRFlowable(width="100%", thickness=0.4, color=colors.black, spaceBefore=2,
                              spaceAfter=2)]
    office = (org or "").removesuffix("办公室") + "办公室" if org else "印发机关"
    record += [para(f"{office}　　　　{fmt_date(data.as_of)}印发", styles.body),
               HRFlowable(width="100%", thickness=0.8, color=colors.black, spaceBefore=3)]
    story.append(KeepTogether([closing, Spacer(1, 10), SealPlaceholder(styles, org, data.as_of),
                               Spacer(1, 6), *record]))
    spec = PageSpec(header=TITLE, pdf_title=TITLE, pdf_subject=data.selection.describe(),
                    pdf_author=org or "", watermark="演示数据" if demo else None)
    return build_pdf(out, story, styles, spec=spec, tracker=tracker, total_hint=len(story))


def _cn_num(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else f"十{'零一二三四五六七八九'[n - 10]}"


def _overall(styles: Styles, d: SummaryData) -> list[Flowable]:
    o, n = d.overall, d.notices
    waiting = []
    if d.drafts:
        waiting.append(f"草稿 {d.drafts} 次")
    if d.unsigned:
        waiting.append(f"已完成待签名 {d.unsigned} 次")
    left_out = (f"另有{'、'.join(waiting)}因尚未签名定稿，未计入统计" if waiting
                else "本期没有因未签名而未计入统计的检查")
    text = (f"本期共开展检查 {d.inspections} 次，其中已签名定稿、计入统计的 {d.counted} 次，"
            f"涉及被检查单位 {d.units} 家；{left_out}。"
            f"共判定检查项 {o.judged} 项，其中符合 {o.passed} 项、部分符合 {o.partial} 项、"
            f"不符合 {o.failed} 项（另有不适用 {o.not_applicable} 项），总体符合率 {pct(o.rate)}。"
            f"共开具整改文书 {n.total} 份，其中已送达 {n.served} 份、已开具未送达 {n.unserved} 份；"
            f"已送达的责令（指令、督办）类文书 {n.orders_served} 份，已销号 {n.closed} 份，"
            f"未办结 {n.open} 份，其中逾期 {n.overdue} 份，办结率 {pct(n.rate)}。")
    basis = ("注：同一检查有更正的，只计最新的已签名版本。符合率＝（符合项数＋0.5×部分符合项数）"
             "÷（符合＋部分符合＋不符合项数），不适用和未检查的项目不计入；多次检查合并时按检查项加权。")
    return [para("一、总体情况", styles.heading), para(text, styles.indent),
            para(basis, styles.small)]


def _rate_table(styles: Styles, rows: tuple[RateRow, ...], label: str) -> Flowable:
    widths = [45 * mm, 18 * mm, 18 * mm, 18 * mm, 18 * mm, 22 * mm, 26 * mm]
    body = [[r.label, r.inspections, r.passed, r.partial, r.failed, r.not_applicable,
             pct(r.rate)] for r in rows]
    return data_table(styles, [label, "检查次数", "符合", "部分符合", "不符合", "不适用", "符合率"],
                      body, widths, align="LCCCCCC")


def _rate_section(styles: Styles, heading: str, rows: tuple[RateRow, ...],
                  label: str) -> list[Flowable]:
    out: list[Flowable] = [para(heading, styles.heading)]
    if not rows:
        return [*out, para("本期无计入统计的检查。", styles.indent)]
    out.append(_rate_table(styles, rows, label))
    out.append(Spacer(1, 4))
    chart = rate_chart(styles.font, f"{label}符合率", [(r.label, r.rate) for r in rows],
                       width=CONTENT_WIDTH)
    out.append(Shrinkable(chart))
    return out


def _problems(styles: Styles, d: SummaryData, heading: str) -> list[Flowable]:
    out: list[Flowable] = [para(heading, styles.heading)]
    if not d.problems:
        return [*out, para("本期未发现不符合或部分符合的检查项。", styles.indent)]
    # each problem as the requirement it falls short of (母婴室应配备婴儿床), not as the
    # checklist's question
    rows = [[i, _requirement(p.question), p.theme, p.department, p.failed, p.partial]
            for i, p in enumerate(d.problems, start=1)]
    out.append(data_table(styles, ["序号", "未达到的要求", "检查主题", "主管部门", "不符合",
                                   "部分符合"], rows,
                          [10 * mm, 75 * mm, 28 * mm, 20 * mm, 16 * mm, 16 * mm],
                          align="CLLCCC"))
    if len({p.theme for p in d.problems}) > 1:
        out.append(para("注：各检查主题依次取其出现次数最多的问题，再按出现次数排列，"
                        "检查次数较少的主题的主要问题不被略去。", styles.small))
    return out


def _requirement(question: str) -> str:
    """A checklist question as the report states it: 是否配备婴儿床？ → 应配备婴儿床; a progress
    question (……目标（……）推进情况如何？) → the target itself; another form without its
    question marks."""
    if "是否" in question:
        return requirement_text(question)
    return question.replace("推进情况如何？", "").replace("？", "").replace("?", "").strip()


def _rectification(styles: Styles, d: SummaryData, heading: str) -> list[Flowable]:
    s = d.notices
    out: list[Flowable] = [para(heading, styles.heading)]
    if not s.total:
        return [*out, para("本期未开具整改文书。", styles.indent)]
    lines = [f"本期开具整改文书 {s.total} 份，已送达（下达）{s.served} 份。",
             f"责令（指令、督办）类文书已送达 {s.orders_served} 份：已销号 {s.closed} 份，"
             f"未办结 {s.open} 份（其中已逾期 {s.overdue} 份），办结率 {pct(s.rate)}。",
             f"已开具尚未送达 {s.unserved} 份，整改期限尚未起算，不计入下达。"]
    if s.advice:
        lines.append(f"整改建议书等建议类文书 {s.advice} 份，不具强制力，不计入未办结和办结率。")
    if s.failed:
        lines.append(f"复查未通过、待再次责令或移送立案的 {s.failed} 份。")
    if s.other:
        lines.append(f"已再次责令或移送立案 {s.other} 份。")
    if s.referrals:
        lines.append(f"移送有关主管部门处理 {s.referrals} 份（属移送，不计入销号），"
                     f"已收到反馈 {s.answered} 份。")
    for line in lines:
        out.append(para(line, styles.indent))
    if s.by_department:
        rows = [[r.department, r.total, r.unserved, r.orders_served, r.closed, r.open,
                 r.overdue, pct(r.rate)] for r in s.by_department]
        out.append(data_table(styles,
                              ["主管部门", "开具", "未送达", "责令类已送达", "已销号", "未办结",
                               "其中逾期", "办结率"],
                              rows, [37 * mm, 15 * mm, 17 * mm, 25 * mm, 17 * mm, 17 * mm,
                                     19 * mm, 18 * mm],
                              align="LCCCCCCC"))
        out.append(para("注：办结率＝已销号÷已送达的责令（指令、督办）类文书；整改建议书不具强制力，"
                        "移送函属移送，均不计入未办结、逾期和办结率。", styles.small))
        out.append(Spacer(1, 4))
        chart = bar_chart(styles.font, "各部门已送达未办结整改文书（份）",
                          [(r.department, r.open, str(r.open)) for r in s.by_department],
                          width=CONTENT_WIDTH, colour=BAR_ALT)
        out.append(Shrinkable(chart))
    return out


def _targets(styles: Styles, d: SummaryData, heading: str) -> list[Flowable]:
    out: list[Flowable] = [para(heading, styles.heading)]
    if not d.targets:
        return [*out, para("本期没有需要量化核对或进度核对的检查项。", styles.indent)]
    rows: list[list[Any]] = []
    for t in d.targets:
        if t.answer_type == "measure":
            state = t.mean_text or "—"
        else:
            state = "；".join(f"{k} {v}" for k, v in sorted(t.progress.items()))
        rows.append([_requirement(t.question), t.measures or "—", t.standard or "—",
                     target_share(t), state])
    out.append(data_table(styles, ["目标要求", "对应措施", "目标／标准", "达标数（达标率）",
                                   "平均值／进度"],
                          rows, [58 * mm, 32 * mm, 22 * mm, 30 * mm, 23 * mm],
                          align="LLCCC"))
    note = ("注：平均值只列面积、比例、时长、金额等可以平均的指标；个数、楼层、人数等"
            "只列达标情况。")
    if any(t.encouraged and t.answer_type != "measure" for t in d.targets):
        note += "鼓励性措施只列进度，不计完成率。"
    out.append(para(note, styles.small))
    return out


def target_share(t: TargetRow) -> str:
    """The 达标数（达标率） cell: how many answers meet the standard (measured items) or are
    已完成 (progress items); an encouraged measure's progress without a rate."""
    if t.answer_type == "measure":
        return f"{t.met}/{t.answers}（{pct(t.share)}）"
    if t.encouraged:
        return f"{t.met}/{t.answers} 已完成\n（鼓励性措施）"
    return f"{t.met}/{t.answers} 已完成\n（{pct(t.share)}）"


def _open_units(styles: Styles, d: SummaryData, heading: str) -> list[Flowable]:
    out: list[Flowable] = [para(heading, styles.heading)]
    problems, units = d.unnoticed
    unnoticed = (f"另有{units}个单位的{problems}项问题（该单位最近一次检查判定为不符合或部分"
                 "符合）尚未开具整改文书，请核实是否需要依法开具或出具整改建议。"
                 if problems else "")
    if not d.open_units:
        out.append(para("本期没有尚未办结的责令（指令、督办）类整改文书。" + unnoticed,
                        styles.indent))
        return out
    rows = [[i, u.entity_name, u.region or "—", u.departments, u.notices, u.items,
             (u.deadline_text or fmt_date(u.earliest_deadline))
             + ("\n（已逾期）" if u.overdue else "") + ("\n（复查超期）" if u.recheck_late else "")]
            for i, u in enumerate(d.open_units, start=1)]
    out.append(data_table(styles, ["序号", "被检查单位", "地区", "责任（主管）部门", "文书",
                                   "事项", "最早整改期限"], rows,
                          # 人力资源和社会保障 on one line
                          [10 * mm, 42 * mm, 20 * mm, 35 * mm, 12 * mm, 12 * mm, 34 * mm],
                          align="CLLLCCC"))
    notes = []
    if any(u.recheck_late for u in d.open_units):
        notes.append("复查超期：单位已报送整改报告，复查未在规定时限内进行。")
    if unnoticed:
        notes.append(unnoticed)
    if notes:
        out.append(para("注：" + "".join(notes), styles.small))
    return out
