"""The exchange commands: export, verify, import (preview, confirmation, trust), devices,
conflicts and receipts, with exit codes and Chinese messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from main import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite"
    assert run(capsys, "--db", path, "demo", "--scale", "0.02")[0] == 0
    return path


def test_export_verify_and_import_on_the_command_line(demo: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "报送.sypkg"
    code, out, err = run(capsys, "--db", demo, "export", "-o", package, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["demo"] is True and result["total"] > 0
    code, out, _ = run(capsys, "--db", demo, "verify", package, "--json")
    assert code == 0 and json.loads(out)["ok"] is True

    monkeypatch.setenv("SHENGYU_DATA_DIR", str(tmp_path / "supervisor"))  # another laptop
    target = tmp_path / "city.sqlite"
    code, out, _ = run(capsys, "--db", target, "import", package, "--dry-run", "--json")
    assert code == 0
    preview = json.loads(out)
    assert preview["dry_run"] and preview["package"]["trust"] == "unknown"
    assert preview["totals"]["new"] == result["total"]
    code, out, _ = run(capsys, "--db", target, "import", package, "--dry-run")
    assert code == 0 and "预览（尚未导入）：新增" in out and "--trust" in out
    exported = next(line for line in out.splitlines() if line.startswith("导出时间："))
    assert "（北京时间）" in exported and "+00:00" not in exported  # as officials read it
    code, _, err = run(capsys, "--db", target, "import", package, "--yes")
    assert code == 1 and "未信任设备" in err and "--trust" in err
    code, out, _ = run(capsys, "--db", target, "import", package, "--yes", "--trust")
    assert code == 0 and "回执已保存" in out
    assert "已合并：新增" in out and "经确认导入" in out and "预览" not in out
    code, out, _ = run(capsys, "--db", target, "import", package, "--yes", "--trust")
    assert code == 0 and "已于" in out  # the same package again: nothing to do
    a = run(capsys, "--db", demo, "inspections", "--json")[1]
    b = run(capsys, "--db", target, "inspections", "--json")[1]
    sent = [i for i in json.loads(a)["inspections"] if i["status"] != "draft"]
    assert sent == json.loads(b)["inspections"]

    code, out, _ = run(capsys, "--db", target, "devices", "list", "--json")
    devices = json.loads(out)["devices"]
    assert [d["status"] for d in devices] == ["unknown"]
    code, out, _ = run(capsys, "--db", target, "devices", "trust", devices[0]["fingerprint"][:12],
                       "--name", "中卫市卫健委笔记本")
    assert code == 0 and "已信任" in out
    code, out, _ = run(capsys, "--db", target, "devices", "revoke",
                       devices[0]["fingerprint"][:12])
    assert code == 0 and "已撤销" in out
    code, _, err = run(capsys, "--db", target, "import", package, "--yes", "--trust")
    assert code == 1 and "撤销" in err

    receipts = list((tmp_path / "supervisor" / "receipts").glob("*.syrcpt"))
    monkeypatch.setenv("SHENGYU_DATA_DIR", os.environ.get("HOME", str(tmp_path)) + "/none")
    code, out, err = run(capsys, "--db", demo, "receipt", "import", receipts[0])
    assert code == 0, err
    assert "已收到全部记录" in out and "（北京时间）合并了" in out


def test_a_bad_package_exits_non_zero_with_a_chinese_message_and_no_traceback(
        tmp_path: Path) -> None:
    bad = tmp_path / "坏的.sypkg"
    bad.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for args in (["import", str(bad), "--yes"], ["verify", str(bad)]):
        done = subprocess.run([sys.executable, "main.py", "--db", str(tmp_path / "x.sqlite"),
                               *args], cwd=ROOT, capture_output=True, text=True, env=env,
                              check=False)
        assert done.returncode == 1
        assert "错误：" in done.stderr and "Traceback" not in done.stderr


def test_import_without_yes_asks_and_a_pipe_is_told_to_confirm(
        demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "p.sypkg"
    assert run(capsys, "--db", demo, "export", "-o", package)[0] == 0
    monkeypatch.setenv("SHENGYU_DATA_DIR", str(tmp_path / "other"))
    code, out, err = run(capsys, "--db", tmp_path / "b.sqlite", "import", package, "--trust")
    assert code == 2 and "--yes" in err
    assert "新增" in out  # the preview was shown first


def test_conflicts_command_lists_and_refuses_unknown_ids(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    db = tmp_path / "x.sqlite"
    code, out, _ = run(capsys, "--db", db, "conflicts", "list")
    assert code == 0 and "没有待处理的冲突" in out
    code, _, err = run(capsys, "--db", db, "conflicts", "show", "7")
    assert code == 1 and "没有编号为 7 的冲突" in err
    code, _, err = run(capsys, "--db", db, "export", "-o", tmp_path / "x", "--since-last-to",
                       "市卫健委", "--theme", "母婴设施")
    assert code == 2 and "不能与" in err


def test_several_packages_are_imported_one_after_another(
        demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A supervisor lists the packages of several laptops at once: each is previewed and
    merged as if alone; a bad one is named and does not stop the others."""
    other = tmp_path / "other.sqlite"
    assert run(capsys, "--db", other, "demo", "--scale", "0.02")[0] == 0
    one, two = tmp_path / "一.sypkg", tmp_path / "二.sypkg"
    assert run(capsys, "--db", demo, "export", "-o", one)[0] == 0
    assert run(capsys, "--db", other, "export", "-o", two)[0] == 0
    broken = tmp_path / "坏.sypkg"
    broken.write_bytes(one.read_bytes()[:1000])
    monkeypatch.setenv("SHENGYU_DATA_DIR", str(tmp_path / "supervisor"))
    target = tmp_path / "city.sqlite"
    code, out, _ = run(capsys, "--db", target, "import", one, two, "--dry-run", "--json")
    assert code == 0
    previews = json.loads(out)["packages"]
    assert [p["files"] for p in previews] == [[str(one)], [str(two)]]
    assert all(p["dry_run"] and p["totals"]["new"] > 0 for p in previews)
    code, out, err = run(capsys, "--db", target, "import", one, broken, two, "--yes", "--trust")
    assert code == 1
    assert "第 1/3 个数据包：一.sypkg" in out and "第 3/3 个数据包：二.sypkg" in out
    assert out.count("已合并：新增") == 2
    assert "数据包不完整或已损坏" in err
    assert "共 3 个数据包：2 个已处理，1 个未能导入（原因见上）。" in out
    assert "Traceback" not in out + err
    code, out, _ = run(capsys, "--db", target, "devices", "list")
    assert code == 0 and "（北京时间）" in out
    # verify takes several packages the same way
    code, out, err = run(capsys, "--db", target, "verify", one, broken, two)
    assert code == 1 and "共 3 个数据包：2 个完好，1 个有问题（原因见上）。" in out
    assert "数据包不完整或已损坏" in err
    code, out, _ = run(capsys, "--db", target, "verify", one, two, "--json")
    assert code == 0 and [p["ok"] for p in json.loads(out)["packages"]] == [True, True]
