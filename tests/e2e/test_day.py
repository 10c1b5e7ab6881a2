"""Both users' whole day through the real windows on a real X server (Xvfb, the xcb platform).

The suite runs offscreen with one QApplication per process, so the day runs in a child process
of its own (``tests/e2e/scenario.py``) on an Xvfb display this test starts and stops. Every
step leaves a screenshot; with ``SHENGYU_E2E_SHOTS`` set they are also copied to
``.e2e-shots/`` in the working copy for a person to look at.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SCREEN = "1366x768x24"
SHOTS_ENV = "SHENGYU_E2E_SHOTS"
EXPECTED = ("检查员A-主窗口", "导入政策-核对识别结果", "检查清单-托育机构消防安全",
            "新建检查-登记单位", "逐项检查-不符合并写明问题", "逐项检查-照片已添加",
            "逐项检查-全部作答", "签名-检查人员1", "签名-被检查单位3", "笔录-已签名锁定",
            "开具整改文书", "报告-现场检查笔录", "导出数据包-完成", "检查员B-导入-预览",
            "检查员B-修改联系电话", "检查员B-导出完成", "检查员A-修改联系电话",
            "督查-导入检查组一-预览", "督查-导入检查组二-完成", "督查-冲突对照",
            "督查-冲突已处理", "督查-督查通报", "检查员A-回执", "检查员A-对方已收到")


@pytest.fixture
def display() -> Iterator[str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is not installed: the end-to-end test needs it (./dev test installs "
                    "the xvfb package; or: sudo apt-get install xvfb)", pytrace=False)
    # Xvfb picks a free display and writes its number to the pipe once it accepts clients
    ready, told = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(told), "-screen", "0", SCREEN,
                               "-nolisten", "tcp"], pass_fds=(told,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(told)
    try:
        with os.fdopen(ready) as pipe:
            number = pipe.readline().strip() if select.select([pipe], [], [], 15)[0] else ""
        if not number:  # it exited, or did not start within the time
            server.kill()
            err = server.stderr.read().decode(errors="replace") if server.stderr else ""
            pytest.fail(f"Xvfb did not start: {err[-500:]}", pytrace=False)
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()


def _blank(path: Path) -> bool:
    with Image.open(path) as img:
        return img.convert("RGB").getcolors(1) is not None  # a single colour


@pytest.mark.e2e
def test_the_inspectors_and_the_supervisors_day_through_the_real_windows(
        display: str, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=display,
               SHENGYU_DATA_DIR=str(tmp_path / "userdata"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("QT_QPA_PLATFORMTHEME", None)  # Qt's own (translated) file dialogs, no portal
    try:
        done = subprocess.run([sys.executable, "-m", "tests.e2e.scenario", str(tmp_path / "work"),
                               str(shots)], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=280)
    finally:
        if os.environ.get(SHOTS_ENV) and shots.is_dir():
            keep = ROOT / ".e2e-shots"
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(shots, keep)
    assert done.returncode == 0, (
        f"the day stopped (exit {done.returncode}); screenshots in {shots}\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    taken = (shots / "taken.txt").read_text(encoding="utf-8").split()
    names = {Path(t).stem.split("-", 1)[1] for t in taken}
    missing = [e for e in EXPECTED if e not in names]
    assert not missing, f"no screenshot of: {missing}"
    for name in taken:
        path = shots / name
        assert path.is_file(), name
        assert not _blank(path), f"{name} is a single colour"
