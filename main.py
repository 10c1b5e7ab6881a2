"""Composition root: parse the command line, open the database, run a command or the GUI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from models.db import Database

# Each module adds its sub-commands with ``register(subparsers)``; a sub-command's handler is
# ``func(args, ctx) -> int``. The modules are Qt-free, so every command runs without a screen.
# A command loads only the module that registers it (the map below, checked by the tests).
COMMANDS = {
    "catalog": "cli.catalog", "import-policy": "cli.catalog", "checklist": "cli.checklist",
    "demo": "cli.demo", "draw": "cli.draw", "inspections": "cli.inspections",
    "notices": "cli.notices", "report": "cli.report", "export": "cli.exchange",
    "import": "cli.exchange", "verify": "cli.exchange", "devices": "cli.exchange",
    "conflicts": "cli.exchange", "receipt": "cli.exchange", "received": "cli.exchange",
    "backups": "cli.backups",
    "evidence": "cli.evidence",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


def build_parser(with_commands: bool = True,
                 command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, only the module that registers it is loaded."""
    from cli.argparse_zh import install

    install()
    parser = argparse.ArgumentParser(
        prog="main.py", description="积极生育支持措施落实检查工具（离线版）"
    )
    parser.add_argument("--db", type=database_argument,
                        help="数据库文件（默认在用户数据目录），或 PostgreSQL 服务器上的数据库"
                             "（postgresql+psycopg://用户@主机/数据库）")
    parser.add_argument("--evidence", type=evidence_argument, metavar="DIR",
                        help="服务器上的数据库的照片、签名和附件文件夹（连接同一数据库的各台电脑"
                             "用同一个共享文件夹；默认取环境变量 SHENGYU_EVIDENCE_DIR）。"
                             "SQLite 数据库文件的照片和附件在它旁边，不用此项")
    parser.add_argument("--demo", action="store_true", help="打开演示数据库")
    parser.add_argument("--self-test", action="store_true", help="无界面自检后退出")
    parser.add_argument("--pretty", action="store_true",
                        help="JSON 输出缩进排版，便于阅读（默认紧凑）")
    if with_commands:
        import importlib

        sub = parser.add_subparsers(dest="command", metavar="命令")
        modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
        for name in modules:
            importlib.import_module(name).register(sub)
    return parser


def _probe(argv: list[str]) -> tuple[argparse.Namespace, list[str]] | None:
    """The global options, read quietly; None when they are wrong (the full parse says how)."""
    parser = build_parser(with_commands=False)
    parser.exit_on_error = False

    def refuse(message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)

    parser.error = refuse  # type: ignore[method-assign]
    try:
        return parser.parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return None


def database_argument(text: str) -> Path | str:
    """``--db``: a SQLite file's path (``sqlite:///path`` too), or a PostgreSQL URL
    (``postgresql+psycopg://user@host/db``). A string that reads as an address but is not one
    this program opens is refused, never taken for a file name."""
    import re

    found = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]+):", text)  # one letter: a Windows drive
    if found is None:
        return Path(text)
    from models.db import DatabaseError, parse_location

    try:
        location = parse_location(text)
    except DatabaseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return location if isinstance(location, Path) else text


def evidence_argument(text: str) -> Path:
    """``--evidence``: a folder (made when the first file is stored in it), never a file."""
    folder = Path(text).expanduser()
    if folder.exists() and not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text} 不是文件夹。请给出存放照片、签名和附件的文件夹。")
    return folder.absolute()


EVIDENCE_FOR_A_FILE = ("--evidence 只用于 PostgreSQL 服务器上的数据库；SQLite 数据库文件的照片、"
                       "签名和附件固定放在它旁边的 evidence 文件夹中，不能另行指定。")


def evidence_refusal(args: argparse.Namespace, demo: bool = False) -> str | None:
    """Why ``--evidence`` cannot be taken (it names a SQLite file's evidence folder); None
    when it is not given or names a server database's."""
    given = getattr(args, "evidence", None) is not None
    return EVIDENCE_FOR_A_FILE if given and isinstance(db_path(args, demo), Path) else None


def _command_of(argv: list[str]) -> str | None:
    """The command the command line names (the first word after the global options)."""
    known = _probe([w for w in argv if w not in ("-h", "--help")])  # help: the full parser's
    if known is None:
        return None
    rest = known[1]
    word = next((w for w in rest if not w.startswith("-")), None)
    return word if word in COMMANDS else None


def _wants_gui(argv: list[str]) -> bool:
    """True when the command line names no command: the GUI starts without loading them."""
    if "-h" in argv or "--help" in argv:
        return False
    known = _probe(argv)
    if known is None:
        return False  # the full parser says what is wrong
    args, rest = known
    return not rest and not args.self_test


def db_path(args: argparse.Namespace, demo: bool = False) -> Path | str:
    """The database the command line names: a file, or a server URL."""
    from models.paths import default_db_path, demo_db_path

    if isinstance(args.db, str):
        return args.db
    return Path(args.db or (demo_db_path() if (demo or args.demo) else default_db_path()))


class DatabaseOpener:
    """Opens (once, when first called) the database the command line names; nothing is
    imported until then. ``close`` closes it again (its connections, its open marker)."""

    def __init__(self, args: argparse.Namespace, demo: bool = False) -> None:
        self._args, self._demo = args, demo
        self.opened: Database | None = None

    def __call__(self) -> Database:
        if self.opened is None:
            from models.db import DatabaseError, open_database

            refused = evidence_refusal(self._args, self._demo)
            if refused is not None:
                raise DatabaseError(refused)
            db = open_database(db_path(self._args, self._demo),
                               evidence_dir=getattr(self._args, "evidence", None))
            if not db.read_only:  # a read-only database shows what it holds
                from services.catalog_store import ensure_bundled_catalog

                try:
                    with db.session() as session:
                        ensure_bundled_catalog(session)
                except BaseException:
                    db.dispose()
                    raise
            self.opened = db
        return self.opened

    def close(self) -> None:
        if self.opened is not None:
            self.opened.dispose()
            self.opened = None


def db_opener(args: argparse.Namespace, demo: bool = False) -> DatabaseOpener:
    """Opens (once) the database the command line names; nothing is imported until called."""
    return DatabaseOpener(args, demo)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("错误：已取消。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the one place where every failure becomes a Chinese message
        return _fail(exc, argv)


def _run(argv: list[str]) -> int:
    if _wants_gui(argv):
        # The window comes up first; the database and its libraries load behind it.
        from gui.app import run_gui

        args = build_parser(with_commands=False).parse_args(argv)
        where = db_path(args, args.demo)
        return run_gui(db_opener(args), demo=args.demo,
                       db_file=where if isinstance(where, Path) else None)
    args = build_parser(command=_command_of(argv)).parse_args(argv)
    if args.self_test:
        from cli.selftest import run_self_test

        return run_self_test(sys.stdout)
    if args.command is None:
        build_parser().print_help()
        return 2
    from cli.context import CliContext

    demo_db = getattr(args, "demo_db", False)
    refused = evidence_refusal(args, demo_db)
    if refused is not None:
        print(f"错误：{refused}", file=sys.stderr)
        return 2
    opener = db_opener(args, demo=demo_db)
    ctx = CliContext(open_db=opener, db_path=lambda: db_path(args, demo_db), pretty=args.pretty)
    try:
        return int(args.func(args, ctx))
    finally:
        opener.close()  # a server's connections closed, a file's marker of an open database gone


def _fail(exc: BaseException, argv: list[str]) -> int:
    """Say what went wrong in Chinese on stderr (an unexpected error is logged, and the message
    says where) and return a non-zero exit code."""
    try:
        from services.failures import handle_failure

        path = None
        try:
            args, _rest = build_parser(with_commands=False).parse_known_args(argv)
            named = db_path(args)
            path = named if isinstance(named, Path) else None  # a server has no lock holders
        except (Exception, SystemExit):
            pass
        failure = handle_failure(exc, path)
        message, code = failure.message, failure.exit_code
    except Exception as inner:  # even the description failed: still no traceback
        message, code = f"程序出错：{type(exc).__name__}（{type(inner).__name__}）。", 70
    print(f"错误：{message}", file=sys.stderr)
    return code

if __name__ == "__main__":
    sys.exit(main())
