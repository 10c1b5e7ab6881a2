"""Units named in a measure's own sentences, where the document has no unit clause.

Documents of articles (第X条) say who does what in the text itself: ``市卫生健康委牵头，会同
市教育局推进…``, ``由X牵头，Y、Z配合，…``, ``X会同Y建立…``, ``X负责…``, ``X、Y按照各自职责做好…``.
Only the start of a sentence is read, and only a list whose every name looks like a body
(starts with a level such as 市 or 县 and ends like a body), so ``托育机构向县卫健委备案``
names nobody.
"""

from __future__ import annotations

import re
from functools import cache

from checklists.parsing.lexicon import lexicon
from checklists.parsing.model import UnitRole

_SENTENCES = re.compile("[。；;]")
_LIST = "[^，,。；;：:]{2,120}?"
_NAME_START = ("市", "县", "区", "省", "自治区", "州", "盟", "旗", "国家", "中共", "团", "各")
_NAME_SPLIT = re.compile("[、和及与]")
_NAME_MAX = 30


_REST = "(?P<rest>[^，,。；;：:]{2,120})"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return (
        # 由A牵头，会同C推进… / A牵头，C配合，… / A牵头负责…
        re.compile(rf"^由?(?P<lead>{_LIST})牵头(?:负责)?(?:[，,]?(?:会同|联合){_REST}|"
                   rf"[，,](?P<resp>{_LIST})(?:配合|参与|协助|按职责分工负责|按照职责分工负责))?"),
        # A会同C建立…
        re.compile(rf"^(?P<lead>{_LIST})(?:会同|联合){_REST}"),
        # 由A负责，C、D配合，…: A leads
        re.compile(rf"^由?(?P<lead>{_LIST})负责[，,](?P<resp>{_LIST})(?:配合|参与|协助)"),
        # A负责… / A、B按照各自职责… / A应当推动…
        re.compile(rf"^由?(?P<resp>{_LIST})(?:负责|按照各自职责|按各自职责|按照职责分工|"
                   r"按职责分工|共同做好|配合做好|应当)"),
    )


@cache
def _verbs() -> re.Pattern[str]:
    verbs = sorted(map(re.escape, lexicon().sentence_verbs), key=len, reverse=True)
    return re.compile("|".join(verbs))


@cache
def _adverb_tail() -> re.Pattern[str]:
    """A run of adverbs at the end of a text (每两年, 定期, 共同 …)."""
    words = sorted(map(re.escape, lexicon().sentence_adverbs), key=len, reverse=True)
    return re.compile("(?:" + "|".join(words) + ")+$")


def _names_before_verb(rest: str | None) -> list[str] | None:
    """The bodies at the start of ``rest`` (市教育局、市住房城乡建设局推进…): the list before
    the first verb at which every name is whole, adverbs before the verb set aside
    (省总工会、省妇联每两年开展…)."""
    if not rest:
        return None
    for m in _verbs().finditer(rest):
        before = rest[:m.start()]
        names = _names(before)
        if names is None and lexicon().sentence_adverbs:
            names = _names(_adverb_tail().sub("", before))
        if names is not None:
            return names
    return _names(rest)  # the list is the whole clause: 会同C、D，对……


def _names(text: str | None) -> list[str] | None:
    """The names of a list when every one of them looks like a body, else None."""
    if not text:
        return None
    suffixes = lexicon().org_suffixes
    names = [n.strip() for n in _NAME_SPLIT.split(text)]
    if not names or not all(
            2 < len(n) <= _NAME_MAX and n.startswith(_NAME_START) and n.endswith(suffixes)
            and not any(ch.isdigit() for ch in n) for n in names):
        return None
    return names


def sentence_units(text: str) -> list[tuple[str, UnitRole]]:
    """(name, role) of the bodies the sentences of ``text`` put in charge, in order."""
    found: list[tuple[str, UnitRole]] = []
    for sentence in _SENTENCES.split(text):
        sentence = sentence.strip()
        for pattern in _patterns():
            m = pattern.match(sentence)
            if m is None:
                continue
            groups = m.groupdict()
            lead = _names(groups.get("lead"))
            if "lead" in groups and lead is None:
                continue
            resp = _names(groups.get("resp")) or _names_before_verb(groups.get("rest"))
            if lead is None and resp is None:
                continue
            found.extend((n, "lead") for n in lead or [])
            found.extend((n, "responsible") for n in resp or [])
            break
    return found
