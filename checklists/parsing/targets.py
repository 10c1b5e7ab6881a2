"""Quantitative targets (目标指标) in a measure's or a preamble's text.

A 督查 item compares a target with what was found, so a wrong target is worse than a missing
one: the extractor only reports a number when the wording makes it a goal.

A number (with a unit: %, ‰, /10万, 元, 万元, 平方米, 个, 所, 家, 张, 名) is a target when

- a comparator stands before it or after it: 达到/达/提高至/提高到/增加到/不少于/不低于/不小于/至少
  (``>=``), 不超过/不高于/控制在/降至 (``<=``), 超过/高于 (``>``), 低于/少于/不满/不足 (``<``),
  and after it 以上 (``>=``) or 以下/以内 (``<=``). Per 《民法典》第一千二百五十九条 以上/以下/以内
  include the number and 超过/不满 exclude it; 提高至/达到 mean "at least";
- a verb of building stands before a count: 建立/建设/建成/设置/完成 1 所/个/家 … (``>=``);
  only here may the count be a Chinese numeral (一个以上, 一所);
- it is a benefit standard paid per head and period: 每人每月发放…1000元, 每生每年减免1000元
  (``>=``, the standard must at least be met);
- a recurring report is due: 每年12月25日前…报告 gives a target of one report (``>=`` 1 次) with
  the deadline in ``recurrent``.

Not targets: dates, document numbers (〔2024〕162号), ages (0-3岁, 3岁以下, 5岁以下儿童),
article and item numbers, 1+N, 第一, counts of issuers (17部门), amounts stated without a
comparator (100%报销, 比例为15%), conditions (对规划建设100个以上托位的项目), and
specifications of a thing without a named measure (超过70平方米的住房). A number followed by
的 is kept only when the measured attribute is named before it (建筑面积不小于200平方米的场地).

Values written as a list are distributed: 孕产妇死亡率、婴幼儿死亡率分别控制在14.5/10万、5‰以下
gives two targets. A range (20万元-30万元, 20至30万元) gives ``range`` with ``value_max``.

Deadlines: a year phrase (2025年, / 到2025年 / 2025年底前 / 在2025年前) at the head of a sentence
applies to every target after it in the paragraph, until the next such phrase; inside a sentence
it applies to the rest of that sentence. 年底/年末 give ``YYYY-12-31``. 力争/争取/努力 before the
number in its sentence make the target ``soft``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from checklists.parsing.model import Comparator, ParsedTarget

_UNIT = r"(?:%|‰|/10万|/万|万元|亿元|元|平方米|㎡|个(?!月)|所|家|张|名)"
_NUM = r"\d+(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十]+"
_QTY = re.compile(
    rf"(?<![\d.\-—–~～])(?<![一二两三四五六七八九十百千万第])"
    rf"(?P<num>{_NUM}|{_CN_NUM})\s*(?:(?P<unit1>{_UNIT})\s*)?"
    rf"(?:(?:[-—–~～]|至|到)\s*(?P<num2>{_NUM})\s*)?(?P<unit>{_UNIT})"
)
_POST = re.compile(r"\s*(?P<post>及以上|以上|及以下|以下|以内)")

_COMPARATOR_WORDS: dict[Comparator, str] = {
    ">=": "不得少于 不得低于 不少于 不低于 不小于 至少 达到 达 "
    "提高至 提高到 提升至 提升到 增加到 增加至 增至",
    "<=": "不得超过 不超过 不高于 不大于 控制在 降至 降低到 降低至 下降到",
    ">": "超过 高于 大于 多于",
    "<": "低于 少于 小于 不满 不足",
}
_PRE_CMP = {w: c for c, words in _COMPARATOR_WORDS.items() for w in words.split()}
_PRE_RE = re.compile("(?P<cmp>" + "|".join(sorted(_PRE_CMP, key=len, reverse=True)) + r")\s*$")
_BUILD_RE = re.compile(r"(?P<verb>建立|建设|建成|设置|设立|完成|新建|举办)\s*$")
_BENEFIT_RE = re.compile(r"每(?:人|生|户|名)?每?(?:月|年)?.*?(?:发放|减免|补贴|补助|奖励)\S*$")
_LIST_SEP = re.compile(r"^\s*[、和及与]\s*$")
_ATTRIBUTE_RE = re.compile(r"(建筑面积|使用面积|面积|规模)$")
_SOFT_RE = re.compile(r"力争|争取|努力")
_INSTITUTION_SUFFIX = re.compile(r"(?:救治|救助|服务|指导|保健)?(?:中心|机构|站|室|点|园|院)$")

_DEADLINE_RE = re.compile(
    r"(?<![\d\-—–~～])(?:(?P<pre>到|至|在|于)\s*)?(?P<y>20\d{2})\s*年"
    r"(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?)?"
    r"\s*(?P<end>底|末)?\s*(?P<before>以前|前)?(?P<comma>\s*[,，])?"
)
_RECURRENT_RE = re.compile(
    r"每年\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月底|年底|年末)\s*(?:以前|前)?"
)

_LEAD_JUNK = re.compile(
    r"^(?:(?:到|至|在|于)?20\d{2}年(?:底|末)?(?:以前|前)?|力争|争取|努力|全县|全市|全区|全省|"
    r"全旗|全盟|全州|符合条件的|[、,，]|并|要|应当|应|须|需|可|均|将|对|按照|按|使|确保|推动|实现|进一步|逐步|持续)"
    r"[,，]?"
)
_TRAIL_JUNK = re.compile(r"(?:要|应当|应|须|需|可|均|分别|能够|能|拥有|力争|争取|努力)$")
_PAREN = re.compile(r"[（(]([^()（）]*)[)）]")
_CN_DIGITS = dict(zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


@dataclass(frozen=True)
class _Qty:
    start: int
    end: int  # after the unit and any 以上/以下
    value: float
    value_max: float | None
    unit: str
    post: Comparator | None
    chinese: bool


def extract_targets(text: str) -> tuple[ParsedTarget, ...]:
    """Every quantitative goal in ``text``, in the order written (see the module docstring)."""
    norm = _normalise(text)
    out: list[ParsedTarget] = []
    for p_start, p_end in _spans(norm, 0, len(norm), "\n"):
        carried: str | None = None  # deadline from the head of an earlier sentence
        for s_start, s_end in _spans(norm, p_start, p_end, "。；;！？!?"):
            sentence = norm[s_start:s_end]
            events, head = _deadlines(sentence)
            if head is not None:
                carried = head
            recurrent = _RECURRENT_RE.search(sentence)
            for c_start, c_end in _clauses(norm, s_start, s_end):
                for target in _clause_targets(norm, text, c_start, c_end):
                    offset = target.pos - s_start
                    deadline = _deadline_at(events, offset) or carried
                    soft = bool(_SOFT_RE.search(sentence[:offset]))
                    out.append(
                        ParsedTarget(
                            indicator=target.indicator,
                            value=target.value,
                            unit=target.unit,
                            comparator=target.comparator,
                            value_max=target.value_max,
                            deadline=deadline,
                            recurrent=_compact(recurrent[0]) if recurrent else None,
                            soft=soft,
                            source_text=target.source_text,
                        )
                    )
            if recurrent is not None:
                out.extend(_report_target(norm, text, s_start, s_end, recurrent))
    return tuple(out)


def _normalise(text: str) -> str:
    """Same-length cleaning, so spans in the result are spans in the original text."""
    text = re.sub(r"<[^>]*>", lambda m: " " * len(m[0]), text)
    text = text.translate(str.maketrans("０１２３４５６７８９％", "0123456789%"))
    text = re.sub(r"(?<=\d)．(?=\d)", ".", text)
    # "建成l个": a lost 1 read as the letter l or I
    return re.sub(r"(?<![A-Za-z])[lI](?=\s*[个所家])", "1", text)


def _spans(text: str, start: int, end: int, seps: str) -> Iterator[tuple[int, int]]:
    pos = start
    for i in range(start, end):
        if text[i] in seps:
            if i + 1 > pos:
                yield pos, i + 1
            pos = i + 1
    if pos < end:
        yield pos, end


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Comma-separated parts of a sentence; commas inside brackets do not split."""
    depth, pos = 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in "(（〔[【":
            depth += 1
        elif ch in ")）〕]】" and depth:
            depth -= 1
        elif ch in ",，:：。；;！？!?" and depth == 0:
            if i > pos:
                yield pos, i
            pos = i + 1
    if pos < end:
        yield pos, end


def _deadlines(sentence: str) -> tuple[list[tuple[int, str]], str | None]:
    """Deadline phrases of a sentence by position, and the one at its head (if any)."""
    events: list[tuple[int, str]] = []
    head: str | None = None
    for m in _DEADLINE_RE.finditer(sentence):
        at_head = not re.sub(r"[\s\u3000]|力争|争取|努力", "", sentence[: m.start()])
        if not (m["pre"] or m["end"] or m["before"] or (at_head and m["comma"])):
            continue
        y = m["y"]
        if m["m"] and m["d"]:
            value = f"{y}-{int(m['m']):02d}-{int(m['d']):02d}"
        elif m["end"] and not m["m"]:
            value = f"{y}-12-31"
        elif m["m"]:
            value = f"{y}-{int(m['m']):02d}"
        else:
            value = y
        events.append((m.start(), value))
        if at_head:
            head = value
    return events, head


def _deadline_at(events: list[tuple[int, str]], offset: int) -> str | None:
    found = None
    for pos, value in events:
        if pos <= offset:
            found = value
    return found


@dataclass(frozen=True)
class _Found:
    indicator: str
    value: float
    value_max: float | None
    unit: str
    comparator: Comparator
    source_text: str
    pos: int  # where the number stands in the text


def _quantities(text: str, start: int, end: int) -> list[_Qty]:
    out = []
    for m in _QTY.finditer(text, start, end):
        unit1, unit = m["unit1"], m["unit"]
        if unit1 and not m["num2"]:
            continue  # "75%%"-like noise; a unit twice without a range is not a quantity
        chinese = not m["num"][0].isdigit()
        value = _cn_number(m["num"]) if chinese else float(m["num"])
        if value is None:
            continue
        post_m = _POST.match(text, m.end(), end)
        post: Comparator | None = None
        stop = m.end()
        if post_m:
            post = ">=" if post_m["post"].endswith("以上") else "<="
            stop = post_m.end()
        value_max = float(m["num2"]) if m["num2"] else None
        unit = unit.replace("㎡", "平方米")
        out.append(_Qty(m.start(), stop, value, value_max, unit, post, chinese))
    return out


def _clause_targets(norm: str, original: str, c_start: int, c_end: int) -> list[_Found]:
    qtys = _quantities(norm, c_start, c_end)
    source = _source(original, c_start, c_end)
    found: list[_Found] = []
    prev: tuple[str, Comparator, str] | None = None  # form, comparator, indicator
    bound = c_start
    for i, q in enumerate(qtys):
        left = norm[bound : q.start]
        bound = q.end
        listed = prev is not None and (
            bool(_LIST_SEP.match(left)) or (prev[0] == "build" and left.strip().endswith("和"))
        )
        form: str | None
        comparator: Comparator | None
        if prev is not None and listed:
            form, comparator = prev[0], prev[1]
            left = ""
        else:
            form, comparator = _trigger(left.strip(), q)
        if form is None or comparator is None:
            prev = None
            continue
        nxt = qtys[i + 1] if i + 1 < len(qtys) else None
        after_end = nxt.start if nxt and _continues_build(norm[q.end : nxt.start]) else c_end
        after = norm[q.end : after_end]
        if after_end != c_end:
            after = re.sub(r"[、和及与]\s*$", "", after)
        indicator = _indicator(form, left, after, norm, c_start, q)
        if not indicator and listed and prev is not None and form == "cmp":
            indicator = prev[2]  # x、y: renamed by _distribute when the names are listed too
        prev = (form, comparator, indicator)
        if not indicator:
            continue
        if form == "build" and after_end != c_end:
            suffix = _INSTITUTION_SUFFIX.search(_clean(norm[after_end:c_end]))
            if suffix and not _INSTITUTION_SUFFIX.search(indicator):
                indicator += suffix[0]
        if q.chinese and q.value == 1 and not q.post and not _INSTITUTION_SUFFIX.search(indicator):
            continue  # "建立一个统一的数据库": 一个 as an article, not a count to check
        if q.value_max is not None:
            comparator = "range"
        found.append(_Found(indicator, q.value, q.value_max, q.unit, comparator, source, q.start))
    return _distribute(found, norm, c_start, c_end, qtys)


def _trigger(left: str, q: _Qty) -> tuple[str | None, Comparator | None]:
    """The form of a quantity (cmp, build, benefit) and its comparator, or (None, None)."""
    if q.chinese:
        return ("build", ">=") if _BUILD_RE.search(left) or left.endswith("至少") else (None, None)
    pre = _PRE_RE.search(left)
    if pre:
        comparator = _PRE_CMP[pre["cmp"]]
        if q.post and comparator in (">=", "<="):
            comparator = q.post
        # "至少 1 个X": nothing measured before the comparator, so the count names a thing
        return ("build" if not _clean(left[: pre.start()]) else "cmp"), comparator
    if _BUILD_RE.search(left) and q.unit in ("个", "所", "家", "张", "名"):
        return "build", ">="
    if q.unit in ("元", "万元") and _BENEFIT_RE.search(left):
        return "benefit", ">="
    if q.post:
        return "cmp", q.post
    return None, None


def _continues_build(between: str) -> bool:
    """ "1 个危重孕产妇和 1 个新生儿救助中心": a noun, then 和/、, then the next count."""
    return bool(re.fullmatch(r"[^,，]{1,20}?[和、]\s*", between))


def _indicator(form: str, left: str, after: str, norm: str, c_start: int, q: _Qty) -> str:
    before = _clean(re.sub(_PRE_RE.pattern, "", left.strip()))
    before = _clean(_BUILD_RE.sub("", before)) if form == "build" else before
    if form != "benefit" and _under_condition(norm, c_start, q):
        return ""
    if form == "build" or (form == "cmp" and not before and after.strip()):
        noun = _clean(re.sub(r"(?:建设)?任务$", "", after.strip()))
        if not noun:
            return ""
        return before + noun if before and len(before) <= 12 else noun
    if after.lstrip().startswith("的"):
        noun = _clean(re.split(r"[,，]", after.lstrip()[1:])[0])
        use = re.match(r"(.+?)用于(.+)", noun)
        if use:
            noun = use[2] + use[1]
        attribute = _ATTRIBUTE_RE.search(before)
        if form == "benefit":
            return before + noun
        if not attribute or not noun:
            return ""
        return noun + attribute[1]
    if form == "cmp" and after.strip() and before.endswith(("每千人口", "每万人口", "每百人")):
        noun = _clean(re.split(r"的|[,，]", after.strip())[0])
        parts = re.split(r"按照|按", before)
        subject = _clean(parts[0]) if len(parts) > 1 else ""
        return (subject or _subject(norm, q.start)) + _clean(parts[-1]) + noun
    return before


def _under_condition(norm: str, c_start: int, q: _Qty) -> bool:
    """Inside "对…的": the number describes whom a measure applies to, not a goal."""
    left = norm[c_start : q.start]
    pos = left.rfind("对")
    return pos >= 0 and "的" not in left[pos:]


def _subject(norm: str, q_start: int) -> str:
    """The subject of "每千人口…" taken from a preceding "对X," in the same sentence."""
    s_start = max(norm.rfind(ch, 0, q_start) for ch in "。；;\n") + 1
    head = norm[s_start:q_start]
    m = list(re.finditer(r"对([^,，。；]+?)[,，]", head))
    return _clean(m[-1][1]) if m else ""


def _clean(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    text = _PAREN.sub(
        lambda m: "" if re.search(r"[、等,，]", m[1]) or len(m[1]) > 4 else m[0], text
    )
    while True:
        new = _TRAIL_JUNK.sub("", _LEAD_JUNK.sub("", text))
        if new == text:
            return text
        text = new


def _distribute(
    found: list[_Found], norm: str, c_start: int, c_end: int, qtys: list[_Qty]
) -> list[_Found]:
    """A, B分别控制在x、y以下: give each listed indicator its own value."""
    clause = norm[c_start:c_end]
    m = re.search(r"(?P<names>[^,，]+?)分别", clause)
    if not m or len(found) < 2:
        return found
    names = [n for n in (_clean(x) for x in re.split(r"[、和]", m["names"])) if n]
    if len(names) != len(found):
        return found
    post = qtys[len(found) - 1].post if len(qtys) >= len(found) else None
    return [
        replace(
            f,
            indicator=name,
            comparator=post if post and f.comparator in (">=", "<=") else f.comparator,
        )
        for name, f in zip(names, found, strict=True)
    ]


def _report_target(
    norm: str, original: str, s_start: int, s_end: int, recurrent: re.Match[str]
) -> list[ParsedTarget]:
    """每年12月25日前…报告: one report a year, due by the recurring deadline."""
    for c_start, c_end in _clauses(norm, s_start, s_end):
        clause = norm[c_start:c_end]
        if recurrent[0] in clause and "报告" in clause:
            indicator = _clean(re.sub(r"(?:要|应|须)(?=向)", "", clause.replace(recurrent[0], "")))
            return [
                ParsedTarget(
                    indicator=indicator,
                    value=1,
                    unit="次",
                    comparator=">=",
                    recurrent=_compact(recurrent[0]),
                    source_text=_source(original, c_start, c_end),
                )
            ]
    return []


def _source(original: str, start: int, end: int) -> str:
    return re.sub(r"<[^>]*>", "", original[start:end]).strip()


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cn_number(text: str) -> float | None:
    """一 … 九十九 (enough for counts of institutions)."""
    if text == "十":
        return 10.0
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, 1 if not tens else 0)
        o = _CN_DIGITS.get(ones, 0) if ones else 0
        return float(t * 10 + o) if t else None
    if len(text) == 1 and text in _CN_DIGITS:
        return float(_CN_DIGITS[text])
    return None
