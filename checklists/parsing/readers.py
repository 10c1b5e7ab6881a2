"""Reading a policy file into text: .txt (UTF-8 with or without BOM, GB18030), .docx, .pdf.

Word tables come out one row per line with the cells separated by TABs, in body order with
the paragraphs, which is the layout the table parser reads. PDF pages are separated by a
blank line, which the parser treats as a page break.
"""

from __future__ import annotations

import codecs
import io
import logging
import warnings
import zipfile
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from checklists.parsing.errors import PolicyFormatError
from checklists.parsing.pdf_tables import layout_table
from checklists.parsing.text import is_cjk
from checklists.parsing.word_numbering import WordNumbering, style_numbering

if TYPE_CHECKING:
    from docx.table import Table

#: Share of control bytes above which a file is taken for binary.
_CONTROL_SHARE = 0.02
#: Share of decoded Chinese characters that must be common (GB2312) ones for GB18030.
_COMMON_SHARE = 0.8
_TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".tsv", ""}

MB = 1024 * 1024
#: The largest files read (a policy document is tens of KB; these leave room for scans
#: with a text layer and long annexes while keeping a hostile file from eating the laptop).
MAX_TEXT_BYTES = 20 * MB
MAX_DOCX_BYTES = 50 * MB
MAX_DOCX_UNPACKED = 200 * MB  # everything inside the .docx, unpacked
MAX_DOCX_RATIO = 100  # unpacked / packed for a member over 1 MB
MAX_DOCX_MEMBERS = 5000
MAX_PDF_BYTES = 100 * MB
MAX_PDF_PAGES = 2000


def read_policy_file(path: Path) -> str:
    name = path.name or str(path)
    try:
        if path.is_dir():
            raise PolicyFormatError(f"“{name}”是一个文件夹，不是文件。请选择其中的政策文件。")
        size = path.stat().st_size
        limit = _limit(path.suffix.lower())
        if size > limit:
            raise PolicyFormatError(
                f"文件“{name}”有 {size / MB:.1f} MB，超过了 {limit // MB} MB 的上限。"
                "政策文件通常只有几十 KB；请确认选对了文件，或删去图片等附件后再导入。")
        data = path.read_bytes()
    except FileNotFoundError:
        raise PolicyFormatError(f"无法读取文件“{name}”：找不到该文件。") from None
    except PermissionError:
        raise PolicyFormatError(f"无法读取文件“{name}”：没有读取权限。") from None
    except OSError as exc:
        raise PolicyFormatError(f"无法读取文件“{name}”（{exc.strerror or '读取失败'}）。"
                                ) from None
    return read_policy_bytes(data, path.name)


def _limit(suffix: str) -> int:
    return {".pdf": MAX_PDF_BYTES, ".docx": MAX_DOCX_BYTES}.get(suffix, MAX_TEXT_BYTES)


def read_policy_bytes(data: bytes, filename: str) -> str:
    """The text of a policy file given as bytes; ``filename`` tells its format."""
    name = PurePath(filename).name or "文件"
    if not data.strip():
        raise PolicyFormatError(f"文件“{name}”是空的，没有可导入的内容。")
    suffix = PurePath(filename).suffix.lower()
    kind = ".pdf" if suffix == ".pdf" or data.startswith(b"%PDF-") else (
        ".docx" if suffix == ".docx" or (data.startswith(b"PK\x03\x04")
                                         and suffix not in _TEXT_SUFFIXES) else suffix)
    if len(data) > _limit(kind):
        raise PolicyFormatError(
            f"文件“{name}”有 {len(data) / MB:.1f} MB，超过了 {_limit(kind) // MB} MB 的上限。")
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        text = _read_pdf(data, name)
    elif suffix == ".docx" or (data.startswith(b"PK\x03\x04") and suffix not in _TEXT_SUFFIXES):
        text = _read_docx(data, name)
    elif suffix in {".doc", ".wps"}:
        raise PolicyFormatError(
            f"不支持旧版 Word 格式（{suffix}）：请在 Word 或 WPS 中另存为 .docx 后再导入。")
    else:
        text = decode_text(data, name)
    if not text.strip():
        raise PolicyFormatError(f"文件“{name}”中没有文字内容。")
    return text


def decode_text(data: bytes, name: str = "文件") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; anything else is refused."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _unknown_encoding(name) from exc
    if _looks_binary(data):
        raise PolicyFormatError(
            f"“{name}”不是文本文件（看起来是图片、压缩包或其他二进制文件），无法导入。"
            "请选择 .txt、.docx 或带文字的 .pdf 文件。")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _unknown_encoding(name) from exc
    if not _plausible_chinese(text):
        raise _unknown_encoding(name)
    return text


def _unknown_encoding(name: str) -> PolicyFormatError:
    return PolicyFormatError(
        f"无法识别“{name}”的文字编码（不是 UTF-8 或 GB18030/GBK）。"
        "请用记事本或 WPS 另存为 UTF-8 编码后再导入。")


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > _CONTROL_SHARE * len(sample)


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes most byte strings; Big5 or Latin-1 come out as rare characters."""
    cjk = [ch for ch in text if is_cjk(ch)]
    if not cjk:
        return all(ch.isascii() for ch in text)
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= _COMMON_SHARE * len(cjk)


def _read_docx(data: bytes, name: str) -> str:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn
    from docx.table import Table

    _check_docx(data, name)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PolicyFormatError(
            f"无法打开 Word 文件“{name}”：文件已损坏或不是 .docx 格式。") from exc
    numbering = _word_numbering(document)
    out: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(numbering.label(child) + paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            out.extend(_table_lines(Table(child, document)))
    return "\n".join(out)


def _word_numbering(document: Any) -> WordNumbering:
    """The document's automatic numbering (numbering.xml and numbered styles), if it has any."""
    part = document.part
    try:
        numbering_xml = part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        numbering_xml = None
    try:
        styles_xml = part.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        styles_xml = None
    return WordNumbering(numbering_xml, style_numbering(styles_xml))


def _check_docx(data: bytes, name: str) -> None:
    """Refuse a .docx that would unpack to far more than it is (a zip bomb) before Word's
    XML is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PolicyFormatError(
            f"无法打开 Word 文件“{name}”：文件已损坏或不是 .docx 格式。") from None
    if len(infos) > MAX_DOCX_MEMBERS:
        raise PolicyFormatError(f"Word 文件“{name}”内部的文件过多，不像正常的文档，未导入。")
    total = sum(i.file_size for i in infos)
    bloated = any(i.file_size > MB and i.file_size > MAX_DOCX_RATIO * max(i.compress_size, 1)
                  for i in infos)
    if total > MAX_DOCX_UNPACKED or bloated:
        raise PolicyFormatError(
            f"Word 文件“{name}”解压后过大（{total / MB:.0f} MB，上限 {MAX_DOCX_UNPACKED // MB} MB）"
            "或压缩比异常，可能是恶意文件，未导入。")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def paragraph_text(p: Any) -> str:
    """A paragraph's text as it reads with every tracked change accepted: inserted runs
    (w:ins) are kept, deleted ones (w:delText) are not; tabs and breaks as characters."""
    out: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if any(a.tag in (f"{_W}del", f"{_W}moveFrom") for a in el.iterancestors()):
            continue
        if el.tag == f"{_W}t":
            out.append(el.text or "")
        elif el.tag == f"{_W}tab":
            if el.getparent() is not None and el.getparent().tag == f"{_W}r":
                out.append("\t")  # a tab in the text, not a tab stop of the paragraph
        elif el.getparent() is not None and el.getparent().tag == f"{_W}r":
            out.append("\n")
    return "".join(out)


def _table_lines(table: Table) -> list[str]:
    """One line per row, cells joined by TAB; a merged cell is written once per row."""
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            text = " ".join(paragraph_text(p._p) for p in cell.paragraphs)
            # a table inside the cell (牵头 | X over 配合 | Y): its rows as labelled text
            nested = "；".join(_nested_row(r) for t in cell.tables for r in t.rows)
            text = f"{text} {nested}" if nested else text
            cells.append(" ".join(text.replace("\t", " ").split()))
        lines.append("\t".join(cells))
    return lines


def _nested_row(row: Any) -> str:
    """A row of a table inside a cell: ``label：value`` for two cells, else the cells."""
    texts = [" ".join(paragraph_text(p._p) for p in c.paragraphs).strip() for c in row.cells]
    texts = [t for k, t in enumerate(texts) if t and (k == 0 or t != texts[k - 1])]
    return "：".join(texts) if len(texts) == 2 else " ".join(texts)


def _page_text(page: Any) -> str:
    """A page's text; a page that holds a task table is read from its layout instead, so the
    lines of a wrapped cell stay in their cell (checklists/parsing/pdf_tables.py)."""
    plain = page.extract_text() or ""
    if "单位" not in plain or not any(w in plain for w in ("序", "任务", "措施")):
        return plain
    try:
        table = layout_table(page.extract_text(extraction_mode="layout") or "")
    except Exception:
        return plain
    return "\n".join(table) if table else plain


def _read_pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # pypdf's own (English) complaints do not reach the user
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise PolicyFormatError(
                    f"PDF 文件“{name}”已加密，无法读取。请提供未加密的文件。")
            if len(reader.pages) > MAX_PDF_PAGES:
                raise PolicyFormatError(
                    f"PDF 文件“{name}”有 {len(reader.pages)} 页，超过了 {MAX_PDF_PAGES} 页的上限。")
            pages = [_page_text(page) for page in reader.pages]
    except PolicyFormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError,
            AttributeError, IndexError, ZeroDivisionError) as exc:
        raise PolicyFormatError(f"无法读取 PDF 文件“{name}”：文件已损坏或格式不受支持。") from exc
    finally:
        quiet.setLevel(level)
    if not any(any(ch.isalnum() for ch in page) for page in pages):
        raise PolicyFormatError(
            f"PDF 文件“{name}”没有可提取的文字（可能是扫描件或图片）。"
            "请先用文字识别（OCR）转换，或提供 Word、文本版本。")
    return "\n\n".join(page.strip("\n") for page in pages)
