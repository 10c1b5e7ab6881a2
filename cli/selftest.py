"""``--self-test``: a headless check that an installed or bundled copy works end to end.

Everything happens in a temporary folder and nothing is left behind: two scratch databases (an
inspector's and a supervisor's), their evidence folders and their signing keys. The steps are
the ones a day's work takes: the bundled catalog, the headline checklists, an inspection of a
nursery with findings, a photo and signatures, the notices it calls for followed to a recheck,
each kind of document rendered (PDF, Word, Excel) and read back, then a signed package exported
and imported into the second database, whose records must read the same as the first's.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rules.china_time import today as china_today

if TYPE_CHECKING:
    from checklists.catalog_view import DocumentView
    from models.db import Database

NURSERY_FACTS = {"capacity": 60, "enrolled_children": 27, "fire_key_unit": False,
                 "floor_of_rooms": 3, "full_day_care": True, "has_kitchen": True,
                 "inclusive": True, "registered_with_health": True, "uses_gas": False}


class _Steps:
    """Runs the steps, one printed line each; a failed step is reported and counted."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failures = 0

    def run(self, name: str, step: Callable[[], str]) -> bool:
        try:
            said = step()
        except Exception as exc:  # a self-test reports every failure instead of stopping
            print(f"失败：{name}：{type(exc).__name__}：{exc}", file=self.out)
            self.failures += 1
            return False
        print(f"{name}：{said}", file=self.out)
        return True


def run_self_test(out: TextIO) -> int:
    """Returns 0 when every step worked; prints one line per step."""
    from models.db import open_database

    steps = _Steps(out)
    with tempfile.TemporaryDirectory(prefix="shengyu-selftest-") as tmp:
        root = Path(tmp)
        a = open_database(root / "inspector" / "selftest.sqlite")
        b = None
        try:
            catalog: list[Sequence[DocumentView]] = []
            steps.run("政策目录", lambda: _catalog(a, catalog))
            if catalog:
                steps.failures += _check_checklists(catalog[0], out)
                state: dict[str, Any] = {}
                if steps.run("现场检查", lambda: _inspection(a, catalog[0], root, state)):
                    steps.run("整改文书", lambda: _notices(a, state))
                    steps.run("文书和报告", lambda: _documents(a, root, state))
                    b = open_database(root / "supervisor" / "selftest.sqlite")
                    steps.run("数据包导出和导入", lambda: _exchange(a, b, root))
        finally:
            a.dispose()
            if b is not None:
                b.dispose()
    failures = steps.failures
    print("自检通过" if failures == 0 else f"自检失败：{failures} 项", file=out)
    return 0 if failures == 0 else 1


def _catalog(db: Database, keep: list[Sequence[DocumentView]]) -> str:
    from services.catalog import list_documents, load_catalog
    from services.catalog_store import ensure_bundled_catalog

    with db.session() as session:
        ensure_bundled_catalog(session)
        docs = list_documents(session)
        if len(docs) < 5 or any(d.measures == 0 for d in docs):
            raise RuntimeError("随附的政策文件未能全部解析")
        keep.append(load_catalog(session))
    return f"{len(docs)} 份文件，{sum(d.measures for d in docs)} 条措施"


def _check_checklists(catalog: Sequence[DocumentView], out: TextIO) -> int:
    from checklists.checklist_model import Selection
    from checklists.generator import generate
    from checklists.templates import load_themes

    failures = 0
    themes = load_themes()
    for name in ("母婴设施", "托育机构消防安全", "女职工劳动保护"):
        try:
            checklist = generate(Selection(themes=(name,)), catalog, themes, as_of=china_today())
            print(f"检查清单「{name}」：{len(checklist.items)} 项", file=out)
            if not checklist.items:
                failures += 1
        except Exception as exc:  # a self-test reports every failure instead of stopping
            print(f"失败：检查清单「{name}」：{exc}", file=out)
            failures += 1
    return failures


def _inspection(db: Database, catalog: Sequence[DocumentView], root: Path,
                state: dict[str, Any]) -> str:
    """A 托育机构消防安全 inspection of a nursery: every item answered, the first failed with a
    note and a photo, the record filled in, completed and signed by two officers and the unit."""
    from checklists.checklist_model import Selection
    from checklists.generator import generate
    from checklists.snapshot import to_snapshot
    from checklists.templates import load_themes
    from rules.inspection_status import FAIL, PASS, ROLE_OFFICER, ROLE_PARTY
    from services.entities import create_entity
    from services.evidence import add_evidence
    from services.findings import record_finding
    from services.inspection_lifecycle import (
        complete_inspection,
        create_inspection,
        sign_inspection,
        update_record,
    )
    from services.numbering import reserve_block
    from services.roster import add_inspector
    from services.settings import ORG_CODE, ORG_DEPARTMENT, ORGANISATION, set_setting
    from services.signatures import add_signature

    year = china_today().year
    with db.session() as s:
        set_setting(s, ORGANISATION, "自检县消防救援大队")
        set_setting(s, ORG_CODE, "自检消")
        set_setting(s, ORG_DEPARTMENT, "消防救援")
        s.flush()
        for suffix in _suffixes():
            reserve_block(s, suffix=suffix, year=year, start=1, end=50)
        unit = create_entity(s, name="自检县阳光托育园", type_code="employer_childcare",
                             facts=NURSERY_FACTS).id
        people = [add_inspector(s, name=name, department="消防救援", cert_no=cert).id
                  for name, cert in (("自检员甲", "ZF-XF-001"), ("自检员乙", "ZF-XF-002"))]
        wanted = Selection(themes=("托育机构消防安全",), entity_type="employer_childcare",
                           facts=NURSERY_FACTS)
        checklist = generate(wanted, catalog, load_themes(), as_of=china_today())
        made = create_inspection(s, entity_id=unit, checklist_snapshot=to_snapshot(checklist),
                                 kind="执法检查", officers=people)
        first = checklist.items[0]
        for item in checklist.items:
            spec = item.answer
            if item.code == first.code:
                record_finding(s, made.id, item.code, result=FAIL,
                               note="自检：现场发现未按要求落实")
            elif spec.type == "measure" and spec.threshold is not None:
                value = spec.threshold if spec.meets(spec.threshold) else None
                record_finding(s, made.id, item.code,
                               **({"value": value} if value is not None else {"result": PASS}))
            elif spec.type == "progress":
                record_finding(s, made.id, item.code, value="已完成")
            else:
                record_finding(s, made.id, item.code, result=PASS)
        photo = _photo(root / "现场照片.jpg")
        add_evidence(s, made.id, photo, store_root=db.evidence_root, item_code=first.code,
                     photographer="自检员甲", caption="自检照片")
        update_record(s, made.id, recorder="自检员乙", party_name="王园长", party_position="园长",
                      party_phone="0955-0000000", credentials_shown=True,
                      recusal_notice_given=True, place="一楼婴幼儿生活用房")
        complete_inspection(s, made.id)
        for k, name in enumerate(("自检员甲", "自检员乙")):
            add_signature(s, made.id, role=ROLE_OFFICER, name=name, png=_signature(k),
                          store_root=db.evidence_root)
        add_signature(s, made.id, role=ROLE_PARTY, name="王园长", png=_signature(2),
                      store_root=db.evidence_root)
        sign_inspection(s, made.id)
        state["inspection"] = made.id
    return f"{len(checklist.items)} 项已作答，1 张照片，3 个签名，已签名确认"


def _notices(db: Database, state: dict[str, Any]) -> str:
    from services.notice_issue import issue_notice, propose_notices
    from services.notice_loop import record_recheck, serve_notice, submit_report

    today = china_today()
    issued = []
    with db.session() as s:
        for p in propose_notices(s, state["inspection"]):
            made = issue_notice(
                s, inspection_id=state["inspection"], kind_code=p.kind_code,
                finding_ids=[i.finding_id for i in p.items], issued_on=today,
                issued_by=["自检员甲", "自检员乙"])
            issued.append((p.is_referral, made))
        followed = [n for referral, n in issued if not referral]
        if not followed:
            raise RuntimeError("不符合项没有生成整改文书")
        notice = followed[0]
        serve_notice(s, notice.id, served_on=today, method="直接送达")
        submit_report(s, notice.id, received_on=today, summary="已按要求整改")
        record_recheck(s, notice.id, checked_on=today, inspectors=["自检员甲", "自检员乙"],
                       passed=True, note="复查合格")
        state["notice"] = notice.id
        state["number"] = notice.doc_number
    return f"{len(issued)} 份，{state['number']} 已送达、整改、复查"


def _documents(db: Database, root: Path, state: dict[str, Any]) -> str:
    """Each kind of document rendered, and each file read back."""
    import openpyxl
    from docx import Document
    from pypdf import PdfReader

    from reports.data import ReportSelection
    from reports.ledger import build_ledger_xlsx
    from reports.notice import build_notice_docx, build_notice_pdf
    from reports.recheck import build_recheck_pdf
    from reports.record import build_record_pdf
    from reports.summary import build_summary_pdf

    out = root / "documents"
    out.mkdir()
    made: list[str] = []
    with db.session() as s:
        build_record_pdf(s, state["inspection"], out / "笔录.pdf", store_root=db.evidence_root)
        build_notice_pdf(s, state["notice"], out / "文书.pdf")
        build_notice_docx(s, state["notice"], out / "文书.docx")
        build_recheck_pdf(s, state["notice"], out / "复查.pdf")
        build_summary_pdf(s, ReportSelection(), out / "督查通报.pdf")
        build_ledger_xlsx(s, ReportSelection(), out / "台账.xlsx")
    for name, needle in (("笔录.pdf", "自检县阳光托育园"), ("文书.pdf", state["number"]),
                         ("复查.pdf", "自检县阳光托育园"), ("督查通报.pdf", "督查")):
        text = "".join(page.extract_text() or "" for page in PdfReader(out / name).pages)
        if needle not in text:
            raise RuntimeError(f"{name} 中读不到“{needle}”")
        made.append(name)
    words = "".join(p.text for p in Document(str(out / "文书.docx")).paragraphs)
    if "自检县阳光托育园" not in words:
        raise RuntimeError("文书.docx 中读不到被检查单位")
    book = openpyxl.load_workbook(out / "台账.xlsx", read_only=True)
    rows = sum(1 for ws in book.worksheets for row in ws.iter_rows(values_only=True)
               if any(v not in (None, "") for v in row))
    book.close()
    if rows < 2:
        raise RuntimeError("台账.xlsx 没有记录")
    return "、".join([*made, "文书.docx", "台账.xlsx"]) + " 均已生成并读回"


def _exchange(a: Database, b: Database, root: Path) -> str:
    """A signed package from the first database into the second: the records read the same."""
    from services.catalog_store import ensure_bundled_catalog
    from sync import keys
    from sync.export import ExportSelection, export_package
    from sync.importer import import_package
    from sync.records import content_hashes

    key_a = keys.load_or_create(root / "keys-a")
    key_b = keys.load_or_create(root / "keys-b")
    with b.session() as s:
        ensure_bundled_catalog(s)
    with a.session() as s:
        result = export_package(s, root / "自检.sypkg", ExportSelection(), key=key_a,
                                evidence_root=a.evidence_root)
    report = import_package(b, list(result.paths), key=key_b, trust_unknown=True,
                            receipt_dir=root / "receipts")
    with a.session() as s:
        sent = content_hashes(s)
    with b.session() as s:
        got = content_hashes(s)
    missing = [u for u, h in sent.items() if u in got and got[u] != h]
    received = sum(1 for u in sent if u in got)
    if missing or received < result.total:
        raise RuntimeError(f"导入后有 {len(missing)} 条记录与导出时不同，"
                           f"收到 {received} / {result.total} 条")
    return f"{result.total} 条记录导出，导入后逐条一致（{report.summary()}）"


def _suffixes() -> tuple[str, ...]:
    from checklists.notice_types import notice_types

    types = notice_types()
    return tuple(sorted({k.suffix for k in types.kinds.values()} | {types.recheck_suffix}))


def _photo(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1200, 900), (70, 120, 160))
    ImageDraw.Draw(img).rectangle((100, 100, 1100, 800), outline="white", width=10)
    img.save(path, "JPEG", quality=80)
    return path


def _signature(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (300, 100), "white")
    points = [(20 + i * 26, 50 + ((i * 37 + seed * 11) % 40) - 20) for i in range(11)]
    ImageDraw.Draw(img).line(points, fill="black", width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()
