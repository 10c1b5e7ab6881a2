"""``notices``: rectification notices as a table or as JSON; ``--overdue`` lists only the
notices past their deadline (整改逾期) or whose recheck is late (复查超期) on ``--as-of``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from cli.context import CliContext
from cli.dates import date_argument
from rules.china_time import today as china_today
from services.notice_queries import (
    FILTERS,
    NoticeError,
    NoticeInfo,
    as_json,
    list_notices,
    overdue_notices,
)


def register(sub: Any) -> None:
    p = sub.add_parser("notices", help="列出整改文书（含状态、期限、逾期情况）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--overdue", action="store_true", help="只列出整改逾期或复查超期的文书")
    p.add_argument("--status", choices=sorted(FILTERS), help="只列出该状态的文书")
    p.add_argument("--as-of", type=date_argument, default=None,
                   help="按哪一天计算逾期（YYYY-MM-DD，默认今天）")
    p.set_defaults(func=cmd_notices)


def cmd_notices(args: argparse.Namespace, ctx: CliContext) -> int:
    as_of = args.as_of or china_today()
    db = ctx.open_db()
    try:
        with db.session() as session:
            if args.overdue:
                late = overdue_notices(session, as_of)
                rows = [o.notice for o in late]
                extra = {o.notice.id: {"overdue_reason": o.reason, "due": o.due.isoformat(),
                                       "days_over": o.days_over} for o in late}
            else:
                rows = list_notices(session, status=args.status, as_of=as_of)
                extra = {}
    except NoticeError as exc:
        return ctx.fail(str(exc))
    if args.json:
        out = [{**as_json(n, as_of), **extra.get(n.id, {})} for n in rows]
        ctx.write_json({"as_of": as_of.isoformat(), "notices": out})
        return 0
    if not rows:
        print("没有符合条件的整改文书。", file=ctx.stdout)
        return 0
    for n in rows:
        print(_line(n, as_of, extra.get(n.id)), file=ctx.stdout)
    return 0


def _line(n: NoticeInfo, as_of: date, late: dict[str, Any] | None) -> str:
    deadline = f"期限 {n.deadline:%Y-%m-%d}" if n.deadline else "期限 —"
    tail = f"  {late['overdue_reason']} {late['days_over']} 天" if late else ""
    return (f"{n.doc_number}  {n.title}  {n.addressee}  {n.board_label(as_of)}  {deadline}"
            f"  {n.item_count} 项{tail}")
