"""``backups list|verify|create|restore``: the database's backups, without opening it (so a
database that no longer opens can still be restored)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.context import CliContext
from services.backups import (
    BackupCheck,
    BackupInfo,
    default_backup_dir,
    list_backups,
    restore_backup,
    take_backup,
    verify_backup,
)


def register(sub: Any) -> None:
    p = sub.add_parser("backups", help="备份：列出、校验、手动备份、从备份恢复数据库")
    p.add_argument("action", choices=("list", "verify", "create", "restore"),
                   help="list 列出；verify 校验（不指定文件则校验全部）；create 立即备份；"
                        "restore 从备份恢复（恢复前先备份当前数据库）")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="备份文件（路径，或 backups list 中的文件名）")
    p.add_argument("--yes", action="store_true", help="restore：不再询问，直接恢复")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_backups)


def cmd_backups(args: argparse.Namespace, ctx: CliContext) -> int:
    assert ctx.db_path is not None
    path = ctx.db_path()
    if not isinstance(path, Path):
        return ctx.fail("服务器上的数据库由数据库管理员用 pg_dump 备份、用 pg_restore 恢复"
                        "（见 docs/postgresql.md），本命令只备份 SQLite 数据库文件。", 2)
    if path.is_dir():
        return ctx.fail(f"{path} 是一个文件夹，不是数据库文件。请指定数据库文件"
                        "（例如 jiancha.sqlite）的路径。")
    folder = default_backup_dir(path)
    if args.action == "list":
        rows = list_backups(path)
        if args.json:
            _dump(ctx, {"database": str(path), "folder": str(folder),
                        "backups": [backup_json(b) for b in rows]})
        elif not rows:
            print(f"还没有备份（备份文件夹：{folder}）。", file=ctx.stdout)
        else:
            print(f"数据库 {path} 的备份（最新的在前）：", file=ctx.stdout)
            for b in rows:
                when = f"{b.taken_at:%Y-%m-%d %H:%M:%S}" if b.taken_at else "时间不明"
                keep = "  （升级前的最新备份，始终保留）" if b.protected else ""
                print(f"  {when}  {b.kind_label}  结构版本 {b.schema_version or '—'}  "
                      f"{_size(b.size_bytes)}  {b.name}{keep}", file=ctx.stdout)
        return 0
    if args.action == "create":
        if args.files:
            return ctx.fail("create 不需要文件参数。", 2)
        made = take_backup(path)
        if args.json:
            _dump(ctx, backup_json(made))
        else:
            print(f"已备份：{made.path}", file=ctx.stdout)
        return 0
    if args.action == "verify":
        files = [_resolve(f, folder) for f in args.files] or [b.path for b in list_backups(path)]
        checks = [verify_backup(f) for f in files]
        if args.json:
            _dump(ctx, {"backups": [check_json(c) for c in checks]})
        else:
            if not checks:
                print(f"还没有备份（备份文件夹：{folder}）。", file=ctx.stdout)
            for c in checks:
                state = "完好" if c.ok else f"有问题：{c.problem}"
                print(f"  {c.path.name}：{state}", file=ctx.stdout)
        return 0 if all(c.ok for c in checks) else 1
    # restore
    if len(args.files) != 1:
        return ctx.fail("请指定一个要恢复的备份文件（见 backups list）。", 2)
    backup = _resolve(args.files[0], folder)
    if not backup.is_file():
        return ctx.fail(f"找不到备份文件：{args.files[0]}", 2)
    if not args.yes:
        if not sys.stdin.isatty():
            return ctx.fail("恢复会用备份替换当前数据库（当前数据库会先备份）。"
                            "请加 --yes 确认。", 2)
        answer = input(f"用 {backup.name} 替换 {path}？当前数据库会先备份。[y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("未恢复。", file=ctx.stdout)
            return 1
    result = restore_backup(path, backup)
    if args.json:
        _dump(ctx, {"restored": backup_json(result.restored),
                    "previous": backup_json(result.previous) if result.previous else None})
    else:
        print(f"已从 {backup.name} 恢复数据库 {path}。", file=ctx.stdout)
        if result.previous is not None:
            print(f"恢复前的数据库已备份为 {result.previous.path}。", file=ctx.stdout)
    return 0


def _resolve(name: str, folder: Path) -> Path:
    given = Path(name)
    if given.exists() or given.is_absolute() or len(given.parts) > 1:
        return given
    return folder / given


def backup_json(b: BackupInfo) -> dict[str, Any]:
    return {"path": str(b.path), "name": b.name,
            "taken_at": b.taken_at.isoformat() if b.taken_at else None, "kind": b.kind,
            "kind_label": b.kind_label, "schema_version": b.schema_version,
            "size_bytes": b.size_bytes, "protected": b.protected}


def check_json(c: BackupCheck) -> dict[str, Any]:
    return {"path": str(c.path), "ok": c.ok, "problem": c.problem,
            "schema_version": c.schema_version, "restorable": c.restorable}


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, n // 1024)} KB"


def _dump(ctx: CliContext, data: Any) -> None:
    ctx.write_json(data)
