"""部门督查: supervision items generated from the catalog's measures, not from a fixed list.

For a department kind (卫生健康, …) and the selected documents, one item asks whether each
measure the department leads or shares has been carried out, naming the measure's first task
and its deadline, with every task listed as a point to check; each quantitative target of such
a measure becomes a ``measure`` item once its deadline has passed (compared with the target's
comparator, ranges included) and a ``progress`` item before it. A target the document only
permits or encourages (有条件的社区可…) is asked as progress and is 鼓励, as is a measure whose
every task encourages. A township (乡镇、街道) gets the measures the documents give to
collectives of governments (各县区党委和政府, 各乡镇人民政府) and the documents' own targets; a
government with no department named answers for every measure of the documents, so measures
that name no units are supervised too. A selection that yields nothing says why. Wording,
sections and defaults come from ``themes/ducha.yaml``.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from checklists.catalog_view import DocumentView, MeasureView, TargetView, UnitView
from checklists.checklist_model import (
    ChecklistItem,
    CitedMeasure,
    Exclusion,
    Selection,
    answer_hash,
)
from checklists.regions import NATIONAL
from checklists.template_model import (
    ENCOURAGEMENT,
    AnswerSpec,
    AppliesTo,
    LegalBasis,
    SupervisionSpec,
    Theme,
    applies_text,
)
from checklists.vocabulary import Vocabulary

ORDER_KIND = "supervision"
LOCAL_GOVERNMENT = "人民政府"
#: The facts a supervision checklist reads: the supervised department's kind.
SUPERVISION_FACTS = ("department_kind",)
_GOVERNMENT_WORDS = ("政府", "党委", "乡镇", "街道", "县区", "旗县")
_TARGET_TEXT = {">=": "不低于{v}{u}", ">": "超过{v}{u}", "<=": "不超过{v}{u}", "<": "低于{v}{u}",
                "=": "为{v}{u}", "range": "在{v}～{m}{u}之间"}
_RECURRENT_DAY = re.compile(r"每年(\d{1,2})月(\d{1,2})日")
_RECURRENT_MONTH_END = re.compile(r"每年(\d{1,2})月(?:底|末)")
_RECURRENT_YEAR_END = re.compile(r"每年(?:年底|年末|底)")
#: A target the document permits or encourages rather than sets: 有条件的社区可…200平方米.
PERMISSIVE = re.compile(r"有条件的[^，。；]{0,15}可|(?:^|[，,])可(?:在|以|根据|按照?)|鼓励|支持")


@dataclass(frozen=True)
class TargetTiming:
    """How a target is checked on a given day."""

    kind: str  # measure (deadline passed or standing) | progress (not due yet)
    deadline_text: str  # 期限：2025年底 / 每年12月25日前（2025年度） / ""


def supervision_items(theme: Theme, sel: Selection, docs: Sequence[DocumentView], *,
                      as_of: date, vocab: Vocabulary
                      ) -> tuple[list[ChecklistItem], list[Exclusion], list[str]]:
    """Items of a supervision theme for the selection, plus exclusions and warnings."""
    spec = theme.supervision
    assert spec is not None
    if sel.entity_type and not vocab.is_any(sel.entity_type, theme.entity_types):
        reason = f"部门督查只适用于政府部门，不适用于“{vocab.type_label(sel.entity_type)}”"
        return [], [Exclusion(theme.code, theme.code, theme.name, reason)], []
    departments = list(sel.departments)
    fact_kind = sel.facts.get(SUPERVISION_FACTS[0])
    if not departments and isinstance(fact_kind, str):
        departments = [fact_kind]
    local = not departments and sel.entity_type in (None, "government", "township_government")
    if not departments and not local:
        return [], [], ["部门督查未指定被督查部门：请选择部门类别（如 卫生健康）"]
    warnings = []
    whole = local and sel.entity_type != "township_government"
    if whole and sel.entity_type is None:
        warnings.append("未指定被督查部门：按地方人民政府整体督查所选文件的全部措施；"
                        "督查某一部门请选择部门类别（如 卫生健康）")
    unitless = [(d, m) for d in docs for m in d.measures if not m.units]
    if unitless and not whole:
        named = "、".join(dict.fromkeys(document_short_title(d.title) for d, _ in unitless))
        warnings.append(f"{named}有 {len(unitless)} 条措施未列出责任单位，未纳入本次督查："
                        "可在政策目录中为这些措施指定责任单位，或以“人民政府”为督查对象整体督查")
    items: list[ChecklistItem] = []
    for doc in docs:
        for m in doc.measures:
            role, competent = _involvement(m, departments, local)
            if role is None and whole:  # the issuing government answers for every measure
                role, competent = "collective", LOCAL_GOVERNMENT
            if role is None:
                continue
            items.append(_measure_item(theme, spec, doc, m, role, competent, vocab))
            if role == "shared" and any(u.role == "lead" for u in m.units):
                continue  # a measure's targets are answered for by whoever leads it
            for n, target in enumerate(m.targets, 1):
                items.append(_target_item(theme, spec, doc, m, target, n, competent, as_of,
                                          vocab))
        if local:
            for n, target in enumerate(doc.targets, 1):
                items.append(_target_item(theme, spec, doc, None, target, n, LOCAL_GOVERNMENT,
                                          as_of, vocab))
    if not items:
        who = "、".join(departments) + "部门" if departments else "地方人民政府"
        warnings.append(f"所选文件中没有由{who}牵头、配合或统筹落实的措施，也没有目标指标，"
                        "督查清单为空：请检查所选文件和被督查部门")
    order = {s.code: i for i, s in enumerate(theme.sections)}
    items.sort(key=lambda it: order[it.section])  # stable: catalog order inside a section
    return items, [], warnings


def target_timing(target: TargetView, as_of: date, document_date: str | None) -> TargetTiming:
    """Compare after the deadline, ask for progress before it.

    A recurrent target (每年12月25日前) is compared for this year once this year's date has
    passed, otherwise for last year, unless last year's date came before the document was
    issued; then this year's round is asked as progress.
    """
    if target.recurrent:
        due = _recurrent_due(target.recurrent, as_of.year)
        if due is None:
            return TargetTiming("progress", f"{target.recurrent}（周期性要求）")
        if as_of > due:
            return TargetTiming("measure", f"{target.recurrent}（{as_of.year}年度）")
        last = _recurrent_due(target.recurrent, as_of.year - 1)
        issued = _iso_date(document_date)
        if last is not None and (issued is None or last >= issued):
            return TargetTiming("measure", f"{target.recurrent}（{as_of.year - 1}年度）")
        return TargetTiming("progress", f"{target.recurrent}（{as_of.year}年度）")
    if not target.deadline:
        return TargetTiming("measure", "")
    due = deadline_end(target.deadline)
    label = _deadline_label(target.deadline)
    if due is None:
        return TargetTiming("progress", f"期限：{target.deadline}")
    return TargetTiming("measure" if as_of > due else "progress", f"期限：{label}")


def deadline_end(deadline: str) -> date | None:
    """The last day a deadline allows: 2025 → 2025-12-31, 2025-06 → 2025-06-30."""
    parts = deadline.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, int(parts[2]))
    except (ValueError, IndexError):
        return None


def target_text(target: TargetView) -> str:
    pattern = _TARGET_TEXT.get(target.comparator, "为{v}{u}")
    return pattern.format(v=_num(target.value), m=_num(target.value_max), u=target.unit)


_GENRES = ("重点任务清单", "任务清单", "实施意见", "实施方案", "工作方案", "若干措施",
           "实施细则", "行动方案", "配套措施", "通知", "意见", "方案", "措施", "办法", "规定")
_REGION_HEAD = re.compile(r"^.{1,8}?(?:自治区|省|市|自治州|盟|县|区|旗)")


def document_short_title(title: str, limit: int = 16) -> str:
    """A document's title short enough for an item's text, inside 《》.

    A long title keeps its issuing region and its genre: 《中宁县…重点任务清单》."""
    if len(title) <= limit:
        return f"《{title}》"
    genre = next((g for g in _GENRES if title.endswith(g)), None)
    head = _REGION_HEAD.match(title)
    if genre is None:
        return f"《{title}》"
    if title.startswith("关于"):
        return f"《关于…的{genre}》" if title.endswith(f"的{genre}") else f"《关于…{genre}》"
    if head is None:
        return f"《{title}》"
    return f"《{head.group(0)}…{genre}》"


def measure_place(doc: DocumentView, m: MeasureView | None) -> str:
    """Where a measure stands, in words: 《中宁县…重点任务清单》第10项 (总体目标 for none)."""
    short = document_short_title(doc.title)
    if m is None:
        return f"{short}总体目标"
    number = m.number.replace("(", "（").replace(")", "）")
    return f"{short}第{number}项"


def _involvement(m: MeasureView, departments: list[str], local: bool
                 ) -> tuple[str | None, str]:
    """(section role, competent department) of a measure for the supervised body."""
    if local:
        if any(u.collective and _is_government_collective(u) for u in m.units):
            return "collective", LOCAL_GOVERNMENT
        return None, ""
    for dept in departments:
        roles = {u.role for u in m.units if u.department_kind == dept}
        if "lead" in roles:
            return "lead", dept
        if roles:
            return "shared", dept
    if any(u.collective and not _is_government_collective(u) for u in m.units):
        return "collective", departments[0]
    return None, ""


def _is_government_collective(unit: UnitView) -> bool:
    return any(w in unit.name for w in _GOVERNMENT_WORDS)


def _measure_item(theme: Theme, spec: SupervisionSpec, doc: DocumentView, m: MeasureView,
                  role: str, competent: str, vocab: Vocabulary) -> ChecklistItem:
    tasks = measure_tasks(m)
    task = _short_task(tasks[0]) if tasks else f"落实“{m.title}”"
    more = f"（另有{len(tasks) - 1}项任务，见核查要点）" if len(tasks) > 1 else ""
    deadline = measure_deadline(m)
    encouraged = bool(tasks) and all(ENCOURAGEMENT.search(t) for t in tasks)
    question = spec.question.format(
        title=m.title, ref=measure_place(doc, m), document=document_short_title(doc.title),
        number=m.number, task=task, more=more,
        deadline=f"（期限：{deadline}）" if deadline else "",
        nature="（鼓励性措施）" if encouraged else "", indicator="", target="", soft="")
    units = "、".join(u.name for u in m.units)
    note = f"文件所列单位：{units}" if units else "文件未列出责任单位，按地方人民政府整体督查"
    points = [f"{_CIRCLED[n] if n < len(_CIRCLED) else f'（{n + 1}）'}{t}"
              for n, t in enumerate(tasks)]
    targets = [f"{t.indicator}{target_text(t)}" for t in m.targets]
    detail = "".join([
        f"核查要点（{measure_place(doc, m)}）：{'；'.join(points)}。" if points else "",
        f"目标指标：{'；'.join(targets)}（另列检查项）。" if targets else "",
        spec.check_detail or ""]) or None
    return _item(theme, spec, doc, m, _code(m.id), spec.sections[role], question,
                 AnswerSpec("compliance"), competent, note, vocab,
                 obligation="鼓励" if encouraged else None, detail=detail)


#: A sentence's lead-in that is not the task itself: 根据…要求，/ 按照…部署，
_LEAD_IN = re.compile(r"^(?:根据|按照|依据|对照)[^，。；]{2,60}?(?:要求|部署|规定|精神|安排)[，,]")
_ADVERBS = re.compile(r"^(?:积极稳妥(?:地)?|切实|着力|大力|认真|积极)(?=[\u4e00-\u9fff])")
_TASK_SPLIT = re.compile(r"[。；;！!？?]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TASK_MAX = 40
_DEADLINE = re.compile(r"(?:到|至|于|在)(20\d{2})年(?:(\d{1,2})月)?(?:底|末)?"
                       r"|(20\d{2})年(?:(\d{1,2})月)?(?:底|末)?前")


def _sentence_of(target: TargetView, m: MeasureView | None) -> str:
    """The measure's sentence (up to 。；) that states the target: 支持合理提高…上限，将…提高到
    20万元-30万元 is permissive though the target's own words are not."""
    source = target.source_text or ""
    if m is None or not source:
        return source
    for sentence in _TASK_SPLIT.split(m.text):
        if source[:12] in sentence:
            return sentence
    return source


def measure_tasks(m: MeasureView) -> list[str]:
    """The measure's tasks, one per sentence, without the title sentence that opens it."""
    text = m.text.strip()
    title = m.title.strip().rstrip("。")
    if title and text.startswith(title):
        text = text[len(title):]
    tasks = []
    for sentence in _TASK_SPLIT.split(text):
        task = _ADVERBS.sub("", _LEAD_IN.sub("", sentence.strip(" ，,、：:\t")))
        if len(task) >= 4:
            tasks.append(task)
    return tasks


def measure_deadline(m: MeasureView) -> str:
    """The measure's own deadline in words (2025年底), from its targets or its text."""
    dated = [t.deadline for t in m.targets if t.deadline]
    if dated:
        return _deadline_label(min(dated))
    match = _DEADLINE.search(m.text)
    if not match:
        return ""
    year = match[1] or match[3]
    month = match[2] or match[4]
    return f"{year}年{int(month)}月底" if month else f"{year}年底"


def _short_task(task: str) -> str:
    """The first task, short enough for a question: cut at a comma outside quotation marks
    (never inside 老人老办法，新人新办法), with …… where words were left out."""
    if len(task) <= _TASK_MAX:
        return task
    depth = 0
    cut = -1
    for n, ch in enumerate(task[:_TASK_MAX]):
        if ch in "“‘《（(":
            depth += 1
        elif ch in "”’》）)":
            depth = max(0, depth - 1)
        elif ch in "，；" and depth == 0 and n >= 8:
            cut = n
    if cut > 0:
        return task[:cut] + "……"
    end = _TASK_MAX
    while depth > 0 and end < len(task):  # never stop inside 《》 or quotation marks
        if task[end] in "”’》）)":
            depth -= 1
        elif task[end] in "“‘《（(":
            depth += 1
        end += 1
    return task if end >= len(task) else task[:end] + "……"


def _target_item(theme: Theme, spec: SupervisionSpec, doc: DocumentView, m: MeasureView | None,
                 target: TargetView, n: int, competent: str, as_of: date,
                 vocab: Vocabulary) -> ChecklistItem:
    timing = target_timing(target, as_of, doc.date)
    permissive = bool(PERMISSIVE.search(_sentence_of(target, m)))
    if permissive:
        timing = TargetTiming("progress", timing.deadline_text)
    ref = measure_place(doc, m)
    fields = {"indicator": target.indicator, "target": target_text(target), "ref": ref,
              "deadline": f"（{timing.deadline_text}）" if timing.deadline_text else "",
              "soft": "（力争）" if target.soft else "", "title": m.title if m else doc.title,
              "document": document_short_title(doc.title), "number": m.number if m else "",
              "task": "", "more": "", "nature": "（鼓励性要求，非硬性指标）" if permissive else ""}
    if timing.kind == "measure":
        question = spec.target_question.format(**fields)
        comparator = target.comparator if target.comparator in _TARGET_TEXT else "="
        answer = AnswerSpec("measure", target.indicator, comparator, target.value,
                            target.value_max if comparator == "range" else None, target.unit)
    else:
        question = spec.progress_question.format(**fields)
        answer = AnswerSpec("progress", target.indicator)
    code = f"{_code(m.id if m else doc.id)}-T{n}"
    note = f"原文：{target.source_text}" if target.source_text else None
    return _item(theme, spec, doc, m, code, spec.sections["target"], question, answer,
                 competent, note, vocab, obligation="鼓励" if permissive else None)


def _item(theme: Theme, spec: SupervisionSpec, doc: DocumentView, m: MeasureView | None,
          code: str, section: str, question: str, answer: AnswerSpec, competent: str,
          note: str | None, vocab: Vocabulary, *, obligation: str | None = None,
          detail: str | None = None) -> ChecklistItem:
    basis = (measure_basis(doc, m),)
    detail = detail or spec.check_detail
    applies = AppliesTo(theme.entity_types)
    sec = theme.section(section)
    cited = (CitedMeasure(m.id, m.ref, m.title, doc.id, doc.title),) if m else ()
    return ChecklistItem(
        code=code, theme=theme.code, section=section, section_title=sec.title if sec else section,
        question=question, how_to_check=spec.how_to_check, check_detail=detail,
        evidence=spec.evidence, legal_basis=basis, obligation=obligation or spec.obligation,
        order_kind=ORDER_KIND, competent_department=competent, measures=cited,
        applies_to=applies, applies_text=applies_text(applies, vocab),
        jurisdiction=doc.region_code or NATIONAL, severity=spec.severity, answer=answer,
        require_on_fail=spec.require_on_fail, pending=False, note=note, user_edited=False,
        text_hash=answer_hash(question, spec.how_to_check, detail, answer, basis))


def measure_basis(doc: DocumentView, m: MeasureView | None,
                  verified: str = "原文") -> LegalBasis:
    """A measure of a policy document as a legal basis (its document's overall goals for
    none): 《…》（文号） with the numbered clause and the measure's words."""
    if m is None:
        clause = "总体目标"
        excerpt = None
    else:
        number = (f"{m.number}." if m.number.isdigit()
                  else m.number.replace("(", "（").replace(")", "）"))
        clause = f"{number}{m.title}"
        excerpt = m.text if len(m.text) <= 160 else m.text[:160] + "……"
    return LegalBasis(f"《{doc.title}》", doc.doc_number, clause, excerpt, verified)


def _code(record_id: str) -> str:
    return "DC-" + hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:10].upper()


def _recurrent_due(text: str, year: int) -> date | None:
    try:
        if match := _RECURRENT_DAY.search(text):
            return date(year, int(match[1]), int(match[2]))
        if match := _RECURRENT_MONTH_END.search(text):
            month = int(match[1])
            return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError:
        return None
    if _RECURRENT_YEAR_END.search(text):
        return date(year, 12, 31)
    return None


def _deadline_label(deadline: str) -> str:
    parts = deadline.split("-")
    if len(parts) == 1:
        return f"{parts[0]}年底"
    if len(parts) == 2:
        return f"{parts[0]}年{int(parts[1])}月底"
    return f"{parts[0]}年{int(parts[1])}月{int(parts[2])}日"


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return deadline_end(text)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
