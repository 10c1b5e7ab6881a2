"""Composition root: parse the command line, open the database, run a command or the GUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from models.cli_context import CliContext
from models.db import Database, DatabaseError, open_database
from models.paths import default_db_path, demo_db_path

# Each module adds its sub-commands with ``register(subparsers)``; a sub-command's handler is
# ``func(args, ctx) -> int``. The modules are Qt-free, so every command runs without a screen.
COMMAND_MODULES = ("checklists.cli_catalog", "checklists.cli_checklist", "models.cli_demo",
                   "models.cli_inspections")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py", description="积极生育支持措施落实检查工具（离线版）"
    )
    parser.add_argument("--db", type=Path, help="数据库文件（默认在用户数据目录）")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库")
    parser.add_argument("--self-test", action="store_true", help="无界面自检后退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def db_opener(args: argparse.Namespace, demo: bool = False) -> Callable[[], Database]:
    path = args.db or (demo_db_path() if (demo or args.demo) else default_db_path())
    cache: list[Database] = []

    def open_db() -> Database:
        if not cache:
            cache.append(open_database(path))
            from checklists.store import ensure_bundled_catalog

            with cache[0].session() as session:
                ensure_bundled_catalog(session)
        return cache[0]

    return open_db


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from checklists.selftest import run_self_test

        return run_self_test(sys.stdout)
    if args.command is None:
        from gui.app import run_gui

        return run_gui(db_opener(args), demo=args.demo)
    ctx = CliContext(open_db=db_opener(args, demo=getattr(args, "demo_db", False)))
    try:
        return int(args.func(args, ctx))
    except DatabaseError as exc:
        return ctx.fail(str(exc))
    except KeyboardInterrupt:
        return ctx.fail("已取消。", 130)


if __name__ == "__main__":
    sys.exit(main())
