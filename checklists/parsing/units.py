"""Units as written: finding a measure's unit clause and splitting it into names.

The clause is what follows the measure's text: ``（责任单位：A、B）``, ``(A、B按职责分工负责)``,
``责任单位:A、B)`` with a lone bracket, ``[责任单位:…]``, ``(牵头单位:X;责任单位:Y)`` or a label
on its own line. Names are kept verbatim: a shared prefix (自治区发展改革委、民政厅) is not
expanded here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checklists.parsing.lexicon import Lexicon, lexicon
from checklists.parsing.model import ParsedUnit, UnitRole
from checklists.parsing.text import compact, display

_OPEN = "([【〔"
_CLOSE = ")]】〕"
_PAIR = dict(zip(_CLOSE, _OPEN, strict=True))
_SEPARATORS = set("、,，;；/ \t\n")
_SUBCLAUSE = re.compile(r"[,，;；。]")
_EDGE = " \t\n。.、,，;；:：—-－"  # a dash too: ——市卫生健康委牵头
#: Words before the first name of a clause that names units for several measures:
#: 以下措施由…, 本部分任务均由…
_LEAD_IN = re.compile(r"^(?:以下|以上|上述|本(?:章|节|部分|项)?)(?:各项|所有)?"
                      r"(?:措施|任务|工作|事项)?(?:均|统一|分别)?由")
#: What an empty table cell holds: a dash, a slash, 无.
_PLACEHOLDER = re.compile(r"[-—–―─/\\.…]+|无|暂无|空|/")


@dataclass
class UnitClause:
    units: list[tuple[str, UnitRole]] = field(default_factory=list)  # (name, role) as written
    inherited: list[str] = field(default_factory=list)  # named once for all measures after

    def names(self) -> list[str]:
        return [name for name, _ in self.units]


def _label_colon(lex: Lexicon) -> re.Pattern[str]:
    return re.compile(lex.label_re.pattern + r"\s?[:：]")


def split_unit_clause(body: str) -> tuple[str, str | None]:
    """(the measure's text without its unit clause, the clause or None)."""
    lex = lexicon()
    text = body.rstrip()
    core = text.rstrip("。. ")
    clauses: list[str] = []
    body = core
    while core and core[-1] in _CLOSE:  # 【牵头单位：X】【责任单位：Y】: every bracket at the end
        opened = _matching_open(core)
        if opened is None or not _looks_like_clause(core[opened + 1:-1], lex):
            break
        clauses.insert(0, core[opened + 1:-1])
        body = core[:opened].rstrip()
        core = body.rstrip("。. ")
    if clauses:
        return body, ";".join(clauses)
    labelled = _labelled_clause(core, lex)
    if labelled is not None:
        return labelled
    return _unlabelled_sentence(text, core, lex)


def _matching_open(text: str) -> int | None:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth -= 1
            if depth == 0:
                return i
    return None


def _looks_like_clause(inner: str, lex: Lexicon) -> bool:
    if _label_colon(lex).search(inner):
        return True
    if any(p.search(inner) for p in lex.inherited):
        return True
    if "。" in inner:
        return False
    squeezed = compact(inner).rstrip(_EDGE)
    if any(squeezed.endswith(end) for end in lex.unit_clause_endings):
        return True
    pieces = [p for p in _split_names(inner) if p]
    if len(pieces) == 1:  # （市税务局）: one body, named with its level, is a clause too
        return _org_like(pieces[0], lex) and _SINGLE_BODY.fullmatch(pieces[0]) is not None
    return len(pieces) >= 2 and all(_org_like(p, lex) for p in pieces)


def _org_like(name: str, lex: Lexicon) -> bool:
    return any(name.endswith(s) for s in lex.org_suffixes)


def _labelled_clause(core: str, lex: Lexicon) -> tuple[str, str] | None:
    matches = list(_label_colon(lex).finditer(core))
    if not matches:
        return None
    last = matches[-1]
    if "。" in core[last.end():].rstrip("。"):
        return None
    first = last
    for earlier in reversed(matches[:-1]):
        if "。" in core[earlier.end():first.start()]:
            break
        first = earlier
    start = first.start()
    while start > 0 and core[start - 1] in _OPEN + " ":
        start -= 1
    if core[start] in _OPEN:
        close = _matching_close(core[start:])
        if close is not None and start + close < len(core) - 1:
            # （责任单位：A、B）(1)…(2)…: the bracket closes the clause; what follows is text
            end = start + close
            return (core[:start] + core[end + 1:]).strip(), core[start + 1:end]
    return core[:start].rstrip(), core[start:]


def _unlabelled_sentence(text: str, core: str, lex: Lexicon) -> tuple[str, str | None]:
    """``…。县卫健局、县财政局按职责分工负责`` with neither label nor bracket."""
    cut = core.rfind("。")
    if cut < 0:
        return text, None
    rest = core[cut + 1:].strip()
    if any(p.match(compact(rest).removeprefix("以上")) for p in lex.division):
        # 以上第1—5项由X牵头…: the division of labour for several measures, not this one's
        return core[:cut + 1], None
    squeezed = compact(rest).rstrip(_EDGE)
    if (rest and len(rest) <= 300
            and any(squeezed.endswith(end) for end in lex.unit_clause_endings)
            and all(_org_like(p, lex) for p in parse_unit_clause(rest).names())):
        return core[:cut + 1], rest
    return text, None


def _split_names(value: str) -> list[str]:
    """Split a list of names on 、，；, spaces and slashes, but not inside brackets."""
    out: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in _SEPARATORS:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [_clean_name(p) for p in out]


def _rejoin(names: list[str], lex: Lexicon) -> list[str]:
    """Put back a collective name that a 、 inside it split (各县、区人民政府), but not a list
    (各街镇、区卫生健康委)."""
    out: list[str] = []
    open_list = False  # 各县、自治县、… waiting for its 人民政府
    for name in names:
        collective = (out and out[-1].startswith("各") and not out[-1].endswith(lex.org_suffixes)
                      and (len(out[-1]) <= 3 or open_list))
        if collective and re.fullmatch(r"[市县区旗州乡镇][^、]{0,4}人民政府", name):
            out[-1] = f"{out[-1]}、{name}"
            open_list = False
        elif collective and re.fullmatch(r"(?:自治)?[市县区旗州]|[市县区旗]级", name):
            out[-1] = f"{out[-1]}、{name}"
            open_list = True
        else:
            out.append(name)
            open_list = False
    return out


def _clean_name(name: str) -> str:
    lex = lexicon()
    name = _trim_brackets(name.strip(_EDGE))
    changed = True
    while changed and name:
        changed = False
        for tail in lex.unit_tails:
            if name.endswith(tail) and len(name) > len(tail):
                name = _trim_brackets(name[: -len(tail)].strip(_EDGE))
                changed = True
                break
    name = _LEAD_IN.sub("", name) if len(name) > 4 else name
    if name.startswith("由") and len(name) > 2:
        name = name[1:]
    return name


def _trim_brackets(name: str) -> str:
    """Drop brackets the split left unbalanced at either end; keep ``市财政局(市政府国资委)``."""
    while True:
        before = name
        if name and name[-1] in _CLOSE and _matching_open(name) is None:
            name = name[:-1].strip(_EDGE)
        if name and name[0] in _OPEN and _matching_close(name) is None:
            name = name[1:].strip(_EDGE)
        if name == before:
            return name


def _matching_close(text: str) -> int | None:
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return None


def parse_unit_clause(clause: str) -> UnitClause:
    """The names in a unit clause with their roles, and the names it hands down."""
    lex = lexicon()
    body = clause
    inherited: list[str] = []
    for pattern in lex.inherited:
        for m in pattern.finditer(body):
            inherited.extend(n for n in _split_names(m.group("units")) if n)
        body = pattern.sub(";", body)
    segments: list[tuple[UnitRole | None, str]] = []
    matches = list(_label_colon(lex).finditer(body))
    head = body[: matches[0].start()] if matches else body
    if head.strip(_EDGE):
        segments.append((None, head))
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(body)
        labelled: UnitRole = "lead" if lex.is_lead_label(m.group("label")) else "responsible"
        segments.append((labelled, body[m.end():end]))
    parsed = UnitClause([], inherited)
    for role, value in segments:
        # 责任单位：X牵头，Y、Z配合 — a verb inside a labelled list still says who leads
        verbs = role is None or _LEAD_VERB.search(compact(value)) is not None
        prose = False  # the text ran on past the list into a sentence
        for sub in _SUBCLAUSE.split(value) if verbs else [value]:
            if prose:
                break
            sub_role: UnitRole = _role_by_verb(sub, role)
            for name in _rejoin(_split_names(sub), lex):
                cut = _run_on(name, lex) if role is not None else None
                if cut is not None:  # 市妇联各成员单位要按照职责分工…: a paragraph after it
                    name, prose = cut, True
                marked = _LEAD_MARK.search(name)  # 区卫生健康局（牵头）
                if marked:
                    name = name[:marked.start()].rstrip()
                name = _REMARK.sub("", name)  # 市财政局（按职责）: a remark, not the name
                if (name and not lex.label_re.fullmatch(name)
                        and not _PLACEHOLDER.fullmatch(name)):
                    parsed.units.append((name, "lead" if marked else sub_role))
                if prose:
                    break
    return parsed


#: A listed name longer than this that does not end like a body may have a sentence after it.
_RUN_ON_MIN = 11


def _run_on(name: str, lex: Lexicon) -> str | None:
    """The body's name at the start of a listed name that runs on into a sentence (a closing
    paragraph or a page header joined to the last unit line), or None when the name is one.
    The shortest start that ends like a body is taken."""
    if (len(name) < _RUN_ON_MIN or _org_like(name, lex) or lex.is_collective(name)
            or any(ch in name for ch in "()（）")):
        return None
    for k in range(3, len(name) - 3):
        if _org_like(name[:k], lex):
            return name[:k]
    return None


_REMARK = re.compile(r"[(（](?:按职责(?:分工)?|按照职责(?:分工)?|配合|协助|参与|协办|按职责负责|"
                     r"各司其职|分别负责|负责)[)）]$")
#: A lone body in brackets after a measure: a level word first, a short name.
_SINGLE_BODY = re.compile(r"(?:市|县|区|省|自治区|州|盟|旗|各)[^，。；,;:：]{2,18}")
_LEAD_MARK = re.compile(r"[(（](?:牵头|牵头单位|主责)[)）]$")
_LEAD_VERB = re.compile(r"牵头(?:负责)?(?=$|[,，;；。、])|\(牵头\)")


def _role_by_verb(sub: str, labelled: UnitRole | None = None) -> UnitRole:
    """``X牵头`` makes X a lead unit; otherwise the label's role, or responsible."""
    squeezed = compact(sub).rstrip(_EDGE)
    if re.search(r"牵头(负责)?$", squeezed):
        return "lead"
    return labelled or "responsible"


def unit_objects(units: list[tuple[str, UnitRole]]) -> list[ParsedUnit]:
    """ParsedUnits in order, exact duplicates dropped (the first mention wins)."""
    lex = lexicon()
    seen: set[str] = set()
    out: list[ParsedUnit] = []
    for written, role in units:
        name = display(written)
        if name in seen:
            continue
        seen.add(name)
        out.append(ParsedUnit(name, role, lex.is_collective(name)))
    return out
