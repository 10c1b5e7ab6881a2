"""``inspections``: the inspections list, as a table or as JSON for scripts and tests."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cli.context import CliContext
from rules.inspection_status import STATUS_LABELS

if TYPE_CHECKING:
    from services.inspection_lifecycle import InspectionSummary


def register(sub: Any) -> None:
    p = sub.add_parser("inspections", help="列出检查记录（每次检查一行，含各结果数量）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--status", choices=sorted(STATUS_LABELS), help="只列出该状态的检查")
    p.add_argument("--current", action="store_true", help="只列出最新版本（不含已被更正的旧版本）")
    p.set_defaults(func=cmd_inspections)


def cmd_inspections(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.json and not ctx.pretty and _json_written_by_sqlite(args, ctx):
        return 0
    from services.inspection_lifecycle import list_inspections

    db = ctx.open_db()
    with db.session() as session:
        rows = list_inspections(session, status=args.status, current_only=args.current)
    if args.json:
        ctx.write_json({"inspections": [as_json(r) for r in rows]})
        return 0
    if not rows:
        print("还没有检查记录。", file=ctx.stdout)
        return 0
    for r in rows:
        c = r.counts
        rate = "—" if c.rate is None else f"{c.rate:.1%}"
        print(f"{r.started_at:%Y-%m-%d}  {r.entity_name}  {'、'.join(r.themes)}  {r.kind}  "
              f"{r.status_label}  第{r.version}版  已答 {c.answered}/{c.total}  "
              f"不符合 {c.failed}  符合率 {rate}  {r.uuid}", file=ctx.stdout)
    return 0


def _json_written_by_sqlite(args: argparse.Namespace, ctx: CliContext) -> bool:
    """The compact JSON of a SQLite file that is ready to read, written by SQLite itself
    without loading the ORM (see :mod:`services.inspection_json`); False when the file needs
    the full open (a new file, an upgrade, a server) or this SQLite cannot write it exactly,
    and nothing was written."""
    if ctx.db_path is None:
        return False
    from models.db import open_for_reading
    from services.inspection_json import inspections_json

    engine = open_for_reading(ctx.db_path())
    if engine is None:
        return False
    try:
        with engine.connect() as conn:
            written = inspections_json(conn, status=args.status, current_only=args.current)
    finally:
        engine.dispose()
    if written is None:
        return False
    ctx.stdout.write(written)
    ctx.stdout.write("\n")
    return True


def as_json(r: InspectionSummary) -> dict[str, Any]:
    from models.utc import iso

    return {
        "id": r.uuid, "series": r.series_uuid, "version": r.version,
        "supersedes": r.supersedes_uuid, "superseded": r.superseded,
        "entity": r.entity_name, "entity_id": r.entity_uuid,
        "themes": list(r.themes), "kind": r.kind, "status": r.status,
        "status_label": r.status_label, "started_at": iso(r.started_at),
        "ended_at": iso(r.ended_at), "demo": r.demo,
        "counts": r.counts.by_result(), "compliance_rate": r.counts.rate,
    }
