"""``demo [--scale N] [--fresh]``: realistic demo data in a database kept apart from real work."""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path
from typing import Any

from cli.context import CliContext


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="生成演示数据库（默认写入单独的演示数据库文件）")
    p.add_argument("--scale", type=float, default=1.0,
                   help="数据规模倍数（默认 1：约300个单位、1500次检查；7 约10000次检查）")
    p.add_argument("--fresh", action="store_true",
                   help="删除已有的演示数据库后重新生成（只删除标记为演示的数据库）")
    p.set_defaults(func=cmd_demo, demo_db=True)


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from models.paths import demo_db_path
    from rules.progress import Cancelled
    from services.demo.fill import fill_demo, has_demo_data

    if args.scale <= 0 or args.scale > 100:
        return ctx.fail("--scale 应在 0 到 100 之间", 2)
    path: str | Path = args.db if isinstance(args.db, str) else Path(args.db or demo_db_path())
    if args.fresh and isinstance(path, str):
        return ctx.fail("--fresh 只用于演示数据库文件；服务器上的数据库请由管理员删除后重建。", 2)
    if args.fresh and isinstance(path, Path) and path.exists():
        if not _is_demo_database(path):
            return ctx.fail(f"{path} 不是演示数据库，不能用 --fresh 删除", 2)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    db = ctx.open_db()
    with db.session() as session:
        existing = has_demo_data(session)
    if existing:
        print(f"演示数据库 {db.location} 已有演示数据（{existing} 个被检查单位），未重复生成；"
              "如需重新生成，请加 --fresh。", file=ctx.stdout)
    try:
        with db.session() as session:
            summary = fill_demo(session, scale=args.scale, evidence_root=db.evidence_root)
    except Cancelled as exc:
        return ctx.fail(str(exc), 130)
    elapsed = time.perf_counter() - started
    print(f"演示数据库：{db.location}", file=ctx.stdout)
    for label, count in summary.items():
        print(f"  {label}：{count}", file=ctx.stdout)
    if not existing:
        print(f"  用时：{elapsed:.1f} 秒", file=ctx.stdout)
    return 0


def _is_demo_database(path: Path) -> bool:
    try:
        conn = sqlite3.connect(path)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'demo'").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] in ("true", "1", 1)
