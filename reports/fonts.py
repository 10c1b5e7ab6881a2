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
font. The choice is cached per user setting and registration is thread-safe (the GUI builds
reports on worker threads).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics

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
    win = windows_font_dir()
    found: list[tuple[Path, int]] = [
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
    try:
        pdfmetrics.getFont(name)
        return name, None
    except KeyError:
        pass
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
    """The font to use, registered with ReportLab (cached per ``user_choice``).

    ``candidates`` replaces the system search (tests use it to reach the fallback); results
    with explicit candidates are not cached.
    """
    with _LOCK:
        if candidates is None and user_choice in _CACHE:
            return _CACHE[user_choice]
        result = _search(user_choice, candidates)
        if candidates is None:
            _CACHE[user_choice] = result
        return result


def _search(user_choice: str | None, candidates: list[tuple[Path, int]] | None) -> ReportFont:
    rejected: str | None = None
    choice = parse_user_choice(user_choice)
    body: tuple[str, Path] | None = None
    if choice is not None:
        name, reason = try_font(*choice)
        if name is not None:
            body = (name, choice[0])
        else:
            rejected = f"{choice[0]}|{reason}"
    pool = system_candidates() if candidates is None else candidates
    if body is None:
        for path, face in pool:
            name, _ = try_font(path, face)
            if name is not None:
                body = (name, path)
                break
    if body is None:
        fallback = _cid_fallback()
        warning = FALLBACK_WARNING
        if rejected:
            where, reason = rejected.split("|", 1)
            warning = USER_FONT_REJECTED.format(path=where, reason=reason,
                                                used="内置字体") + warning
        return ReportFont(fallback, fallback, None, None, embedded=False, warning=warning)
    heading = body
    for wanted in HEADING_FACES:  # headings in 黑体 (or the closest sans face) as 公文 set them
        hit = next(((p, f) for p, f in pool if p.name.lower() == wanted), None)
        if hit is not None:
            name, _ = try_font(*hit)
            if name is not None:
                heading = (name, hit[0])
                break
    note: str | None = None
    if rejected:
        where, reason = rejected.split("|", 1)
        note = USER_FONT_REJECTED.format(path=where, reason=reason, used=body[1].name)
    return ReportFont(body[0], heading[0], str(body[1]), str(heading[1]), embedded=True,
                      warning=note)


def font_for_session(session: Any) -> ReportFont:
    """The font for reports built from this database, honouring its ``report_font`` setting."""
    from services.settings import get_setting

    return find_font(get_setting(session, SETTING_KEY))
