"""Importing units from Excel, and the empty template to fill in.

The first sheet's first row names the columns in Chinese: 单位名称, 单位类型, 统一社会信用代码,
地址, 行政区划, 联系人, 联系电话, then any facts by their vocabulary label (a unit in brackets
after the label is allowed: 建筑面积（㎡）). A file with missing or unknown columns is refused
before any row is read. Each bad row is reported with its row number and a Chinese reason; by
default nothing is written unless every row is good, and ``valid_rows_only=True`` imports the
good rows and reports the rest.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from checklists.vocabulary import Fact, Vocabulary, load_vocabulary
from models.registry import Entity
from rules.progress import Progress
from services.audit import audit
from services.entities import EntityError, clean, validated_fields

BASE_COLUMNS = {"单位名称": "name", "单位类型": "type_code", "统一社会信用代码": "credit_code",
                "地址": "address", "行政区划": "region_code", "联系人": "contact_name",
                "联系电话": "contact_phone"}
REQUIRED = ("单位名称", "单位类型")
TEMPLATE_ROWS = 1000


class EntityImportError(ValueError):
    """The file as a whole cannot be imported (unreadable, wrong columns). Chinese message."""


@dataclass(frozen=True)
class RowError:
    row: int  # the Excel row number
    message: str


@dataclass(frozen=True)
class ImportReport:
    rows: int  # data rows read (blank rows not counted)
    imported: int
    errors: tuple[RowError, ...]
    written: bool  # False when rows were bad and only a complete import was allowed

    @property
    def ok(self) -> bool:
        return not self.errors


def import_entities(session: Session, path: Path, *, valid_rows_only: bool = False,
                    demo: bool = False, progress: Progress | None = None,
                    user: str | None = None) -> ImportReport:
    vocab = load_vocabulary()
    rows = _read(Path(path))
    header, data = rows[0], rows[1:]
    columns = _columns(header, vocab)
    good: list[dict[str, Any]] = []
    errors: list[RowError] = []
    seen_codes: dict[str, int] = {}
    total = len(data)
    count = 0
    for offset, values in enumerate(data):
        row_no = offset + 2
        if progress is not None:
            progress(offset, total, f"正在检查第 {offset + 1} 行，共 {total} 行…")
        if all(clean(v) is None for v in values):
            continue
        count += 1
        try:
            fields = _fields(session, columns, values, vocab, demo)
        except EntityError as exc:
            errors.append(RowError(row_no, str(exc)))
            continue
        code = fields.get("credit_code")
        if code is not None and code in seen_codes:
            errors.append(RowError(row_no, f"统一社会信用代码 {code} 与第{seen_codes[code]}行重复"))
            continue
        if code is not None:
            seen_codes[code] = row_no
        good.append(fields)
    if progress is not None:
        progress(total, total, "检查完毕")
    if errors and not valid_rows_only:
        return ImportReport(count, 0, tuple(errors), False)
    for fields in good:
        row = Entity(**fields)
        session.add(row)
        session.flush()
        audit(session, "import", "entities", row.uuid, {"name": row.name, "file": Path(path).name},
              user=user)
    return ImportReport(count, len(good), tuple(errors), bool(good))


def write_entity_template(path: Path, vocab: Vocabulary | None = None) -> None:
    """An empty import workbook: the header row, a type drop-down, and a sheet of notes."""
    vocab = vocab or load_vocabulary()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "被检查单位"
    ws.append([*BASE_COLUMNS, *(f.label for f in vocab.facts)])
    ws.freeze_panes = "A2"
    for row in range(2, TEMPLATE_ROWS + 2):  # codes and phone numbers are text, not numbers
        ws.cell(row, 3).number_format = "@"
        ws.cell(row, 7).number_format = "@"
    for i, cell in enumerate(ws[1], 1):
        ws.column_dimensions[cell.column_letter].width = 22 if i > 2 else 30
    types = wb.create_sheet("单位类型")
    types.append(["单位类型（填写名称）", "代码", "上级类型"])
    for t in vocab.entity_types:
        types.append([t.label, t.code, vocab.type_label(t.parent) if t.parent else ""])
    last = len(vocab.entity_types) + 1
    choice = DataValidation(type="list", formula1=f"=单位类型!$A$2:$A${last}", allow_blank=False)
    choice.error = "请从列表中选择单位类型"
    ws.add_data_validation(choice)
    choice.add(f"B2:B{TEMPLATE_ROWS + 1}")
    notes = wb.create_sheet("填写说明")
    notes.append(["栏目", "说明"])
    notes.append(["单位名称、单位类型", "必填"])
    notes.append(["统一社会信用代码", "18位，选填；填写的须通过校验位检查，且不能与已登记单位重复"])
    notes.append(["行政区划", "6位行政区划代码，或区划名称（如 中宁县）"])
    for f in vocab.facts:
        notes.append([f.label, _fact_hint(f, vocab)])
    wb.save(path)


def _read(path: Path) -> list[tuple[Any, ...]]:
    if not path.exists():
        raise EntityImportError(f"找不到文件：{path}")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise EntityImportError(
            f"无法读取 {path.name}：请使用 Excel 的 .xlsx 格式（{exc}）") from None
    try:
        ws = wb.worksheets[0]
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows or all(clean(v) is None for v in rows[0]):
        raise EntityImportError(f"{path.name} 的第一行应为栏目名称（单位名称、单位类型……），"
                                "请使用导入模板")
    return rows


def _columns(header: tuple[Any, ...], vocab: Vocabulary) -> list[tuple[str, str] | None]:
    """Per column: ("field", name) or ("fact", code), or None for an unnamed empty column."""
    facts = {_squash(f.label): f.code for f in vocab.facts}
    out: list[tuple[str, str] | None] = []
    unknown: list[str] = []
    names: list[str] = []
    for cell in header:
        name = clean(cell)
        if name is None:
            out.append(None)
            continue
        name = name.rstrip("*＊")
        names.append(name)
        if name in BASE_COLUMNS:
            out.append(("field", BASE_COLUMNS[name]))
            continue
        key = _squash(re.sub(r"[（(][^（()）]*[)）]$", "", name))
        code = facts.get(_squash(name)) or facts.get(key)
        if code is None:
            unknown.append(name)
        out.append(("fact", code) if code else None)
    problems = []
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        problems.append(f"缺少栏目：{'、'.join(missing)}")
    if unknown:
        problems.append(f"无法识别的栏目：{'、'.join(unknown)}")
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        problems.append(f"栏目重复：{'、'.join(dupes)}")
    if problems:
        raise EntityImportError("Excel 文件的栏目不符合导入模板（" + "；".join(problems)
                                + "）。请使用“下载导入模板”得到的表格填写，未导入任何数据。")
    return out


def _fields(session: Session, columns: list[tuple[str, str] | None], values: tuple[Any, ...],
            vocab: Vocabulary, demo: bool) -> dict[str, Any]:
    raw: dict[str, Any] = {"demo": demo}
    facts: dict[str, Any] = {}
    for col, value in zip(columns, values, strict=False):
        if col is None:
            continue
        kind, name = col
        if kind == "field":
            raw[name] = value
        elif clean(value) is not None:
            facts[name] = value.strip() if isinstance(value, str) else value
    if clean(raw.get("name")) is None:
        raise EntityError("缺少单位名称")
    if isinstance(raw.get("credit_code"), int | float):
        raise EntityError("统一社会信用代码被 Excel 存成了数字（会丢失末几位），"
                          "请把该列设为“文本”格式后重新填写")
    raw["facts"] = facts
    raw.setdefault("type_code", None)
    return validated_fields(session, raw, vocab=vocab)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _fact_hint(fact: Fact, vocab: Vocabulary) -> str:
    kinds = {"bool": "填 是 或 否", "number": "填数字", "text": "填文字",
             "choice": "填以下之一：" + "、".join(fact.choices)}
    unit = f"（单位：{fact.unit}）" if fact.unit else ""
    applies = "、".join(vocab.type_label(t) for t in fact.for_types)
    return f"{kinds[fact.type]}{unit}；适用于{applies}；不了解可留空"
