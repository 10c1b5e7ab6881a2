"""开始使用: the steps that set a new installation up, each done or not yet.

A new database already holds the five bundled policy catalogs; before the first inspection the
office names its jurisdiction and itself, its 机关代字, reserves number blocks for this computer,
and registers its inspectors and the units it inspects. The start page shows these steps from
:func:`first_steps`; the window opens on it while :func:`is_new_database` holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models.dialect import is_sqlite
from rules.china_time import today
from services.settings import JURISDICTION, ORG_CODE, ORG_DEPARTMENT, ORGANISATION, get_setting

if TYPE_CHECKING:
    from services.numbering import BlockInfo

#: Step keys, in the order they are shown; the start page maps each to its action.
CATALOG = "catalog"
OFFICE = "office"
ORG_WORD = "org_code"
NUMBERS = "numbers"
ROSTER = "roster"
UNITS = "units"


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    detail: str  # what it is for, or what is there already
    done: bool


def is_new_database(session: Session) -> bool:
    """No unit and no inspection yet: nothing has been set up or recorded. (Asked at every
    start, before the first page: two index probes, without loading the registers' models.)"""
    used = session.scalar(text("SELECT EXISTS (SELECT 1 FROM entities) "
                               "OR EXISTS (SELECT 1 FROM inspections)"))
    return not used


def first_steps(session: Session) -> list[Step]:
    from models.catalog import PolicyDocument
    from models.registry import Entity, Inspector
    from services.numbering import list_blocks

    documents = _count(session, PolicyDocument)
    region = get_setting(session, JURISDICTION)
    organisation = get_setting(session, ORGANISATION)
    org_code = get_setting(session, ORG_CODE)
    department = get_setting(session, ORG_DEPARTMENT)
    year = today().year
    blocks = [b for b in list_blocks(session, year=year) if b.own]
    inspectors = int(session.scalar(select(func.count()).select_from(Inspector)
                                    .where(Inspector.active.is_(True))) or 0)
    units = _count(session, Entity)
    # A laptop's database is one computer's; a server's is shared by every computer that opens
    # it, and they all issue from its blocks.
    here = "本机" if is_sqlite(session) else "本数据库"
    sharing = ("各台电脑的号段不得重叠，由督查负责人统一分配。" if is_sqlite(session) else
               "连接本数据库的各台电脑共用这些号段；它们与各县笔记本的号段不得重叠，"
               "由督查负责人统一分配。")
    return [
        Step(CATALOG, "政策目录",
             f"目录中已有 {documents} 份政策文件；本地的新文件可用“导入政策文件”加入。"
             if documents else
             "目录为空：请导入本地的政策文件。", documents > 0),
        Step(OFFICE, "本单位辖区和机关名称",
             f"{organisation}" if region and organisation else
             "政策目录按辖区筛选；机关名称印在笔录和文书上。",
             bool(region and organisation)),
        Step(ORG_WORD, "机关代字",
             f"文书编号如：{_example(org_code, blocks, year, department)}" if org_code else
             "用于文书编号，如“中宁卫责改〔2026〕第12号”。", bool(org_code)),
        Step(NUMBERS, f"{here}文书编号号段",
             _reserved(blocks) if blocks else f"{year}年尚未为{here}预留号段。{sharing}",
             bool(blocks)),
        Step(ROSTER, "检查人员名册",
             f"在岗检查人员 {inspectors} 名。" if inspectors else
             "登记执法证号后，检查时可勾选检查人员，笔录和文书自动带入。", inspectors > 0),
        Step(UNITS, "被检查单位",
             f"已登记 {units} 个单位。" if units else
             "逐个登记，或从 Excel 名录导入；双随机抽查也从这里抽取。", units > 0),
    ]


def _example(org_code: str, blocks: list[BlockInfo], year: int,
             department: str | None = None) -> str:
    """A 文号 as this office's documents will carry it: of the document its own department
    issues for a 法定义务 (卫生监督意见书 for 卫生健康, 指令书 for 人社 …), from a block
    reserved here when there is one."""
    from checklists.notice_types import notice_types
    from rules.inspection_status import ENFORCEMENT
    from services.numbering import format_number

    word = None
    if department:
        try:
            kind = notice_types().choose(inspection_kind=ENFORCEMENT, department=department,
                                         obligation="法定义务", issuer=department)
            word = f"{org_code}{kind.suffix}"
        except ValueError:  # no rule for the department: any block shows the form
            word = None
    own = [b for b in blocks if b.doc_word == word] or ([] if word else blocks)
    if own:
        return format_number(own[0].doc_word, own[0].year, own[0].start_no)
    return format_number(word or f"{org_code}责改", year, 1)


#: How many blocks the step names; more are counted (the full list is in 整改跟踪).
_NAMED_BLOCKS = 3


def _reserved(blocks: list[BlockInfo]) -> str:
    named = "、".join(f"{b.doc_word} {b.start_no}–{b.end_no}号" for b in blocks[:_NAMED_BLOCKS])
    if len(blocks) <= _NAMED_BLOCKS:
        return f"已预留：{named}"
    return (f"已预留 {len(blocks)} 个号段：{named} 等，"
            "全部号段见“整改跟踪 → 文书编号号段”。")


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)
