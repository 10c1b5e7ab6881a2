"""``--self-test``: the day's work in two scratch databases, from catalog to package, run as the
installed or bundled program runs it, leaving nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_self_test_walks_the_day_and_leaves_nothing_behind(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "Traceback" not in done.stderr
    for step in ("政策目录：5 份文件", "检查清单「托育机构消防安全」", "现场检查：", "1 张照片",
                 "整改文书：", "已送达、整改、复查", "笔录.pdf", "督查通报.pdf", "文书.docx",
                 "台账.xlsx", "数据包导出和导入：", "导入后逐条一致"):
        assert step in out, step
    assert out.rstrip().endswith("自检通过")
    assert "失败" not in out
    assert not list(tmp_path.glob("shengyu-selftest-*"))  # its scratch folder is gone
