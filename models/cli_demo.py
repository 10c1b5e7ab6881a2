"""``demo``: a database with realistic demo data, kept apart from real work."""

from __future__ import annotations

import argparse
from typing import Any

from models.cli_context import CliContext


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="生成演示数据库（默认写入单独的演示数据库文件）")
    p.set_defaults(func=cmd_demo, demo_db=True)


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from models.demo import fill_demo

    db = ctx.open_db()
    with db.session() as session:
        summary = fill_demo(session)
    print(f"演示数据库：{db.path}", file=ctx.stdout)
    for label, count in summary.items():
        print(f"  {label}：{count}", file=ctx.stdout)
    return 0
