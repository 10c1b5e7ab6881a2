"""Rectification documents for the notice and recheck tests: plain data for each family, and a
notice stored in a real database on a real inspection."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from docx import Document
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.rectification import Notice, NoticeItem, Recheck
from reports.notice_data import NoticeData, Officer, Service
from reports.notice_data import NoticeItem as Item
from rules.china_time import today as china_today
from rules.inspection_status import FAIL, PARTIAL
from services.findings import record_finding
from tests.services.inspection_fixtures import checklist, new_inspection

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"

TITLES = {
    "labour": "劳动保障监察限期改正指令书",
    "health": "卫生监督意见书",
    "order": "责令限期改正通知书",
    "supervise": "督办通知",
    "feedback": "督查反馈意见",
    "advice": "整改建议书",
    "referral": "移送函",
}
# 公文 (督办, 反馈, 移送) numbers have no 第; 执法文书 numbers do.
NUMBERS = {"supervise": "中宁卫督办〔2026〕12号", "feedback": "中宁卫督反〔2026〕12号",
           "referral": "中宁卫移〔2026〕12号"}
ENFORCEMENT_NUMBER = "中宁卫限改〔2026〕第12号"

ITEMS = (
    Item("XF-12", "二楼东侧安全出口被杂物堵塞",
         ("《中华人民共和国消防法》第十六条第一款（四）", "《中华人民共和国消防法》第二十八条"),
         "清理安全出口及疏散通道内的杂物，保持畅通。", result="不符合"),
    Item("NZ-03", "仅口头告知女职工禁忌从事的劳动范围，无书面告知材料",
         ("《女职工劳动保护特别规定》第四条第一款",),
         "将禁忌从事劳动范围的岗位书面告知全体女职工。", result="部分符合"),
    Item("MY-09", "母婴室未配备婴儿床", (), "配备婴儿床。", result="不符合"),
)


def notice_data(family: str = "order", **changes: object) -> NoticeData:
    base = NoticeData(
        notice_id=1, family=family, title=TITLES[family],
        number=NUMBERS.get(family, ENFORCEMENT_NUMBER), organisation="中宁县卫生健康局",
        addressee="中宁县消防救援大队" if family == "referral" else "中宁县某某托育中心",
        unit="中宁县某某托育中心" if family == "referral" else None, items=ITEMS,
        issued_on=date(2026, 3, 2), inspected_on=date(2026, 3, 1),
        addressee_address="中宁县宁安大街1号", deadline=date(2026, 3, 16),
        recheck_on=date(2026, 3, 20),
        officers=(Officer("张三", "ZF-640521-001"), Officer("李四", "ZF-640521-002")),
        service=Service(served_on=date(2026, 3, 2), method="直接送达", recipient="王经理"),
        province="宁夏回族自治区")
    return base if not changes else NoticeData(**{**base.__dict__, **changes})


def pdf_text(path: Path) -> str:
    """All the text of a PDF with the layout's line breaks and spaces taken out."""
    reader = PdfReader(str(path))
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in reader.pages))


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, whitespace taken out."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return re.sub(r"\s+", "", "".join(parts))


def embedded_fonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font the PDF's pages use."""
    out = []
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font["/BaseFont"]), embedded))
    return out


def qpdf_ok(path: Path) -> bool:
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def stored_notice(session: Session, *, title: str = "责令限期改正通知书",
                  kind_code: str = "other_deadline", is_order: bool = True,
                  number: str = "中宁卫限改〔2026〕第7号") -> int:
    """A notice on a real inspection with two failed findings, as the issuing service stores it."""
    made = new_inspection(session, place="一楼母婴室")
    items = [i for i in checklist().items if i.answer.type == "compliance"][:2]
    record_finding(session, made.id, items[0].code, result=FAIL, note="母婴室未设置")
    record_finding(session, made.id, items[1].code, result=PARTIAL, note="仅有座椅")
    notice = Notice(inspection_id=made.id, entity_id=made.entity_id, kind_code=kind_code,
                    title=title, department="卫生健康", is_order=is_order,
                    legal_basis=["《中华人民共和国消防法》第五十四条",
                                 "所违反条款所在的法律、法规"],
                    org_name="中宁县卫生健康局", doc_word="中宁卫限改", doc_year=2026, doc_seq=7,
                    doc_number=number, addressee="某某商业广场", issued_on=date(2026, 3, 2),
                    issued_by=["检查员1", "检查员2"], deadline_mode="calendar", deadline_days=15,
                    deadline=date(2026, 3, 17), served_on=date(2026, 3, 2),
                    service_method="直接送达", service_recipient="王经理")
    session.add(notice)
    session.flush()
    for pos, (item, result) in enumerate(zip(items, (FAIL, PARTIAL), strict=True)):
        basis = "；".join(b.citation() for b in item.legal_basis)
        session.add(NoticeItem(notice_id=notice.id, item_code=item.code, question=item.question,
                               result=result, obligation=item.obligation, provision=basis,
                               requirement=f"按要求整改：{item.question.rstrip('？')}",
                               note="现场核实" if pos else "母婴室未设置", position=pos))
    session.flush()
    return notice.id


def add_recheck(session: Session, notice_id: int, *, passed: bool,
                checked_on: date = date(2026, 3, 20)) -> None:
    items = session.scalars(select(NoticeItem).where(NoticeItem.notice_id == notice_id)
                            .order_by(NoticeItem.position)).all()
    results = {i.uuid: ("通过" if passed or n == 0 else "不通过") for n, i in enumerate(items)}
    session.add(Recheck(notice_id=notice_id, checked_on=checked_on,
                        inspectors=["检查员1", "检查员2"], passed=passed,
                        note="现场复查" if passed else "第2项仍未整改", item_results=results))
    session.flush()


def issued_notice(session: Session) -> int:
    """A notice issued and served through the rectification services on a completed
    inspection: the path a real notice takes."""
    from services.inspection_lifecycle import complete_inspection
    from services.notice_issue import issue_notice, propose_notices
    from services.notice_loop import serve_notice
    from services.numbering import reserve_block
    from services.settings import ORG_CODE, ORGANISATION, set_setting
    from tests.services.inspection_fixtures import fill_record

    set_setting(session, ORGANISATION, "中宁县卫生健康局")
    set_setting(session, ORG_CODE, "中宁卫")
    made = new_inspection(session, place="一楼母婴室")
    fill_record(session, made.id)
    for item in checklist().items:
        if item.answer.type == "measure":
            record_finding(session, made.id, item.code, value=12)
        else:
            record_finding(session, made.id, item.code, result=FAIL, note="现场未落实")
    complete_inspection(session, made.id, unchecked_reason=UNCHECKED_REASON)
    proposal = next(p for p in propose_notices(session, made.id) if p.is_order)
    kind = proposal.kind_code
    from checklists.notice_types import notice_types

    reserve_block(session, suffix=notice_types().kinds[kind].suffix, year=2026, start=12,
                  end=20)
    issued = issue_notice(session, inspection_id=made.id, kind_code=kind,
                          finding_ids=proposal.finding_ids, issued_on=china_today(),
                          issued_by=["检查员1", "检查员2"])
    serve_notice(session, issued.id, served_on=china_today(), method="直接送达",
                 recipient="王经理")
    return issued.id
