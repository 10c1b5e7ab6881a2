"""Each command loads only the module that registers it; JSON is compact unless --pretty."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import main

ROOT = Path(__file__).resolve().parents[2]


def _names(parser: object) -> set[str]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_the_command_map_names_every_command_and_the_module_that_registers_it() -> None:
    assert _names(main.build_parser()) == set(main.COMMANDS)
    for command, module in main.COMMANDS.items():
        alone = _names(main.build_parser(command=command))  # that module, and only it
        assert alone == {c for c, m in main.COMMANDS.items() if m == module}
        assert command in alone


def test_the_command_is_found_after_the_global_options() -> None:
    assert main._command_of(["--db", "x.sqlite", "--pretty", "inspections", "--json"]) \
        == "inspections"
    assert main._command_of(["--help"]) is None
    assert main._command_of(["--db", "inspections"]) is None  # a file named like a command
    assert main._command_of([]) is None


def test_a_command_loads_no_other_command_module() -> None:
    code = ("import sys, main; main.build_parser(command=main._command_of(['inspections']))"
            ".parse_args(['inspections']); print(sorted(m for m in sys.modules"
            " if m.startswith('cli.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(eval(done.stdout))  # a printed list of names
    assert "cli.inspections" in loaded
    assert not loaded & (set(main.COMMAND_MODULES) - {"cli.inspections"})


def test_json_is_compact_unless_pretty_is_asked(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    args = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
    compact = subprocess.run([*args, "checklist", "themes", "--json"], capture_output=True,
                             text=True, timeout=120)
    pretty = subprocess.run([*args, "--pretty", "checklist", "themes", "--json"],
                            capture_output=True, text=True, timeout=120)
    assert compact.returncode == pretty.returncode == 0, compact.stderr + pretty.stderr
    assert json.loads(compact.stdout) == json.loads(pretty.stdout)
    assert compact.stdout.count("\n") == 1 and "\n  " in pretty.stdout


def test_a_database_address_is_opened_as_one_and_never_taken_for_a_file_name(
        tmp_path: Path) -> None:
    import argparse

    import pytest

    assert main.database_argument("data/x.sqlite") == Path("data/x.sqlite")
    assert main.database_argument(r"C:\检查\x.sqlite") == Path(r"C:\检查\x.sqlite")  # a drive
    assert main.database_argument("sqlite:////tmp/a.sqlite") == Path("/tmp/a.sqlite")
    for address in ("postgresql+psycopg://u@localhost/sy", "postgres://h/db"):
        assert main.database_argument(address) == address
    refused = (("mysql://x", "不支持 mysql"), ("sqlite://", "没有给出数据库文件"),
               ("sqlite:///", "没有给出数据库文件"), ("postgresql://h:x/db", "不是有效"))
    for address, says in refused:
        with pytest.raises(argparse.ArgumentTypeError, match=says):
            main.database_argument(address)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db",
                           "mysql://u@localhost/sy", "inspections"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("不支持 mysql") == 1 and "Traceback" not in done.stderr
    # a server that is not there: named, no traceback, nothing written here
    nowhere = f"postgresql+psycopg://u@/sy?host={tmp_path / 'no-server'}"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", nowhere,
                           "inspections"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "无法连接" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []  # no file named after the address
