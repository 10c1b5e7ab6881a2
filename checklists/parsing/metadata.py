"""Document metadata: title, issuers, 文号 and date, and where the 落款 block begins.

Metadata is read from the lines before the first measure (the head: web-page labels, 文号,
title, sometimes a covering notice with its own 落款) and after the last one (the tail:
issuers and the 落款 date). A field that is absent is None; a label followed by another
label (``文号: 关键字:``) is absent, not the neighbouring label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checklists.parsing.labels import (
    DOC_NUMBER,
    Joined,
    bracketed_date,
    doc_number,
    labelled_date,
    labelled_org,
)
from checklists.parsing.lexicon import lexicon
from checklists.parsing.lines import Line
from checklists.parsing.text import compact, display, is_cjk, iso_date
from checklists.regions import load_regions

_DATE = (r"(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
         r"|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)")
_PUNCT = set("，。；：,.;:！？!?、“”\"《》()（）[]【】")
_TAIL_START = re.compile(r"^[•·]?(抄送|印发|附件|\(此件|此件|\(信息公开|信息公开|\(公开方式"
                         r"|公开方式|联系人|联系电话|主送)")
_NOTICE = re.compile(r"印发.*《(?P<inner>.+?)》.*通知$")
#: 关于印发芦溪县…工作方案的通知: the plan's title without 《》.
_PLAIN_NOTICE = re.compile(r"关于印发(?P<inner>.{4,60}?)的通知$")
#: The second line of a wrapped 印发 notice title: 《X》的通知.
_NOTICE_TAIL = re.compile(r"《(?P<inner>[^《》]{4,60})》的?通知")
#: 《X》已经…同意/审议通过，现印发给你们: the plan named in the notice's text.
_NAMED_PLAN = re.compile(r"《(?P<inner>[^《》]{4,60})》(?:已经|经)[^。]{0,40}(?:同意|通过)"
                         r"[^。]{0,10}现(?:予)?印发")
_TITLE_MAX = 80
_TITLE_MIN = 6
_NAME_MIN = 4  # a signing body's name shorter than this may be the cut-off end of a long one
_CUT_LINE = 12  # a line at least this long may have been cut by wrapping
_TITLE_OPENING = re.compile(r"^(关于|中共|国务院|《)")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,6}(省|市|县|区|州|盟|旗)")


@dataclass(frozen=True)
class Metadata:
    title: str | None
    issuers: tuple[str, ...]
    doc_number: str | None
    date: str | None


def _has_punct(text: str) -> bool:
    return any(ch in _PUNCT for ch in text)


def is_org(text: str) -> bool:
    """A line that is the name of a body: short, no punctuation or digits, an org ending."""
    s = compact(text)
    return (2 <= len(s) <= 40 and not _has_punct(s) and not any(ch.isdigit() for ch in s)
            and any(s.endswith(suffix) for suffix in lexicon().org_suffixes))


def _fragment(text: str) -> bool:
    """Part of a name that a line break cut (宝鸡市人民政府国有资产 / 监督管理委员会)."""
    s = compact(text)
    return 1 <= len(s) <= 20 and not _has_punct(s) and not any(ch.isdigit() for ch in s)


def _ends_org(text: str) -> bool:
    return any(compact(text).endswith(suffix) for suffix in lexicon().org_suffixes)


def date_line(text: str) -> str | None:
    """The date of a 落款 line (a date alone, or after the issuer's name), else None."""
    s = compact(text)
    m = re.fullmatch(rf"(?P<org>.*?)(?P<date>{_DATE})", s)
    if m is None or (m.group("org") and not is_org(m.group("org"))):
        return None
    return iso_date(m.group("date"))


def _tail_line(text: str) -> bool:
    s = compact(text)
    return is_org(s) or date_line(s) is not None or bool(_TAIL_START.match(s)) or bool(
        re.fullmatch(rf".{{0,40}}{_DATE}(印发|发布)", s)) or _attachment_item(s)


_ATTACHMENT_ITEM = re.compile(r"\d{1,2}[.、](?P<name>[^。;；,，]{2,50})")


def _attachment_item(text: str) -> bool:
    """The second and later lines of a list of attachments: 2.桐乡市托育机构运营补助办法."""
    m = _ATTACHMENT_ITEM.fullmatch(text)
    return m is not None and (_title_end(m.group("name"))
                              or m.group("name").endswith(("标准", "表", "目录", "名单")))


def _ends_complete(text: str) -> bool:
    return (compact(text)[-1:] in set("。！？!?)）]】”\"") or is_org(text)
            or date_line(text) is not None)


def tail_start(lines: list[Line]) -> int:
    """Index of the first line of the closing block (issuers, 落款 date, 抄送 …)."""
    i = len(lines)
    while i > 0:
        text = lines[i - 1].text
        if _tail_line(text) or (_fragment(text) and i < len(lines)):
            i -= 1
            continue
        break
    while 0 < i < len(lines) and not _ends_complete(lines[i - 1].text):
        i += 1  # the first "tail" line only finishes the text before it
    return i


def _issuers_before(lines: list[Line], k: int) -> list[str]:
    """The names on the lines just before line ``k`` (the 落款 date)."""
    names: list[str] = []
    j = k - 1
    while j >= 0:
        text = compact(lines[j].text)
        side_by_side = re.split(r"\s{2,}", lines[j].text.strip())
        if len(side_by_side) > 1 and all(is_org(p) for p in side_by_side):
            names[:0] = [compact(p) for p in side_by_side]  # 甲局　　乙会　　丙联合会
            j -= 1
            continue
        if is_org(text) or (_fragment(text) and (names or _ends_org(text))):
            names.insert(0, text)
            j -= 1
            continue
        break
    merged: list[str] = []
    for name in names:
        if merged and _continues(merged[-1], name):
            merged[-1] += name
        else:
            merged.append(name)
    return [n for n in merged if is_org(n)]


def _continues(previous: str, name: str) -> bool:
    """Whether ``name`` is the rest of ``previous``, which a line break cut off."""
    if not _ends_org(previous):
        return True  # 宝鸡市人民政府国有资产 / 监督管理委员会
    if re.fullmatch("国家.+总局", previous) and not name.startswith("国家"):
        return True  # 国家金融监督管理总局 / 宝鸡监管分局
    # 中国共产主义青年团内蒙古自治区委 / 员会 (but not 县卫健局 / 团县委)
    return (len(name) < _NAME_MIN and len(previous) >= _CUT_LINE
            and not name.startswith(("团", "县", "市", "区", "省", "中共")))


def find_title(head: list[Line]) -> str | None:
    """The policy's own title; a covering notice (关于印发《X》的通知) yields to it.

    A title may run over up to four lines. Where several runs of lines could be a title, the
    first that starts like one (a region's name, 关于, 中共 …) wins over a run that starts with
    the cut-off end of a metadata line.
    """
    labels = lexicon().all_metadata_labels()
    candidates: list[str] = []
    for i in range(len(head)):
        acc = compact(head[i].text)
        if not _title_part(acc, labels) or (i > 0 and _ends_with_label(head[i - 1].text, labels)):
            continue
        j = i
        while j + 1 < len(head) and j - i < 3:
            nxt = compact(head[j + 1].text)
            if (_title_end(acc) and _TITLE_NOTE.fullmatch(nxt) and _EDITION.search(nxt)
                    and not DOC_NUMBER.search(nxt) and len(acc + nxt) <= _TITLE_MAX):
                acc, j = acc + nxt, j + 1  # 三年行动方案 / （2025—2027年）
                break
            if not _title_part(nxt, labels) or len(acc + nxt) > _TITLE_MAX:
                break
            if _title_end(acc) and not (_title_end(acc + nxt) and len(nxt) < _TITLE_MIN):
                break  # a whole title; the next line is not its last few characters
            acc, j = acc + nxt, j + 1
        if _title_end(acc) and _TITLE_MIN <= len(acc) <= _TITLE_MAX:
            candidates.append(acc)
    candidates = [c for c in candidates if c.count("《") == c.count("》")]
    # 株洲市人民政府办公室 / 关于…方案: the issuer on the line above is part of the title
    candidates = [c for c in candidates
                  if not any(o != c and o.endswith(c) and is_org(o[:-len(c)])
                             and c.startswith("关于") for o in candidates)]
    candidates.sort(key=lambda c: (bool(_NOTICE.search(c) or _PLAIN_NOTICE.search(c)),
                                   _start_rank(c)))
    if not candidates:
        named = _NAMED_PLAN.search("".join(compact(line.text) for line in head))
        return display(named.group("inner")) if named and _title_end(named.group("inner")) \
            else None
    best = candidates[0]
    notice = _NOTICE.search(best) or _PLAIN_NOTICE.search(best) or _NOTICE_TAIL.fullmatch(best)
    if notice and _title_end(notice.group("inner")):
        return display(notice.group("inner"))
    if best.startswith("《") and best.endswith("》") and best.count("《") == 1:
        best = best[1:-1]
    return display(best)


def issued_title(lines: list[Line]) -> str | None:
    """The plan a 印发 notice issues, from its own title (关于印发《X》的通知, 关于印发X的通知):
    the document's title even when an attachment after the plan carries a title of its own."""
    joined = "".join(compact(line.text) for line in lines[:8])
    for pattern in (_NOTICE, _PLAIN_NOTICE):
        for m in re.finditer(r"关于印发.{2,80}?的?通知", joined):
            found = pattern.search(m.group())
            if found and _title_end(found.group("inner")):
                return display(found.group("inner"))
    return None


def _start_rank(text: str) -> int:
    """0: starts with a known region's name or 关于/中共; 1: like a place name; 2: neither."""
    if _TITLE_OPENING.match(text) or any(
            text.startswith(r.name) or text.startswith(r.short)
            for r in load_regions() if r.level != "national"):
        return 0
    return 1 if _PLACE.match(text) else 2


def _title_part(text: str, labels: tuple[str, ...]) -> bool:
    if not text or any(ch in text for ch in "，。；：,;:") or DOC_NUMBER.fullmatch(text):
        return False
    if re.fullmatch(r"附件\d{0,2}", text):
        return False
    if any(text.startswith(label) for label in labels) or date_line(text) is not None:
        return False
    opening = is_cjk(text[0]) or text[0] == "《"
    return opening and not re.match(r"^(为|根据|按照|各|现将|经)", text)


def _ends_with_label(text: str, labels: tuple[str, ...]) -> bool:
    """The line ends with a label, so the next line holds its value."""
    squeezed = compact(text).rstrip(":：")
    return compact(text).endswith((":", "：")) or squeezed.endswith(labels)


#: A bracketed line that belongs to the title above it: its years or its edition
#: （2025—2027年）, （试行）; not a subtitle such as （按牵头单位分列）.
_EDITION = re.compile(r"\d|试行|暂行|修订|征求意见稿|送审稿|草案")
#: A short bracketed note after a title's last word: （试行）, （节选）, （征求意见稿）, (2024年版).
_TITLE_NOTE = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def _title_end(text: str) -> bool:
    stripped = _TITLE_NOTE.sub("", text.rstrip("》")).rstrip("》")
    return any(stripped.endswith(s) for s in lexicon().title_suffixes)


def find_metadata(head: list[Line], tail: list[Line]) -> Metadata:
    joined = Joined(head + tail)
    title = find_title(head)
    date, issuers = signature(tail, head)
    if date is None:
        date = _labelled_or_printed_date(joined) or bracketed_date(Joined(head))
    if not issuers and tail:
        issuers = [compact(line.text) for line in tail if is_org(line.text)]
    if not issuers:
        org = labelled_org(joined, "issuer", is_org)
        issuers = [org] if org else []

    return Metadata(title, tuple(dict.fromkeys(display(n) for n in issuers)), doc_number(joined),
                    date)


def signature(*regions: list[Line]) -> tuple[str | None, list[str]]:
    """The 落款: a date alone on its line and the issuers on the lines just above it."""
    date: str | None = None
    for region in regions:
        for k, line in enumerate(region):
            found = date_line(line.text)
            if found is None:
                continue
            names = _issuers_before(region, k)
            org = re.match(rf"(.*?){_DATE}", compact(line.text))
            if org and org.group(1):
                names.append(org.group(1))
            if names:
                return found, names
            if date is None:
                date = found
    return date, []


def _labelled_or_printed_date(joined: Joined) -> str | None:
    """成文日期, then 印发 date, then 发布时间, then 生成日期."""
    for key in ("written", "issued"):
        found = labelled_date(joined, key)
        if found:
            return found
    m = re.search(rf"({_DATE})(印发|发布)", joined.text)
    if m:
        return iso_date(m.group(1))
    for key in ("published", "generated"):
        found = labelled_date(joined, key)
        if found:
            return found
    return None


def issuer_in_title(title: str | None) -> str | None:
    """铜陵市人民政府办公室关于…的实施意见: the body that wrote it, for a text with no 落款."""
    if not title or "关于" not in title:
        return None
    before = compact(title).split("关于", 1)[0]
    return display(before) if before and is_org(before) else None
