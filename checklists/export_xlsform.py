"""The checklist as an XLSForm (ODK Collect / KoboToolbox), for inspectors who collect on phones.

``survey`` has a header group (entity, date, inspectors), then one group per section; each item
is a ``select_one`` (符合/不符合/部分符合/不适用, or the progress choices), a ``decimal`` for the
measured value of measure items (with the threshold as hint and a constraint that refuses
符合 for a value that misses it), a note and a photo field that become required when the answer
is 不符合 (滞后 for progress) as the item's ``require_on_fail`` says. Field names derive from item
codes (``FXM-A01`` → ``i_FXM_A01``), so submissions map back to items; the checklist's content
hash rides along as a calculate field.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook

from checklists.checklist_model import Checklist, ChecklistItem
from checklists.template_model import AnswerSpec

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint",
                  "constraint_message", "calculation", "appearance", "parameters")
COMPLIANCE_NAMES = {"符合": "fuhe", "不符合": "bufuhe", "部分符合": "bufen", "不适用": "bushiyong"}
PROGRESS_NAMES = {"已完成": "yiwancheng", "推进中": "tuijinzhong", "未启动": "weiqidong",
                  "滞后": "zhihou"}
_FAIL = {"compliance": "bufuhe", "measure": "bufuhe", "date": "bufuhe", "text": "bufuhe",
         "progress": "zhihou"}


def field_name(code: str) -> str:
    """The XLSForm field name of an item: ASCII letters, digits and underscores."""
    return "i_" + re.sub(r"[^A-Za-z0-9_]", "_", code)


def write_xlsform(checklist: Checklist, path: Path) -> Path:
    wb = Workbook()
    survey = wb.active
    assert survey is not None
    survey.title = "survey"
    survey.append(list(SURVEY_COLUMNS))
    for row in survey_rows(checklist):
        survey.append([row.get(col, "") for col in SURVEY_COLUMNS])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for label, name in COMPLIANCE_NAMES.items():
        choices.append(["compliance", name, label])
    for label, name in PROGRESS_NAMES.items():
        choices.append(["progress", name, label])
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "instance_name"])
    settings.append([f"{checklist.title}检查表", f"checklist_{checklist.content_hash[:12]}",
                     checklist.generated_at.strftime("%Y%m%d%H%M"),
                     "concat(${entity_name}, '-', ${inspection_date})"])
    path = Path(path)
    wb.save(path)
    return path


def survey_rows(checklist: Checklist) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = [
        {"type": "begin_group", "name": "header", "label": "基本信息", "appearance": "field-list"},
        {"type": "text", "name": "entity_name", "label": "被检查单位", "required": "yes"},
        {"type": "date", "name": "inspection_date", "label": "检查日期", "required": "yes"},
        {"type": "text", "name": "inspectors", "label": "检查人员", "required": "yes"},
        {"type": "end_group", "name": "header"},
        {"type": "calculate", "name": "checklist_hash",
         "calculation": f"'{checklist.content_hash}'"},
    ]
    names = {t.code: t.name for t in checklist.themes}
    multi = len(checklist.themes) > 1
    for n, section in enumerate(checklist.sections, 1):
        group = f"s{n:02d}_{re.sub(r'[^A-Za-z0-9_]', '_', section.theme)}"
        title = f"{names[section.theme]} · {section.title}" if multi else section.title
        rows.append({"type": "begin_group", "name": group, "label": title})
        for item in checklist.items_in(section):
            rows.extend(_item_rows(item))
        rows.append({"type": "end_group", "name": group})
    return rows


def _item_rows(item: ChecklistItem) -> list[dict[str, str]]:
    base = field_name(item.code)
    answer = item.answer
    hint = _hint(item)
    rows: list[dict[str, str]] = []
    if answer.type == "measure":
        value = f"{base}_value"
        rows.append({
            "type": "decimal", "name": value,
            "label": f"{answer.label or '实测值'}（{answer.unit or ''}）实测值",
            "hint": f"标准：{answer.threshold_text()}", "constraint": ". >= 0",
            "constraint_message": "请填写实测数值（不能为负数，不带单位）。"})
        rows.append({
            "type": "select_one compliance", "name": base, "label": item.question, "hint": hint,
            "required": "yes",
            "constraint": f"not(${{{value}}} != '' and {_misses(answer, value)} and . = 'fuhe')",
            "constraint_message":
                f"实测值未达到标准（{answer.threshold_text()}），不能判定为符合。"})
    elif answer.type == "progress":
        rows.append({"type": "select_one progress", "name": base, "label": item.question,
                     "hint": hint, "required": "yes"})
    else:
        rows.append({"type": "select_one compliance", "name": base, "label": item.question,
                     "hint": hint, "required": "yes"})
        if answer.type in ("date", "text"):
            rows.append({"type": answer.type, "name": f"{base}_value",
                         "label": answer.label or ("日期" if answer.type == "date" else "记录")})
    failed = f"${{{base}}} = '{_FAIL[answer.type]}'"
    photo = f"{base}_photo"
    note_required = {"note": failed, "note_or_photo": f"{failed} and ${{{photo}}} = ''"}
    photo_required = {"photo": failed}
    rows.append({"type": "text", "name": f"{base}_note", "label": "情况说明",
                 "required": note_required.get(item.require_on_fail, ""),
                 "hint": ("判定为不符合时须写明问题" if item.require_on_fail in note_required
                          else "")})
    rows.append({"type": "image", "name": photo, "label": "现场照片",
                 "parameters": "max-pixels=1600",
                 "required": photo_required.get(item.require_on_fail, ""),
                 "hint": {"photo": "判定为不符合时须拍照",
                          "note_or_photo": "判定为不符合时须拍照或填写情况说明"}.get(
                     item.require_on_fail, "")})
    return rows


def _misses(answer: AnswerSpec, value: str) -> str:
    """An XPath expression true when the measured value misses the threshold."""
    v, t = f"${{{value}}}", answer.threshold
    if answer.comparator == "range":
        return f"({v} < {t} or {v} > {answer.threshold_max})"
    return {">=": f"{v} < {t}", ">": f"{v} <= {t}", "<=": f"{v} > {t}", "<": f"{v} >= {t}",
            "=": f"{v} != {t}"}[answer.comparator or "="]


def _hint(item: ChecklistItem) -> str:
    parts = []
    if item.check_detail:
        parts.append(f"检查要点：{item.check_detail}")
    if item.note:
        parts.append(item.note)
    if item.measures:
        parts.append("政策措施：" + "；".join(f"{m.ref} {m.title}" for m in item.measures))
    parts.append("依据：" + "；".join(b.citation() for b in item.legal_basis))
    return "\n".join(parts)
