"""``evidence clean``: files in the evidence folder that no record refers to — listed, and
removed only with ``--yes``."""

from __future__ import annotations

import argparse
from typing import Any

from cli.context import CliContext


def register(sub: Any) -> None:
    p = sub.add_parser("evidence", help="证据文件夹：查找并清除没有任何记录引用的照片和附件文件")
    p.add_argument("action", choices=("clean",),
                   help="clean：列出无记录引用的文件；加 --yes 才删除")
    p.add_argument("--yes", action="store_true", help="删除列出的文件（不加则只列出）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_evidence)


def cmd_evidence(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.evidence_clean import clean_orphans

    db = ctx.open_db()
    if args.yes:
        db.require_writable()
    with db.session() as session:
        report = clean_orphans(session, db.evidence_root, dry_run=not args.yes)
    if args.json:
        ctx.write_json({"removed": report.removed, "kept_recent": report.kept_recent,
                        "total_bytes": report.total_bytes,
                        "files": [{"path": str(f.path), "size_bytes": f.size_bytes,
                                   "kind": f.kind} for f in report.files]})
        return 0
    if not report.files:
        print("证据文件夹中没有无记录引用的文件。", file=ctx.stdout)
    else:
        verb = "已删除" if report.removed else "以下文件没有任何记录引用"
        print(f"{verb}（{len(report.files)} 个，共 {report.total_bytes / 1048576:.1f} MB）：",
              file=ctx.stdout)
        for f in report.files:
            print(f"  {f.kind}  {f.path}", file=ctx.stdout)
        if not report.removed:
            print("加 --yes 删除这些文件。", file=ctx.stdout)
    if report.kept_recent:
        print(f"另有 {report.kept_recent} 个文件是最近写入的（可能正在保存），这次不处理。",
              file=ctx.stdout)
    return 0
