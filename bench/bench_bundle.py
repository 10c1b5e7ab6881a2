"""The laptop bundle against a bare PySide6 window bundled the same way: size and start-up.

Builds, in one run and with the same PyInstaller, (1) the program from ``pyinstaller.spec`` and
(2) a bare PySide6 window (one QMainWindow, default hooks) as one-folder bundles in a temporary
folder, then prints each bundle's size and the ratio (budget ≤ 1.3×), runs the program's
``--self-test`` from the bundle, and times cold starts of each to its window on screen
(``QT_QPA_PLATFORM`` as set, offscreen by default): the program's main window against the bare
window, the medians' ratio (budget ≤ 1.5×); and, reported beside them, the program until its
first page is on screen with the database open (a database that already holds the catalog).
Takes several minutes (two PyInstaller builds); run on demand:

    .venv/bin/python bench/bench_bundle.py [--runs N] [--keep FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE_BUDGET = 1.3
START_BUDGET = 1.5
EXE = ".exe" if sys.platform == "win32" else ""

BARE = '''\
import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("窗口"))
window.resize(1366, 768)
window.show()
if os.environ.get("SHENGYU_QUIT_WHEN_SHOWN"):
    QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
'''


def pyinstaller(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm",
                           "--log-level", "WARN", *args], cwd=cwd, capture_output=True,
                          text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"PyInstaller failed ({' '.join(args)})")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed_start(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} exited with {done.returncode}: {done.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, default=None,
                        help="build in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print("building the program from pyinstaller.spec …", flush=True)
        pyinstaller("--distpath", str(work / "dist"), "--workpath", str(work / "build"),
                    str(ROOT / "pyinstaller.spec"), cwd=ROOT)
        app_dir = work / "dist" / "shengyu-jiancha"
        print("building the bare PySide6 window …", flush=True)
        bare_src = work / "bare" / "bare_window.py"
        bare_src.parent.mkdir(exist_ok=True)
        bare_src.write_text(BARE, encoding="utf-8")
        pyinstaller("--onedir", "--distpath", str(work / "bare-dist"), "--workpath",
                    str(work / "bare-build"), "--specpath", str(work / "bare"), str(bare_src),
                    cwd=work / "bare")
        bare_dir = work / "bare-dist" / "bare_window"

        app_size, bare_size = folder_size(app_dir), folder_size(bare_dir)
        size_ratio = app_size / bare_size
        print(f"bundle size:     program {app_size / 2**20:7.1f} MB   "
              f"bare window {bare_size / 2**20:7.1f} MB   ratio {size_ratio:.2f}× "
              f"(budget ≤ {SIZE_BUDGET}×)")

        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "SHENGYU_DATA_DIR": str(work / "userdata")}
        program = str(app_dir / f"shengyu-jiancha{EXE}")
        test = subprocess.run([program, "--self-test"], env=env, capture_output=True,
                              text=True, timeout=600)
        last = (test.stdout.strip().splitlines() or ["(no output)"])[-1]
        print(f"bundled --self-test: {last} (exit {test.returncode})")

        db = work / "start.sqlite"
        page_env = {**env, "SHENGYU_QUIT_WHEN_SHOWN": "page"}
        window_env = {**env, "SHENGYU_QUIT_WHEN_SHOWN": "window"}
        timed_start([program, "--db", str(db)], page_env)  # creates the database, untimed
        app_times, page_times, bare_times = [], [], []
        for _ in range(args.runs):  # alternated, so that all see the same load
            app_times.append(timed_start([program, "--db", str(db)], window_env))
            page_times.append(timed_start([program, "--db", str(db)], page_env))
            bare_times.append(timed_start([str(bare_dir / f"bare_window{EXE}")], page_env))
        app_start, bare_start = statistics.median(app_times), statistics.median(bare_times)
        page_start = statistics.median(page_times)
        start_ratio = app_start / bare_start
        print(f"start-up median: main window {app_start:7.2f} s    bare window "
              f"{bare_start:7.2f} s    ratio {start_ratio:.2f}× (budget ≤ {START_BUDGET}×, "
              f"{args.runs} runs each)")
        print(f"                 first page with the database open {page_start:7.2f} s "
              f"({page_start / bare_start:.2f}× the bare window)")
        ok = size_ratio <= SIZE_BUDGET and start_ratio <= START_BUDGET and test.returncode == 0
        print("OK" if ok else "OVER BUDGET")
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
