"""Reading a filled-in Excel checklist back: per item code and text hash, result, value, note.

The workbook must be one written by :mod:`checklists.export_xlsx` (its ``_meta`` sheet says so
and carries the checklist it was printed from). Rows are matched by the hidden item code;
a row whose hidden text hash differs from the checklist's, a code the checklist does not know,
an answer outside the drop-down's choices or a non-numeric measured value are reported, never
silently accepted or dropped. Importing the findings into an inspection is the caller's job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from checklists.checklist_model import Checklist, ChecklistItem
from checklists.export_xlsx import (
    HEADER_FIELDS,
    META_SHEET,
    SHEET,
    XLSX_FORMAT,
    XLSX_FORMAT_VERSION,
)
from checklists.snapshot import SnapshotError, from_snapshot

_REQUIRED = ("检查结果", "实测值", "情况说明", "检查项编码", "校验值")


class XlsxFormatError(ValueError):
    """The workbook is not a checklist this program wrote, or its columns were changed."""


@dataclass(frozen=True)
class FilledRow:
    row: int  # worksheet row number, for messages
    code: str
    text_hash: str
    result: str | None  # 符合 / 不符合 / 部分符合 / 不适用, or a progress choice
    value: float | str | None  # measured number, ISO date, or text
    note: str | None


@dataclass(frozen=True)
class FilledChecklist:
    path: Path
    format_version: int
    content_hash: str
    selection: dict[str, Any]
    header: dict[str, str]  # entity_name, inspection_date, inspectors, … as typed
    checklist: Checklist  # the checklist the workbook was printed from (or the one given)
    rows: tuple[FilledRow, ...]  # every item row, answered or not, in sheet order
    stale: tuple[FilledRow, ...]  # hidden text hash differs from the checklist's item
    unknown: tuple[FilledRow, ...]  # item code the checklist does not contain
    missing: tuple[str, ...]  # checklist item codes with no row in the sheet
    problems: tuple[str, ...]  # Chinese, one per invalid cell

    @property
    def answered(self) -> tuple[FilledRow, ...]:
        """Rows that match the checklist and carry an answer."""
        bad = {r.row for r in self.stale + self.unknown}
        return tuple(r for r in self.rows if r.row not in bad
                     and (r.result or r.value is not None or r.note))

    def by_code(self) -> dict[str, FilledRow]:
        return {r.code: r for r in self.rows}


def read_filled_checklist(path: Path, against: Checklist | None = None) -> FilledChecklist:
    """Read a filled workbook. ``against`` checks rows against a given checklist instead of
    the one embedded in the workbook. Raises :class:`XlsxFormatError` for a workbook that is
    not one of ours or whose columns were changed."""
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise XlsxFormatError(f"无法打开 Excel 文件 {path.name}：{exc}") from exc
    if META_SHEET not in wb.sheetnames:
        raise XlsxFormatError(f"{path.name} 不是本软件导出的检查表（缺少 {META_SHEET} 工作表）。")
    meta = _meta(wb[META_SHEET], path.name)
    if SHEET not in wb.sheetnames:
        raise XlsxFormatError(f"{path.name} 缺少“{SHEET}”工作表。")
    ws = wb[SHEET]
    header_row, cols = _columns(ws, path.name)
    checklist = against or meta["checklist"]
    items = {i.code: i for i in checklist.items}
    rows: list[FilledRow] = []
    problems: list[str] = []
    for r in range(header_row + 1, ws.max_row + 1):
        code = _text(ws.cell(r, cols["检查项编码"]).value)
        if not code:
            continue
        item = items.get(code)
        result = _text(ws.cell(r, cols["检查结果"]).value)
        raw_value = ws.cell(r, cols["实测值"]).value
        note = _text(ws.cell(r, cols["情况说明"]).value)
        if item is not None and result and result not in item.answer.choices:
            problems.append(f"第{r}行（{code}）：检查结果“{result}”无效，应为 "
                            f"{'、'.join(item.answer.choices)} 之一")
            result = None
        value = _value(raw_value, item, r, code, problems)
        rows.append(FilledRow(r, code, _text(ws.cell(r, cols["校验值"]).value) or "", result,
                              value, note))
    seen = {row.code for row in rows}
    duplicates = sorted({row.code for row in rows if sum(x.code == row.code for x in rows) > 1})
    problems += [f"检查项 {code} 在表中出现多次" for code in duplicates]
    return FilledChecklist(
        path=path, format_version=meta["version"], content_hash=meta["content_hash"],
        selection=meta["selection"], header=_header(ws, header_row), checklist=checklist,
        rows=tuple(rows),
        stale=tuple(r for r in rows if r.code in items and r.text_hash != items[r.code].text_hash),
        unknown=tuple(r for r in rows if r.code not in items),
        missing=tuple(c for c in items if c not in seen), problems=tuple(problems))


def _meta(ws: Worksheet, name: str) -> dict[str, Any]:
    values = {str(row[0]): row[1] for row in ws.iter_rows(min_col=1, max_col=2, values_only=True)
              if row[0] is not None}
    if values.get("format") != XLSX_FORMAT:
        raise XlsxFormatError(f"{name} 不是本软件导出的检查表（格式标识不符）。")
    version = values.get("format_version")
    if not isinstance(version, int) or version > XLSX_FORMAT_VERSION:
        raise XlsxFormatError(f"{name} 的格式版本 {version} 高于本软件支持的 "
                              f"{XLSX_FORMAT_VERSION}，"
                              "请升级软件。")
    try:
        parts = int(values.get("snapshot_parts") or 0)
        text = "".join(str(values.get(f"snapshot_{n}") or "") for n in range(1, parts + 1))
        checklist = from_snapshot(json.loads(text))
        selection = json.loads(str(values.get("selection") or "{}"))
    except (ValueError, SnapshotError) as exc:
        raise XlsxFormatError(f"{name} 的 {META_SHEET} 工作表已损坏：{exc}") from exc
    return {"version": version, "content_hash": str(values.get("content_hash") or ""),
            "selection": selection, "checklist": checklist}


def _columns(ws: Worksheet, name: str) -> tuple[int, dict[str, int]]:
    """The table's header row and each required column's index, found by header text."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 40)):
        found = {str(c.value).strip(): c.column for c in row if isinstance(c.value, str)}
        if "检查结果" in found or "检查项编码" in found:
            missing = [col for col in _REQUIRED if col not in found]
            if missing:
                raise XlsxFormatError(f"{name} 的“{SHEET}”工作表缺少列：{'、'.join(missing)}。"
                                      "请使用本软件导出的原表填写，不要删除或改名列。")
            return row[0].row, {col: int(found[col]) for col in _REQUIRED}
    raise XlsxFormatError(
        f"{name} 的“{SHEET}”工作表中找不到表头（应含“检查结果”“检查项编码”等列）。")


def _header(ws: Worksheet, header_row: int) -> dict[str, str]:
    labels = {label: (key, value_col - label_col) for label, key, _, label_col, value_col
              in HEADER_FIELDS}
    out: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() in labels:
                key, offset = labels[cell.value.strip()]
                value = ws.cell(cell.row, cell.column + offset).value
                out[key] = value.date().isoformat() if isinstance(value, datetime) else (
                    value.isoformat() if isinstance(value, date) else _text(value) or "")
    return out


def _value(raw: Any, item: ChecklistItem | None, row: int, code: str,
           problems: list[str]) -> float | str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = item.answer.type if item else "text"
    if kind == "measure":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        try:
            return float(str(raw).strip().replace(",", ""))
        except ValueError:
            problems.append(f"第{row}行（{code}）：实测值“{raw}”不是数字")
            return None
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(str(raw).strip()).isoformat()
        except ValueError:
            problems.append(f"第{row}行（{code}）：日期“{raw}”无法识别，请写成 2026-03-01")
            return None
    return _text(raw)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
