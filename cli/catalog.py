"""``catalog`` and ``import-policy`` on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.context import CliContext


def register(sub: Any) -> None:
    p = sub.add_parser("catalog", help="列出政策目录（文件与措施）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出（默认即为 JSON）")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("import-policy",
                       help="导入一份政策文件（.txt/.docx/.pdf，或 - 表示标准输入）")
    p.add_argument("file", help="文件路径，或 - 从标准输入读取粘贴的文本")
    p.add_argument("--dry-run", action="store_true", help="只预览解析结果，不写入")
    p.add_argument("--json", action="store_true", help="以 JSON 输出解析结果")
    p.set_defaults(func=cmd_import_policy)


def _dump(data: Any, ctx: CliContext) -> None:
    ctx.write_json(data)


def cmd_catalog(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.catalog import catalog_json

    with ctx.open_db().session() as session:
        _dump(catalog_json(session), ctx)
    return 0


def cmd_import_policy(args: argparse.Namespace, ctx: CliContext) -> int:
    from checklists.catalog_view import from_parsed
    from checklists.parsing import (
        PolicyFormatError,
        parse_text,
        read_policy_bytes,
        read_policy_file,
    )
    from checklists.regions import region_by_code
    from services.catalog import document_json
    from services.catalog_store import DuplicateDocumentError, save_document

    try:
        if args.file == "-":
            text = read_policy_bytes(sys.stdin.buffer.read(), "stdin.txt")
            source = None
        else:
            path = Path(args.file)
            if not path.exists():
                return ctx.fail(f"找不到文件：{path}")
            text = read_policy_file(path)
            source = path.name
        doc = parse_text(text, source_name=source)
    except PolicyFormatError as exc:
        return ctx.fail(str(exc))
    region = region_by_code(doc.region_code)
    if args.dry_run:
        if args.json:
            data = document_json(from_parsed([doc])[0], region.name if region else None)
            data["warnings"] = list(doc.warnings)
            _dump(data, ctx)
        else:
            _print_summary(doc, ctx, "预览（未写入）")
        return 0
    db = ctx.open_db()
    try:
        with db.session() as session:
            result = save_document(session, doc, source_name=source)
    except DuplicateDocumentError as exc:
        return ctx.fail(str(exc))
    if args.json:
        _dump({"id": result.document_id, "title": result.title, "measures": result.measures,
               "warnings": list(doc.warnings)}, ctx)
    else:
        _print_summary(doc, ctx, "已导入")
    return 0


def _print_summary(doc: Any, ctx: CliContext, verb: str) -> None:
    out = ctx.stdout
    print(f"{verb}：《{doc.title}》", file=out)
    print(f"  文号：{doc.doc_number or '（无）'}  日期：{doc.date or '（无）'}  "
          f"措施：{len(doc.measures)} 条", file=out)
    for m in doc.measures:
        units = "、".join(u.name for u in m.units if u.role != "inherited") or "（未列单位）"
        flag = f" [{'，'.join(m.flags)}]" if m.flags else ""
        print(f"  {m.number} {m.title}  —— {units}{flag}", file=out)
    for w in doc.warnings:
        print(f"  注意：{w}", file=out)
