"""``report``: write a report from the command line, as the GUI does.

    python main.py report record  --inspection ID -o 笔录.pdf
    python main.py report notice  --notice ID -o 通知书.pdf|.docx
    python main.py report recheck --notice ID -o 复查意见书.pdf|.docx
    python main.py report summary [--from D --to D --region R --theme T --department D] -o 通报.pdf
    python main.py report ledger  [same selection] -o 台账.xlsx

An inspection is named by its number, its UUID (as ``inspections --json`` prints it) or a
unique UUID prefix; a notice by its number, UUID or 文书编号. The format follows the file's
extension. A font warning (no embeddable Chinese font) goes to stderr; the exit code stays 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.context import CliContext
from cli.dates import date_argument
from models.inspection import Inspection
from models.rectification import Notice
from reports.data import ReportSelection
from rules.progress import Cancelled
from services.selection import SelectionError, resolve_region

KINDS = ("record", "notice", "recheck", "summary", "ledger")
FORMATS = {"record": (".pdf",), "notice": (".pdf", ".docx"), "recheck": (".pdf", ".docx"),
           "summary": (".pdf",), "ledger": (".xlsx",)}


class ReportArgError(ValueError):
    """A wrong argument; the message is Chinese."""


def register(sub: Any) -> None:
    p = sub.add_parser("report",
                       help="生成报告：现场检查笔录、整改文书、复查意见书、督查通报、台账")
    p.add_argument("kind", choices=KINDS,
                   help="record 笔录 | notice 整改文书 | recheck 复查意见书 | "
                        "summary 督查通报 | ledger 台账")
    p.add_argument("--inspection", help="检查编号或 UUID（record）")
    p.add_argument("--notice", help="整改文书编号、UUID 或文号（notice、recheck）")
    p.add_argument("--from", dest="date_from", type=_date, help="起始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=_date, help="截止日期 YYYY-MM-DD（含当日）")
    p.add_argument("--region", help="行政区划代码或名称（含下级）")
    p.add_argument("--theme", help="检查主题，如 托育机构消防安全")
    p.add_argument("--department", help="部门，如 卫生健康")
    p.add_argument("--as-of", dest="as_of", type=_date, help="判断逾期的日期（默认今天）")
    p.add_argument("--numbered", action="store_true",
                   help="summary：定稿，从本机“通”字号段取用文号并存档（默认留空由办公室填写）；"
                        "同一期（期间、地区、主题、部门相同）已定稿的不再取号")
    p.add_argument("--again", action="store_true",
                   help="summary：这一期已定稿，确需更正后重新定稿时另取文号")
    p.add_argument("--reprint", metavar="文号",
                   help="summary：按文号补打存档的定稿通报（与定稿时完全相同）")
    p.add_argument("-o", "--output", required=True, type=Path, help="输出文件")
    p.set_defaults(func=cmd_report)


_date = date_argument


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    suffix = args.output.suffix.lower()
    if (args.reprint or args.again) and args.kind != "summary":
        return ctx.fail("--reprint 和 --again 只用于督查通报（summary）。", 2)
    if suffix not in FORMATS[args.kind]:
        return ctx.fail(f"{args.kind} 报告只能输出为 {'、'.join(FORMATS[args.kind])} 文件，"
                        f"而不是“{args.output.name}”。", 2)
    from services.issued_reports import AlreadyIssued

    db = ctx.open_db()
    try:
        with db.session() as session:
            warning, done = _run(args, session, suffix, db.evidence_root)
    except Cancelled as exc:
        return ctx.fail(str(exc), 130)
    except AlreadyIssued as exc:
        number = exc.issued.doc_number
        return ctx.fail(f"{exc}\n补打：report summary --reprint \"{number}\" -o 文件；"
                        "确需重新定稿另取文号：再加 --again。")
    except (ValueError, LookupError) as exc:
        return ctx.fail(str(exc))
    except OSError as exc:
        return ctx.fail(f"无法写入 {args.output}：{exc.strerror or exc}")
    if warning:
        print(f"提示：{warning}", file=ctx.stderr)
    print(done or f"已生成 {args.output}", file=ctx.stdout)
    return 0


def selection_from(args: argparse.Namespace) -> ReportSelection:
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise ReportArgError("起始日期晚于截止日期。")
    if args.region:
        resolve_region(args.region)  # raises SelectionError with the reason
    return ReportSelection(args.date_from, args.date_to, args.region, args.theme,
                           args.department)


def _run(args: argparse.Namespace, session: Session, suffix: str,
         store: Path) -> tuple[str | None, str | None]:
    """Build the report: (a warning for the user, what was done when it is more than 已生成)."""
    out: Path = args.output
    if args.kind == "record":
        from reports.record import build_record_pdf

        iid = find_inspection(session, _required(args.inspection, "--inspection"))
        return build_record_pdf(session, iid, out, store_root=store).warning, None
    if args.kind in ("notice", "recheck"):
        nid = find_notice(session, _required(args.notice, "--notice"))
        if args.kind == "notice":
            from reports.notice import build_notice_docx, build_notice_pdf

            build = build_notice_pdf if suffix == ".pdf" else build_notice_docx
        else:
            from reports.recheck import build_recheck_docx, build_recheck_pdf

            build = build_recheck_pdf if suffix == ".pdf" else build_recheck_docx
        return getattr(build(session, nid, out), "warning", None), None
    if args.kind == "summary" and args.reprint:
        from services.issued_reports import find_issued, reprint

        issued = find_issued(session, args.reprint)
        reprint(store, issued, out)
        return None, (f"已补打定稿通报 {issued.doc_number}（{issued.issued_at:%Y年%m月%d日}定稿，"
                      f"共 {issued.pages} 页）：{out}")
    selection = selection_from(args)
    if args.kind == "summary":
        from reports.summary import build_summary_pdf

        result = build_summary_pdf(session, selection, out, as_of=args.as_of,
                                   numbered=args.numbered, archive_root=store,
                                   again=args.again)
        done = (f"已定稿，文号 {result.doc_number}，共 {result.pages} 页：{out}"
                "（定稿已存档，可用 --reprint 补打）") if result.doc_number else None
        return result.warning, done
    from reports.ledger import build_ledger_xlsx

    build_ledger_xlsx(session, selection, out, as_of=args.as_of)
    return None, None


def _required(value: str | None, flag: str) -> str:
    if not value:
        raise ReportArgError(f"请用 {flag} 指定要生成报告的对象。")
    return value.strip()


def find_inspection(session: Session, ref: str) -> int:
    """An inspection id from its number, UUID or a unique UUID prefix."""
    if ref.isdigit() and session.get(Inspection, int(ref)) is not None:
        return int(ref)
    ids = session.scalars(select(Inspection.id).where(Inspection.uuid.like(f"{ref}%"))
                          .limit(2)).all()
    if len(ids) == 1:
        return ids[0]
    raise ReportArgError(f"找不到检查“{ref}”" if not ids else f"检查编号“{ref}”不唯一，请写完整。")


def find_notice(session: Session, ref: str) -> int:
    """A notice id from its number, UUID (or prefix) or 文书编号."""
    if ref.isdigit() and session.get(Notice, int(ref)) is not None:
        return int(ref)
    found = session.scalar(select(Notice.id).where(Notice.doc_number == ref))
    if found is not None:
        return int(found)
    ids = session.scalars(select(Notice.id).where(Notice.uuid.like(f"{ref}%")).limit(2)).all()
    if len(ids) == 1:
        return ids[0]
    raise ReportArgError(f"找不到整改文书“{ref}”" if not ids
                         else f"文书编号“{ref}”不唯一，请写完整。")


__all__ = ["SelectionError", "cmd_report", "find_inspection", "find_notice", "register",
           "selection_from"]
