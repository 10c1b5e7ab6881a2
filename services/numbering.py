"""Document numbers (文书编号) from blocks reserved per device, e.g. 中宁卫责改〔2026〕第12号.

A number is ``<代字>〔<year>〕第<n>号`` for 执法文书 and ``<代字>〔<year>〕<n>号`` (no 第)
for 公文-style kinds (督办通知, 督查反馈意见, 移送函; ``number_style: document``), where 代字
is the organisation's 机关代字 (setting ``org_code``) followed by the document kind's own
suffix (``checklists/data/notice_types.yaml``).

Laptops work offline, so they cannot ask each other for the next number. Instead each device
reserves a block per year and 代字 (say 1–200 on one laptop, 201–400 on the next) and issues
only from its own blocks:

* a block is owned by the device that reserved it (``owner_device``); blocks that arrive from
  other devices in an exchange package are never issued from here, and a new reservation that
  overlaps any known block, ours or another device's, is refused;
* taking a number advances the block's counter with a compare-and-set ``UPDATE`` in the
  caller's transaction, the same one that inserts the notice: if the notice is rolled back the
  number is not used, and two sessions can never take the same number;
* ``notices.doc_number`` is unique in the schema, a last guard on one database.

So as long as the supervisor hands out disjoint blocks (the reservation is recorded, travels
with the packages, and overlaps are refused where known), no two notices anywhere share a
number. When a block runs out, issuing stops with a Chinese message asking to reserve a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from checklists.notice_types import notice_types
from models.rectification import NumberBlock
from models.system import ensure_device_id
from models.utc import from_db
from rules.version_vector import bumped, effective
from services.audit import audit
from services.settings import ORG_CODE, get_setting

#: 代字 suffix of the 督查通报's 文号 (中宁卫通〔2026〕3号).
BULLETIN_SUFFIX = "通"
BULLETIN_TITLE = "督查通报"


def document_suffixes() -> dict[str, list[str]]:
    """Every 代字 suffix a number block can be reserved for, with the titles of the documents
    numbered from it: the notice kinds, the 复查意见书 and the 督查通报."""
    types = notice_types()
    out: dict[str, list[str]] = {}
    for suffix, title in ([(k.suffix, k.title) for k in types.kinds.values()]
                          + [(types.recheck_suffix, types.recheck_title),
                             (BULLETIN_SUFFIX, BULLETIN_TITLE)]):
        titles = out.setdefault(suffix, [])
        if title not in titles:
            titles.append(title)
    return out


class NumberingError(ValueError):
    """No number can be reserved or taken. The message is Chinese."""


@dataclass(frozen=True)
class BlockInfo:
    id: int
    uuid: str
    doc_word: str
    year: int
    start_no: int
    end_no: int
    next_no: int
    own: bool  # reserved by this device
    reserved_at: datetime | None
    reserved_by: str | None

    @property
    def remaining(self) -> int:
        return max(0, self.end_no - self.next_no + 1)


@dataclass(frozen=True)
class TakenNumber:
    doc_word: str
    year: int
    seq: int
    style: str = "enforcement"
    device: str | None = None  # the device whose block it came from

    @property
    def text(self) -> str:
        return format_number(self.doc_word, self.year, self.seq, self.style)


def format_number(doc_word: str, year: int, seq: int, style: str = "enforcement") -> str:
    """中宁卫责改〔2026〕第12号 (执法文书); 中宁卫督办〔2026〕12号 (``style="document"``, 公文)."""
    if style == "document":
        return f"{doc_word}〔{year}〕{seq}号"
    return f"{doc_word}〔{year}〕第{seq}号"


def doc_word_for(session: Session, suffix: str) -> str:
    """The organisation's 机关代字 followed by a document kind's suffix."""
    org = (get_setting(session, ORG_CODE) or "").strip()
    if not org:
        raise NumberingError("尚未设置机关代字，不能编文号。"
                             "请先在“设置”中填写机关代字（如“中宁卫”）。")
    return f"{org}{suffix}"


def reserve_block(session: Session, *, suffix: str, year: int, start: int, end: int,
                  user: str | None = None, note: str | None = None) -> BlockInfo:
    """Reserve numbers ``start``..``end`` of ``year`` for this device under 机关代字+suffix.

    Refused (Chinese) if the range is empty or overlaps any block already known here.
    """
    if year < 2000 or year > 2100:
        raise NumberingError(f"年份 {year} 不正确")
    if start < 1 or end < start:
        raise NumberingError("号段应为从小到大的正整数（起始号不大于终止号）")
    word = doc_word_for(session, suffix)
    device = _device(session)
    for other in session.scalars(select(NumberBlock).where(NumberBlock.doc_word == word,
                                                           NumberBlock.year == year)):
        if other.start_no <= end and start <= other.end_no:
            whose = "本机" if other.owner_device == device else "其他设备"
            raise NumberingError(
                f"号段 {start}–{end} 与{whose}已预留的号段 {other.start_no}–{other.end_no}"
                f"（{word}〔{year}〕）重叠，请换一个不重叠的号段。")
    row = NumberBlock(owner_device=device, doc_word=word, year=year, start_no=start,
                      end_no=end, next_no=start, reserved_by=user, note=note)
    session.add(row)
    session.flush()
    audit(session, "reserve_numbers", "number_blocks", row.uuid,
          {"doc_word": word, "year": year, "start": start, "end": end}, user=user)
    return _info(row, device)


def take_number(session: Session, *, suffix: str, year: int,
                style: str = "enforcement") -> TakenNumber:
    """The next free number of this device for 机关代字+suffix in ``year``.

    Runs in the caller's transaction; the number counts as used only if that transaction
    commits. :class:`NumberingError` when no block of this device has a number left.
    """
    word = doc_word_for(session, suffix)
    device = _device(session)
    for _attempt in range(5):
        block = session.scalars(
            select(NumberBlock)
            .where(NumberBlock.owner_device == device, NumberBlock.doc_word == word,
                   NumberBlock.year == year, NumberBlock.next_no <= NumberBlock.end_no)
            .order_by(NumberBlock.start_no)
        ).first()
        if block is None:
            raise NumberingError(
                f"本机 {year} 年“{word}”文号已用完或尚未预留号段，不能开具文书。"
                f"请在“设置 → 文书编号”中预留新的号段（与其他设备的号段不得重叠）。")
        seq = block.next_no
        vector = bumped(effective(block.sync_vv, block.device_id, block.sync_rev), device)
        done = session.execute(
            update(NumberBlock)
            .where(NumberBlock.id == block.id, NumberBlock.next_no == seq)
            .values(next_no=seq + 1, sync_rev=NumberBlock.sync_rev + 1, sync_vv=vector,
                    device_id=device)
            .execution_options(synchronize_session=False)
        )
        session.expire(block)  # read again when next used (the next number's query brings it)
        if getattr(done, "rowcount", 0) == 1:
            return TakenNumber(word, year, seq, style, device)
    raise NumberingError("文号分配冲突，请重试。")


def list_blocks(session: Session, *, year: int | None = None) -> list[BlockInfo]:
    """Every known block (this device's first), newest year first."""
    device = _device(session)
    query = select(NumberBlock).order_by(NumberBlock.year.desc(), NumberBlock.doc_word,
                                         NumberBlock.start_no)
    if year is not None:
        query = query.where(NumberBlock.year == year)
    rows = [_info(r, device) for r in session.scalars(query)]
    return sorted(rows, key=lambda b: not b.own)


def _device(session: Session) -> str:
    return str(session.info.get("device_id") or ensure_device_id(session))


def _info(row: NumberBlock, device: str) -> BlockInfo:
    return BlockInfo(row.id, row.uuid, row.doc_word, row.year, row.start_no, row.end_no,
                     row.next_no, row.owner_device == device, from_db(row.reserved_at),
                     row.reserved_by)
