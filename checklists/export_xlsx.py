"""The fillable Excel checklist: prints well on A4 and reads back as findings.

One sheet, 检查清单, holds a header block (theme, documents, entity, date, blank lines for the
inspectors), then the items grouped by section with a drop-down result column, a standard and
a measured-value column for measure items, a note column, and two hidden, locked columns with
the item code and text hash that :mod:`checklists.xlsx_findings` matches answers by. A hidden
``_meta`` sheet carries the format version, the selection and the whole checklist snapshot, so
an imported workbook can be checked against exactly the checklist it was printed from.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from checklists.checklist_model import Checklist, ChecklistItem
from checklists.conditions import describe_value
from checklists.snapshot import to_snapshot
from checklists.template_model import COMPLIANCE_CHOICES, PROGRESS_CHOICES
from checklists.vocabulary import load_vocabulary

XLSX_FORMAT = "shengyu-checklist-xlsx"
XLSX_FORMAT_VERSION = 1
SHEET = "检查清单"
META_SHEET = "_meta"
CHUNK = 30000  # characters per _meta cell (Excel allows 32,767)

# (header, width); the order is the column order. The reader finds columns by header text.
COLUMNS = (
    ("序号", 5), ("检查内容", 40), ("检查方法与佐证", 16), ("政策措施", 20), ("法律依据", 26),
    ("性质", 8), ("检查结果", 10), ("标准", 9), ("实测值", 9), ("情况说明", 22),
    ("检查项编码", 12), ("校验值", 12),
)
COL = {name: i + 1 for i, (name, _) in enumerate(COLUMNS)}
INPUT_COLUMNS = ("检查结果", "实测值", "情况说明")
HIDDEN_COLUMNS = ("检查项编码", "校验值")
# Header block: (label, key, row, label column, value column). Values right of their labels.
HEADER_FIELDS = (
    ("被检查单位", "entity_name", 4, 1, 3), ("单位类型", "entity_type", 4, 6, 7),
    ("检查日期", "inspection_date", 5, 1, 3), ("检查部门", "departments", 5, 6, 7),
    ("检查人员", "inspectors", 6, 1, 3), ("执法证号", "badge_numbers", 6, 6, 7),
    ("被检查单位负责人", "entity_contact", 7, 1, 3), ("联系电话", "phone", 7, 6, 7),
)
LAST_COL = COL["情况说明"]  # the visible width of the form
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_SECTION_FILL = PatternFill("solid", fgColor="DDE7F0")
_HEADER_FILL = PatternFill("solid", fgColor="BFCFDF")
_UNLOCKED = Protection(locked=False)
_CENTERED = ("序号", "性质", "检查结果", "标准", "实测值")


def write_checklist_xlsx(checklist: Checklist, path: Path, *, entity_label: str | None = None,
                         documents: list[str] | None = None) -> Path:
    """Write the fillable workbook. ``entity_label`` and ``documents`` (titles) fill the
    header block; both are optional."""
    wb = Workbook()
    wb.properties.creator = wb.properties.lastModifiedBy = "积极生育支持措施落实检查工具"
    wb.properties.title = f"检查清单（{entity_label}）" if entity_label else "检查清单"
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    header_row = _header_block(ws, checklist, entity_label, documents or [])
    _table(ws, checklist, header_row)
    _page_setup(ws, checklist, header_row)
    _meta(wb.create_sheet(META_SHEET), checklist)
    path = Path(path)
    wb.save(path)
    return path


def item_rows(checklist: Checklist) -> list[tuple[str, ChecklistItem | str]]:
    """('section', title) and ('item', item) rows in print order."""
    rows: list[tuple[str, ChecklistItem | str]] = []
    multi = len(checklist.themes) > 1
    names = {t.code: t.name for t in checklist.themes}
    for section in checklist.sections:
        title = f"{names[section.theme]} · {section.title}" if multi else section.title
        rows.append(("section", title))
        rows.extend(("item", item) for item in checklist.items_in(section))
    return rows


def _header_block(ws: Worksheet, checklist: Checklist, entity_label: str | None,
                  documents: list[str]) -> int:
    last = get_column_letter(LAST_COL)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{checklist.title}检查表"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = _CENTER
    ws.row_dimensions[1].height = 28
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = "检查依据：" + ("；".join(f"《{d}》" for d in documents) if documents
                             else "（未指定政策文件）")
    ws["A2"].alignment = _WRAP
    ws.row_dimensions[2].height = max(18, 15 * math.ceil(len(str(ws["A2"].value)) / 110))
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = (f"清单编号：{checklist.content_hash[:12]}    "
                f"依据日期：{checklist.as_of.isoformat()}"
                f"    检查项：{len(checklist.items)} 项")
    prefilled = {"entity_type": entity_label or "",
                 "departments": "、".join(checklist.selection.departments)}
    for label, key, row, label_col, value_col in HEADER_FIELDS:
        ws.cell(row, label_col, label).font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=label_col, end_row=row,
                       end_column=value_col - 1)
        end = value_col + 2 if value_col < COL["性质"] else LAST_COL
        ws.merge_cells(start_row=row, start_column=value_col, end_row=row, end_column=end)
        cell = ws.cell(row, value_col, prefilled.get(key, ""))
        cell.protection = _UNLOCKED
        for col in range(label_col, end + 1):
            ws.cell(row, col).border = _BORDER
        ws.row_dimensions[row].height = 22
    facts = checklist.selection.facts
    row = HEADER_FIELDS[-1][2] + 1
    if facts:
        ws.merge_cells(f"A{row}:{last}{row}")
        vocab = load_vocabulary()
        known = "；".join(describe_value(k, v, vocab) for k, v in facts.items())
        ws.cell(row, 1, f"单位情况：{known}")
        row += 1
    return row + 1


def _table(ws: Worksheet, checklist: Checklist, header_row: int) -> None:
    for name, col in COL.items():
        cell = ws.cell(header_row, col, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(col)].width = COLUMNS[col - 1][1]
    for name in HIDDEN_COLUMNS:
        ws.column_dimensions[get_column_letter(COL[name])].hidden = True
    compliance = _list_validation(COMPLIANCE_CHOICES, "检查结果",
                                  "请从下拉列表中选择：符合、不符合、部分符合、不适用")
    progress = _list_validation(PROGRESS_CHOICES, "推进情况",
                                "请从下拉列表中选择：已完成、推进中、未启动、滞后")
    number = DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                            formula2="1000000000000", allow_blank=True, showErrorMessage=True,
                            errorTitle="实测值", error="请填写数字（不带单位）。")
    day = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                         showErrorMessage=True, errorTitle="日期",
                         error="请填写日期，例如 2026-03-01。")
    for dv in (compliance, progress, number, day):
        ws.add_data_validation(dv)
    row = header_row + 1
    running_number = 0
    for _, entry in item_rows(checklist):
        if isinstance(entry, str):
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COL)
            cell = ws.cell(row, 1, entry)
            cell.font = Font(bold=True)
            cell.fill = _SECTION_FILL
            for col in range(1, LAST_COL + 1):
                ws.cell(row, col).border = _BORDER
            ws.row_dimensions[row].height = 20
            row += 1
            continue
        running_number += 1
        _item_row(ws, row, running_number, entry)
        result_ref = f"{get_column_letter(COL['检查结果'])}{row}"
        value_ref = f"{get_column_letter(COL['实测值'])}{row}"
        (progress if entry.answer.type == "progress" else compliance).add(result_ref)
        if entry.answer.type == "measure":
            number.add(value_ref)
        elif entry.answer.type == "date":
            day.add(value_ref)
        row += 1
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.protection.sheet = True
    ws.protection.formatRows = False  # people may make a row taller to write more
    ws.protection.formatCells = False


def _item_row(ws: Worksheet, row: int, number: int, item: ChecklistItem) -> None:
    content = item.question
    if item.check_detail:
        content += f"\n检查要点：{item.check_detail}"
    if item.note:
        content += f"\n※ {item.note}"
    method = "、".join(item.how_to_check)
    if item.evidence:
        method += "\n佐证：" + "、".join(item.evidence)
    measures = "\n".join(f"{m.ref} {m.title}" for m in item.measures) or "—"
    basis = "\n".join(b.citation() for b in item.legal_basis)
    values = {
        "序号": number, "检查内容": content, "检查方法与佐证": method, "政策措施": measures,
        "法律依据": basis, "性质": f"{item.obligation}\n{item.severity}",
        "标准": item.answer.threshold_text() or ("填日期" if item.answer.type == "date" else ""),
        "检查项编码": item.code, "校验值": item.text_hash,
    }
    for name, col in COL.items():
        cell = ws.cell(row, col, values.get(name))
        cell.border = _BORDER
        cell.alignment = _CENTER if name in _CENTERED else _WRAP
        if name in INPUT_COLUMNS:
            cell.protection = _UNLOCKED
    lines = max(_lines(str(values[n]), COLUMNS[COL[n] - 1][1])
                for n in ("检查内容", "检查方法与佐证", "政策措施", "法律依据"))
    ws.row_dimensions[row].height = max(30, min(400, 14 * lines + 4))


def _page_setup(ws: Worksheet, checklist: Checklist, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    last = get_column_letter(LAST_COL)
    ws.print_area = f"A1:{last}{ws.max_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = f"{checklist.title}检查表"
    ws.oddHeader.right.text = f"清单编号 {checklist.content_hash[:12]}"
    ws.oddFooter.left.text = "检查人员签名：                被检查单位签名："
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _meta(ws: Worksheet, checklist: Checklist) -> None:
    snapshot = json.dumps(to_snapshot(checklist), ensure_ascii=False, separators=(",", ":"))
    parts = [snapshot[i:i + CHUNK] for i in range(0, len(snapshot), CHUNK)] or [""]
    rows: list[tuple[str, str | int]] = [
        ("format", XLSX_FORMAT), ("format_version", XLSX_FORMAT_VERSION),
        ("content_hash", checklist.content_hash), ("as_of", checklist.as_of.isoformat()),
        ("generated_at", checklist.generated_at.isoformat()),
        ("themes", json.dumps([t.code for t in checklist.themes], ensure_ascii=False)),
        ("selection", json.dumps(checklist.selection.to_dict(), ensure_ascii=False)),
        ("sheet", SHEET), ("snapshot_parts", len(parts)),
    ]
    rows += [(f"snapshot_{n}", part) for n, part in enumerate(parts, 1)]
    for r, (key, value) in enumerate(rows, 1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 80
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _list_validation(choices: tuple[str, ...], title: str, prompt: str) -> DataValidation:
    return DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle=title, error=prompt,
                          showInputMessage=True, promptTitle=title, prompt=prompt)


def _lines(text: str, width: int) -> int:
    """Printed lines of wrapped text in a column ``width`` characters wide. Excel does not fit
    row heights when it opens a file, so they are estimated here, a little generously (a CJK
    character is about 1.8 widths of the digit that column widths are measured in)."""
    capacity = max(1, width - 1)
    total = 0
    for line in text.split("\n"):
        cells = sum(1.8 if ord(ch) > 0x2E80 else 1.0 for ch in line)
        total += max(1, math.ceil(cells / capacity))
    return total
