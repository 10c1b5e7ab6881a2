"""Large data sheets for openpyxl write-only workbooks, without a cell object per value.

openpyxl's write-only mode still builds, validates and serialises one cell object per value:
about 17–24 s for 200,000 rows of 11 plain values on the development machine, more than the whole
台账 may take. Here the workbook itself stays openpyxl's (styles, header row, column widths,
frozen panes, auto-filter, defined names), and only the data rows of a sheet are written as
SpreadsheetML text: first to a spool file while the rows are counted, then spliced into the
saved package after the header row. The rows are the same markup openpyxl writes (inline
strings, numbers, dates as serial numbers with the column's number format).
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from reports.files import publish

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # not allowed in XML 1.0
_CHUNK_ROWS = 500


class SheetTooLarge(ValueError):
    """More rows than one Excel sheet can hold."""


@dataclass
class SpooledRows:
    """The data rows of one write-only sheet, waiting in a spool file to be spliced in."""

    ws: Any  # openpyxl WriteOnlyWorksheet
    path: Path
    rows: int = 0
    columns: int = 0
    _done: bool = field(default=False, repr=False)


def spool_rows(ws: Any, rows: Iterable[Sequence[Any]], formats: Sequence[str | None], *,
               first_row: int, check: Callable[[], None] | None = None,
               every: int = 2000) -> SpooledRows:
    """Write ``rows`` (values per column; ``None`` or ``""`` leave the cell out) as row markup.

    ``formats`` gives each column's number format (dates, times, rates) or ``None``; a
    ``datetime``/``date`` becomes a serial number in that format, as openpyxl stores it.
    ``check`` is called every ``every`` rows and may raise to stop (cancellation).
    """
    styles = [_style_attr(ws, fmt) for fmt in formats]
    letters = [get_column_letter(i) for i in range(1, len(formats) + 1)]
    epoch = ws.parent.epoch
    fd, name = tempfile.mkstemp(prefix=".ledger-rows-", suffix=".xml")
    spool = SpooledRows(ws, Path(name), columns=len(formats))
    r = first_row
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            parts: list[str] = []
            for values in rows:
                if r > MAX_ROWS:
                    raise SheetTooLarge(f"工作表“{ws.title}”超过 Excel 的行数上限"
                                        f"（{MAX_ROWS} 行），请缩小导出范围。")
                parts.append(_row(r, values, letters, styles, epoch))
                r += 1
                if len(parts) == _CHUNK_ROWS:
                    out.write("".join(parts))
                    parts.clear()
                if check is not None and (r - first_row) % every == 0:
                    check()
            out.write("".join(parts))
    except BaseException:
        spool.path.unlink(missing_ok=True)
        raise
    spool.rows = r - first_row
    return spool


def save_with_rows(wb: Workbook, spools: Sequence[SpooledRows], target: Path) -> None:
    """Save ``wb`` with each spool's rows after its sheet's header, replacing ``target`` atomically.

    The spool files are removed whatever happens.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, base = tempfile.mkstemp(prefix=".ledger-", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    fd, final = tempfile.mkstemp(prefix=".ledger-", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    try:
        wb.save(base)
        members = {spool.ws.path.lstrip("/"): spool for spool in spools}
        with zipfile.ZipFile(base) as zin, \
                zipfile.ZipFile(final, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            missing = set(members) - set(zin.namelist())
            if missing:
                raise RuntimeError(f"openpyxl did not write {sorted(missing)}")
            for info in zin.infolist():
                data = zin.read(info.filename)
                spool = members.get(info.filename)
                if spool is None:
                    zout.writestr(info.filename, data)
                    continue
                end = data.rfind(b"</sheetData>")
                if end < 0:
                    raise RuntimeError(f"no sheetData in {info.filename}")
                with zout.open(info.filename, "w") as dst, spool.path.open("rb") as src:
                    dst.write(data[:end])
                    shutil.copyfileobj(src, dst, 1 << 20)
                    dst.write(data[end:])
        publish(Path(final), target)
    finally:
        Path(base).unlink(missing_ok=True)
        Path(final).unlink(missing_ok=True)
        for spool in spools:
            spool.path.unlink(missing_ok=True)


def discard(wb: Workbook, spools: Iterable[SpooledRows]) -> None:
    """Remove the spool files of an abandoned workbook, and openpyxl's own temporary files.

    A write-only sheet keeps a temporary file until it is saved; saving the abandoned
    workbook (header rows only) to memory is openpyxl's way of closing and removing them.
    """
    for spool in spools:
        spool.path.unlink(missing_ok=True)
    try:
        wb.save(io.BytesIO())
    except Exception:  # best effort: openpyxl also removes them when the process exits
        pass


def _style_attr(ws: Any, fmt: str | None) -> str:
    """`` s="N"`` for a column's number format, registering the style with the workbook."""
    if not fmt:
        return ""
    cell = WriteOnlyCell(ws)
    cell.number_format = fmt
    return f' s="{cell.style_id}"'


def _text(value: str) -> str:
    value = _ILLEGAL.sub("", value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _row(r: int, values: Sequence[Any], letters: Sequence[str], styles: Sequence[str],
         epoch: datetime) -> str:
    cells = [f'<row r="{r}">']
    for i, v in enumerate(values):
        if v is None or v == "":
            continue
        ref = f"{letters[i]}{r}"
        s = styles[i]
        if isinstance(v, str):
            space = ' xml:space="preserve"' if v[0].isspace() or v[-1].isspace() else ""
            cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_text(v)}</t></is></c>')
        elif isinstance(v, bool):
            cells.append(f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int):
            cells.append(f'<c r="{ref}"{s}><v>{v}</v></c>')
        elif isinstance(v, float):
            if math.isfinite(v):
                cells.append(f'<c r="{ref}"{s}><v>{v!r}</v></c>')
        elif isinstance(v, (datetime, date, time, timedelta)):
            if getattr(v, "tzinfo", None) is not None:
                raise TypeError("Excel 不能保存带时区的时间，请先换算为本地时间。")
            cells.append(f'<c r="{ref}"{s}><v>{to_excel(v, epoch)!r}</v></c>')
        else:
            cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{_text(str(v))}</t></is></c>')
    cells.append("</row>")
    return "".join(cells)
