"""What a file really is, from its first bytes rather than its name, and a file name that is
safe to show.

A name can lie twice: by its extension (``报告.pdf`` that is a program) and by bidirectional
control characters that make ``photo\u202egpj.exe`` show as ``photoexe.jpg``. Evidence lists
show the cleaned name and the type read from the content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters that reorder how a name is shown: LRE, RLE, PDF, LRO, RLO (U+202A–U+202E),
#: LRI, RLI, FSI, PDI (U+2066–U+2069), LRM, RLM (U+200E, U+200F) and ALM (U+061C).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class FileType:
    label: str  # Chinese, for lists: "JPEG 图片", "PDF 文档", "可执行程序" …
    mime: str
    ext: str  # the usual extension, with its dot; "" when unknown
    executable: bool = False


UNKNOWN = FileType("未知类型", "application/octet-stream", "")
TEXT = FileType("文本", "text/plain", ".txt")

_MAGIC: tuple[tuple[bytes, int, FileType], ...] = (
    (b"\xff\xd8\xff", 0, FileType("JPEG 图片", "image/jpeg", ".jpg")),
    (b"\x89PNG\r\n\x1a\n", 0, FileType("PNG 图片", "image/png", ".png")),
    (b"GIF87a", 0, FileType("GIF 图片", "image/gif", ".gif")),
    (b"GIF89a", 0, FileType("GIF 图片", "image/gif", ".gif")),
    (b"%PDF-", 0, FileType("PDF 文档", "application/pdf", ".pdf")),
    (b"BM", 0, FileType("BMP 图片", "image/bmp", ".bmp")),
    (b"II*\x00", 0, FileType("TIFF 图片", "image/tiff", ".tif")),
    (b"MM\x00*", 0, FileType("TIFF 图片", "image/tiff", ".tif")),
    (b"MZ", 0, FileType("可执行程序（Windows）", "application/x-msdownload", ".exe", True)),
    (b"\x7fELF", 0, FileType("可执行程序（Linux）", "application/x-executable", "", True)),
    (b"\xcf\xfa\xed\xfe", 0, FileType("可执行程序（macOS）", "application/x-mach-binary", "",
                                      True)),
    (b"#!", 0, FileType("脚本", "text/x-script", "", True)),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0,
     FileType("Office 97–2003 文档", "application/x-ole-storage", ".doc")),
    (b"Rar!\x1a\x07", 0, FileType("RAR 压缩包", "application/vnd.rar", ".rar")),
    (b"7z\xbc\xaf\x27\x1c", 0, FileType("7z 压缩包", "application/x-7z-compressed", ".7z")),
    (b"\x1f\x8b", 0, FileType("gzip 压缩包", "application/gzip", ".gz")),
    (b"SQLite format 3\x00", 0, FileType("SQLite 数据库", "application/vnd.sqlite3", ".sqlite")),
)


def sniff(head: bytes) -> FileType:
    """The type of a file from its first bytes (at least 64 are best)."""
    for magic, offset, kind in _MAGIC:
        if head[offset:offset + len(magic)] == magic:
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType("WebP 图片", "image/webp", ".webp")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"):
            return FileType("HEIC 图片", "image/heic", ".heic")
        if brand == b"avif":
            return FileType("AVIF 图片", "image/avif", ".avif")
        return FileType("视频", "video/mp4", ".mp4")
    if head[:4] == b"PK\x03\x04":
        if b"word/" in head:
            return FileType("Word 文档", "application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document", ".docx")
        if b"xl/" in head:
            return FileType("Excel 表格", "application/vnd.openxmlformats-officedocument."
                            "spreadsheetml.sheet", ".xlsx")
        return FileType("ZIP 压缩包（或 Office 文档）", "application/zip", ".zip")
    if head and _looks_like_text(head):
        return TEXT
    return UNKNOWN


def kind_of(mime: str | None) -> FileType | None:
    """The type this module names by ``mime``; ``None`` when it names none."""
    if not mime:
        return None
    for _magic, _offset, kind in _MAGIC:
        if kind.mime == mime:
            return kind
    return _OTHER.get(mime)


def type_label(mime: str | None) -> str | None:
    """The Chinese label of a MIME type this module names; ``None`` when not known."""
    kind = kind_of(mime)
    return None if kind is None else kind.label


_OTHER = {k.mime: k for k in (
    FileType("WebP 图片", "image/webp", ".webp"), FileType("HEIC 图片", "image/heic", ".heic"),
    FileType("AVIF 图片", "image/avif", ".avif"), FileType("视频", "video/mp4", ".mp4"),
    FileType("ZIP 压缩包（或 Office 文档）", "application/zip", ".zip"),
    FileType("Word 文档", "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document", ".docx"),
    FileType("Excel 表格", "application/vnd.openxmlformats-officedocument."
             "spreadsheetml.sheet", ".xlsx"),
    TEXT, UNKNOWN)}


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:  # the last character may be cut in the middle
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return not _CONTROLS.search(text.replace("\n", "").replace("\r", "").replace("\t", ""))


def clean_display_name(name: str, limit: int = 255) -> str:
    """``name`` without bidirectional and other control characters (and unpaired surrogates),
    at most ``limit`` characters; "未命名" when nothing is left."""
    text = BIDI_CONTROLS.sub("", name)
    text = _CONTROLS.sub("", text)
    text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF).strip()
    return text[:limit] or "未命名"


def name_mismatch(name: str, kind: FileType) -> bool:
    """Whether a file's extension claims another type than its content (a program named as a
    document is the case that matters)."""
    if kind.executable:
        return not name.lower().endswith((".exe", ".sh"))
    if not kind.ext:
        return False
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    same = {".jpg": {".jpeg", ".jpe"}, ".tif": {".tiff"}, ".doc": {".xls", ".ppt"},
            ".zip": {".docx", ".xlsx", ".pptx", ".odt", ".ods"}, ".txt": {".csv", ".md", ".log"},
            ".mp4": {".mov", ".m4v", ".3gp"}, ".gz": {".tgz"}, ".sqlite": {".db", ".sqlite3"}}
    return ext != kind.ext and ext not in same.get(kind.ext, set())
