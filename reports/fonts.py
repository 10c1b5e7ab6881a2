"""Finding and registering a Chinese font that ReportLab can embed.

ReportLab embeds only TrueType (``glyf``) outlines. The CJK fonts Linux machines usually carry
(Noto Sans CJK, Source Han) are CFF-outline OTF/OTC files, which ReportLab refuses, so the font
is looked for at run time in this order:

1. the font file the user chose in the settings (key :data:`SETTING_KEY`, a path; a ``.ttc``
   may carry ``#N`` for its N-th face, e.g. ``C:\\Windows\\Fonts\\simsun.ttc#0``);
2. the fonts a Chinese Windows always has, in ``%WINDIR%\\Fonts``: SimSun (``simsun.ttc``),
   SimHei (``simhei.ttf``), Microsoft YaHei (``msyh.ttc`` / ``msyh.ttf``);
3. on Linux, WenQuanYi Micro Hei (Debian's ``fonts-wqy-microhei``,
   ``/usr/share/fonts/truetype/wqy/wqy-microhei.ttc``), then WenQuanYi Zen Hei, then any other
   TrueType font that ``fc-list :lang=zh`` names (macOS: Arial Unicode).

A candidate is accepted only when ReportLab loads it (a CFF font raises ``TTFError``) and it
maps the test characters :data:`_PROBE` to glyphs. When none is found the builders use
ReportLab's built-in ``STSong-Light`` CID font: the text is still real, searchable Chinese,
but the font is not embedded, so :attr:`ReportFont.warning` carries a Chinese sentence for the
GUI to show. Font files are never bundled with the program.

Headings use SimHei (黑体) when it is present, as official documents do; otherwise the body
font. The choice is cached per user setting, in the process and across runs: the files chosen
are remembered in ``report-font.json`` in the user cache folder (:func:`models.paths.cache_dir`)
and used again while they are unchanged (same size and modification time) and the well-known
font paths above hold the same files; otherwise the search runs again and the file is
rewritten. The cache is only a shortcut: a missing, unreadable, corrupt or read-only one costs a
search, never a report. A font found with a warning (the user's choice passed over, or the CID
fallback) is not remembered, so the search that explains it runs each time. Registration is
thread-safe (the GUI builds reports on worker threads).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics

from models.paths import cache_dir, write_cache_file

SETTING_KEY = "report_font"  # services.settings key: path of the user's chosen font file
CID_FALLBACK = "STSong-Light"
FALLBACK_WARNING = (
    "未找到可嵌入的中文 TrueType 字体，报告暂用 ReportLab 内置的 STSong-Light 字体（不嵌入 PDF），"
    "在没有安装中文字体的电脑上可能显示为乱码。请在“设置”中选择一个 TrueType 中文字体文件"
    "（如 Windows 的 simsun.ttc、simhei.ttf，或 Linux 的文泉驿微米黑 wqy-microhei.ttc）。"
)
USER_FONT_REJECTED = "所选字体“{path}”不能用于报告（{reason}），已改用{used}。"

_PROBE = "检查笔录整改通知书第页共"
_LOCK = threading.Lock()
_CACHE: dict[str | None, ReportFont] = {}
CACHE_FILE = "report-font.json"
_CACHE_FORMAT = 1


@dataclass(frozen=True)
class ReportFont:
    """The fonts the builders use, as registered ReportLab font names.

    ``body`` is for all running text and tables, ``heading`` for titles. ``embedded`` is False
    only for the CID fallback, and then ``warning`` explains it in Chinese; ``warning`` also
    says when the user's own choice had to be passed over.
    """

    body: str
    heading: str
    body_path: str | None
    heading_path: str | None
    embedded: bool
    warning: str | None = None

    @property
    def description(self) -> str:
        """A short Chinese label of the font in use, e.g. for a settings page."""
        if not self.embedded:
            return "STSong-Light（内置，不嵌入）"
        return Path(self.body_path or "").name


def windows_font_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def system_candidates() -> list[tuple[Path, int]]:
    """Font files to try after the user's choice, in the documented order (path, face)."""
    found = known_candidates()
    for path in _fc_list_chinese():
        found.append((path, 0))
    seen: set[tuple[str, int]] = set()
    unique = []
    for path, face in found:
        key = (str(path).lower() if sys.platform == "win32" else str(path), face)
        if key not in seen:
            seen.add(key)
            unique.append((path, face))
    return unique


def known_candidates() -> list[tuple[Path, int]]:
    """The well-known font paths, tried before those fontconfig names."""
    win = windows_font_dir()
    return [
        # serif faces first: official documents set their text in 仿宋 or 宋体
        (win / "simfang.ttf", 0), (win / "SimFang.ttf", 0),
        (win / "simsun.ttc", 0), (win / "SimSun.ttc", 0),
        (Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),  # AR PL UMing CN (明体)
        (Path("/usr/share/fonts/arphic-uming/uming.ttc"), 0),
        (win / "simhei.ttf", 0), (win / "SimHei.ttf", 0), (win / "msyh.ttc", 0),
        (win / "msyh.ttf", 0),
        (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
        (Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"), 0),
        (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
        (Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"), 0),
        (Path("/Library/Fonts/Arial Unicode.ttf"), 0),
        (Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"), 0),
    ]


def _fc_list_chinese() -> list[Path]:
    """TrueType files fontconfig knows with Chinese coverage (none on Windows)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return [Path(p) for p in paths if p.lower().endswith((".ttf", ".ttc"))]


def parse_user_choice(value: Any) -> tuple[Path, int] | None:
    """``"path"`` or ``"path#N"`` from the settings; None when unset."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    face = 0
    head, sep, tail = text.rpartition("#")
    if sep and tail.isdigit():
        text, face = head, int(tail)
    return Path(text), face


def try_font(path: Path, face: int = 0) -> tuple[str | None, str | None]:
    """Register one candidate; returns (ReportLab font name, None) or (None, Chinese reason)."""
    from reportlab.pdfbase.ttfonts import TTFont

    if not path.is_file():
        return None, "文件不存在"
    name = f"CJK-{path.stem}-{face}"
    # not getFont(name): for a name it does not know it parses every AFM file ReportLab has
    if name in pdfmetrics.getRegisteredFontNames():
        return name, None
    try:
        font = TTFont(name, str(path), subfontIndex=face)
    except Exception as exc:  # TTFError for CFF outlines, bad files, missing faces
        if "postscript outlines" in str(exc).lower():
            return None, "该字体为 CFF/PostScript 轮廓，无法嵌入"
        return None, "不是可用的 TrueType 字体文件"
    glyphs = font.face.charToGlyph
    if not all(ord(ch) in glyphs for ch in _PROBE):
        return None, "字体不含中文字形"
    pdfmetrics.registerFont(font)
    return name, None


#: Faces for headings, in order of preference, when the system has them.
HEADING_FACES = ("simhei.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc")


def _cid_fallback() -> str:
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    try:
        pdfmetrics.getFont(CID_FALLBACK)
    except KeyError:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def find_font(user_choice: str | None = None, *,
              candidates: list[tuple[Path, int]] | None = None) -> ReportFont:
    """The font to use, registered with ReportLab (cached per ``user_choice``, in the process
    and across runs: see the module's docstring).

    ``candidates`` replaces the system search (tests use it to reach the fallback); results
    with explicit candidates are not cached.
    """
    with _LOCK:
        if candidates is not None:
            return _search(user_choice, candidates)[0]
        if user_choice in _CACHE:
            return _CACHE[user_choice]
        result = _remembered(user_choice)
        if result is None:
            result, faces = _search(user_choice, None)
            if result.embedded and result.warning is None:
                _remember(user_choice, faces)
        _CACHE[user_choice] = result
        return result


#: A font file chosen: (path, face index in a collection).
_Face = tuple[Path, int]


def _search(user_choice: str | None,
            candidates: list[tuple[Path, int]] | None) -> tuple[ReportFont, list[_Face]]:
    """The font and the files it uses, [body, heading] (none for the CID fallback)."""
    rejected: str | None = None
    choice = parse_user_choice(user_choice)
    body: tuple[str, Path, int] | None = None
    if choice is not None:
        name, reason = try_font(*choice)
        if name is not None:
            body = (name, *choice)
        else:
            rejected = f"{choice[0]}|{reason}"
    pool = system_candidates() if candidates is None else candidates
    if body is None:
        for path, face in pool:
            name, _ = try_font(path, face)
            if name is not None:
                body = (name, path, face)
                break
    if body is None:
        fallback = _cid_fallback()
        warning = FALLBACK_WARNING
        if rejected:
            where, reason = rejected.split("|", 1)
            warning = USER_FONT_REJECTED.format(path=where, reason=reason,
                                                used="内置字体") + warning
        return ReportFont(fallback, fallback, None, None, embedded=False, warning=warning), []
    heading = body
    for wanted in HEADING_FACES:  # headings in 黑体 (or the closest sans face) as 公文 set them
        hit = next(((p, f) for p, f in pool if p.name.lower() == wanted), None)
        if hit is not None:
            name, _ = try_font(*hit)
            if name is not None:
                heading = (name, *hit)
                break
    note: str | None = None
    if rejected:
        where, reason = rejected.split("|", 1)
        note = USER_FONT_REJECTED.format(path=where, reason=reason, used=body[1].name)
    font = ReportFont(body[0], heading[0], str(body[1]), str(heading[1]), embedded=True,
                      warning=note)
    return font, [(body[1], body[2]), (heading[1], heading[2])]


# ------------------------------------------------------------------ remembered across runs

def cache_path() -> Path:
    return cache_dir() / CACHE_FILE


def _signature(path: Path) -> list[int] | None:
    """What says a font file is unchanged: its size and modification time (None: missing)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _known_present() -> list[str]:
    """The well-known font paths that hold a file now: a font installed or removed there
    could change the choice, so the remembered one no longer holds."""
    return [str(p) for p, _ in known_candidates() if p.is_file()]


def _read_cache() -> dict[str, Any]:
    try:
        data = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT:
        return {}
    fonts = data.get("fonts")
    return fonts if isinstance(fonts, dict) else {}


def _remembered(user_choice: str | None) -> ReportFont | None:
    """The font remembered for this choice if its files and the well-known paths are as they
    were, registered; None when there is none or it no longer holds."""
    entry = _read_cache().get(user_choice or "")
    try:
        if not isinstance(entry, dict) or entry["known"] != _known_present():
            return None
        files = entry["files"]
        if not isinstance(files, dict) or not files or any(
                _signature(Path(path)) != sig for path, sig in files.items()):
            return None
        registered = []
        for path, face in (entry["body"], entry["heading"]):
            if not isinstance(path, str) or not isinstance(face, int) or path not in files:
                return None
            name, _ = try_font(Path(path), face)
            if name is None:
                return None
            registered.append((name, path))
    except (KeyError, TypeError, ValueError):
        return None
    (body, body_path), (heading, heading_path) = registered
    return ReportFont(body, heading, body_path, heading_path, embedded=True)


def _remember(user_choice: str | None, faces: list[_Face]) -> None:
    """Write the choice into the cache file, atomically; a failure only loses the shortcut."""
    files = {str(path): _signature(path) for path, _ in faces}
    if any(sig is None for sig in files.values()):
        return
    fonts = _read_cache()
    fonts[user_choice or ""] = {
        "body": [str(faces[0][0]), faces[0][1]], "heading": [str(faces[1][0]), faces[1][1]],
        "files": files, "known": _known_present()}
    write_cache_file(cache_path(), json.dumps({"format": _CACHE_FORMAT, "fonts": fonts},
                                              ensure_ascii=False))


def font_for_session(session: Any) -> ReportFont:
    """The font for reports built from this database, honouring its ``report_font`` setting."""
    from services.settings import get_setting

    return find_font(get_setting(session, SETTING_KEY))
