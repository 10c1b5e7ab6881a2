"""What the inspection window shows, as plain data, and the Excel findings import.

The inspection window calls these with a Session it opened for one user action.
``EntryRow`` joins a stored finding with its checklist item (from the inspection's snapshot),
so the form can show the question, how to check it and the legal basis next to the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checklists.checklist_model import Checklist, ChecklistItem
from models.inspection import Evidence, Finding
from rules.inspection_status import FAIL, NOT_APPLICABLE, NOT_CHECKED
from rules.progress import Progress
from services.checklist_snapshot import inspection_checklist
from services.findings import FindingInfo, list_findings, record_finding
from services.inspection_access import InspectionError, load

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".gif", ".bmp",
                  ".tif", ".tiff")
REQUIRE_TEXT = {"note": "说明", "photo": "照片", "note_or_photo": "说明或照片"}


@dataclass(frozen=True)
class EntryRow:
    item: ChecklistItem
    finding: FindingInfo
    photos: int  # photos attached to this item

    @property
    def code(self) -> str:
        return self.item.code

    @property
    def carried(self) -> bool:
        return self.finding.carried_from is not None

    def missing_requirement(self) -> str | None:
        """What a 不符合 answer still needs (说明/照片), or None."""
        f = self.finding
        if f.result != FAIL:
            return None
        has_note = bool(f.note and f.note.strip())
        has_photo = self.photos > 0
        ok = {"note": has_note, "photo": has_photo, "note_or_photo": has_note or has_photo}
        return None if ok.get(f.require_on_fail, True) else REQUIRE_TEXT[f.require_on_fail]

    def answer_text(self) -> str:
        """The answer as the list shows it: result, measured value, progress, date or text."""
        f = self.finding
        unit = self.item.answer.unit or ""
        if f.answer_type == "measure" and f.value_number is not None:
            number = f.value_number
            shown = str(int(number)) if number.is_integer() else str(number)
            return f"{shown}{unit} · {f.result}" if f.result != NOT_CHECKED else f"{shown}{unit}"
        if f.value_text:
            return f.value_text if f.result == NOT_CHECKED else f"{f.value_text} · {f.result}"
        return "" if f.result == NOT_CHECKED else f.result


def load_checklist(session: Session, inspection_id: int) -> Checklist:
    return inspection_checklist(session, load(session, inspection_id).id)


def photo_counts(session: Session, inspection_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Finding.item_code, func.count(Evidence.id))
        .join(Evidence, Evidence.finding_id == Finding.id)
        .where(Evidence.inspection_id == inspection_id, Evidence.kind == "photo")
        .group_by(Finding.item_code)).all()
    return {code: int(n) for code, n in rows}


def entry_rows(session: Session, inspection_id: int,
               checklist: Checklist | None = None) -> list[EntryRow]:
    checklist = checklist or load_checklist(session, inspection_id)
    items = {i.code: i for i in checklist.items}
    photos = photo_counts(session, inspection_id)
    return [EntryRow(items[f.item_code], f, photos.get(f.item_code, 0))
            for f in list_findings(session, inspection_id) if f.item_code in items]


def with_finding(row: EntryRow, finding: FindingInfo) -> EntryRow:
    return replace(row, finding=finding)


@dataclass(frozen=True)
class ExcelImport:
    applied: tuple[str, ...]  # item codes whose answers were recorded
    skipped: tuple[str, ...]  # Chinese, one line per row not taken and why


def apply_filled_checklist(session: Session, inspection_id: int, path: Path, *,
                           user: str | None = None,
                           progress: Progress | None = None
                           ) -> ExcelImport:
    """Record the answers of a filled Excel checklist into a draft inspection.

    Rows are checked against this inspection's own checklist: a row whose item text changed
    since the sheet was printed, an unknown code or an invalid cell is reported and not taken.
    Every row goes through ``record_finding`` like a key press, all in the caller's one
    transaction; a row the rules refuse (e.g. a result that contradicts the measured value) is
    reported and leaves its finding unchanged.
    """
    from checklists.xlsx_findings import XlsxFormatError, read_filled_checklist

    checklist = load_checklist(session, inspection_id)
    try:
        filled = read_filled_checklist(path, against=checklist)
    except XlsxFormatError as exc:
        raise InspectionError(str(exc)) from None
    skipped = list(filled.problems)
    skipped += [f"第{r.row}行（{r.code}）：检查项内容已改变，未导入" for r in filled.stale]
    skipped += [f"第{r.row}行（{r.code}）：本次检查清单中没有此检查项" for r in filled.unknown]
    items = {i.code: i for i in checklist.items}
    rows = filled.answered
    applied = []
    for n, row in enumerate(rows):
        if progress is not None:
            progress(n, len(rows), f"导入 {row.code}")
        kind = items[row.code].answer.type
        args: dict[str, Any] = {}
        if row.note:
            args["note"] = row.note
        if kind == "compliance":
            if row.result:
                args["result"] = row.result
        elif kind == "progress":
            if row.result == NOT_APPLICABLE:
                args["result"] = NOT_APPLICABLE
            elif row.result:
                args["value"] = row.result
        elif kind == "measure":
            if row.value is not None:
                args["value"] = row.value
            if row.result == NOT_APPLICABLE or (row.result and items[row.code].answer.threshold
                                                is None):
                args["result"] = row.result
        else:
            if row.value is not None:
                args["value"] = row.value
            elif row.result == NOT_APPLICABLE:
                args["result"] = NOT_APPLICABLE
        if not args:
            continue
        try:  # record_finding checks an answer before it changes anything
            record_finding(session, inspection_id, row.code, user=user, **args)
        except InspectionError as exc:
            skipped.append(f"第{row.row}行：{exc}")
            continue
        applied.append(row.code)
    return ExcelImport(tuple(applied), tuple(skipped))
