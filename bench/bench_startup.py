"""Start-up budget: the main window with the catalog loaded, against a bare PySide6 window.

Each start is a fresh Python process (a cold start, as a user sees it): the time runs from
just before the process is spawned until its window is shown and exposed. The database is
created and filled with the bundled catalog before any timing, as it is on every start after
the first. Runs alternate between the two, several times; the medians are compared with the
budget: the main window may take at most twice as long as the bare window.

    .venv/bin/python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 2.0


def _wait_until_exposed(window: object) -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    window.show()
    handle = window.windowHandle()
    while handle is None or not handle.isExposed():
        QApplication.processEvents()
        handle = window.windowHandle()
    QApplication.processEvents()  # the first paint


def child_bare(with_orm: bool = False) -> None:
    if with_orm:  # the floor any window that reads the catalog through the ORM starts from
        import sqlalchemy.orm  # noqa: F401
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QLabel("积极生育支持措施落实检查"))
    window.resize(1366, 768)
    _wait_until_exposed(window)
    print(time.time(), flush=True)
    del app
    os._exit(0)  # no teardown: only the start counts


def child_main(db_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from gui.app import configure
    from gui.main_window import MainWindow
    from main import db_opener

    app = QApplication(sys.argv)
    configure(app)  # the same steps as gui.app.run_gui, without entering the event loop
    db = db_opener(argparse.Namespace(db=Path(db_path), demo=False))()
    window = MainWindow(db)
    _wait_until_exposed(window)
    print(time.time(), flush=True)
    del app
    os._exit(0)


def _time_child(args: list[str]) -> float:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"start-up run failed ({' '.join(args)}):\n{out.stderr}")
    shown = float(out.stdout.strip().splitlines()[-1])
    return shown - start


def prepare_database(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from checklists.store import ensure_bundled_catalog
    from models.db import open_database

    db = open_database(path)
    with db.session() as session:
        ensure_bundled_catalog(session)
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("bare", "orm", "main"))
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.child in ("bare", "orm"):
        child_bare(with_orm=args.child == "orm")
    if args.child == "main":
        child_main(args.db)

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite"
        prepare_database(db_path)
        _time_child(["--child", "bare"])  # warm the disk cache for both alike
        _time_child(["--child", "main", "--db", str(db_path)])
        bare: list[float] = []
        orm: list[float] = []
        full: list[float] = []
        for _ in range(args.runs):
            bare.append(_time_child(["--child", "bare"]))
            orm.append(_time_child(["--child", "orm"]))
            full.append(_time_child(["--child", "main", "--db", str(db_path)]))
    bare_median, full_median = statistics.median(bare), statistics.median(full)
    ratio = full_median / bare_median
    for label, runs in (
        ("bare PySide6 window", bare),
        ("bare window + SQLAlchemy ORM import (reference)", orm),
        ("main window, catalog loaded", full),
    ):
        print(
            f"{label + ':':50s} median {statistics.median(runs) * 1000:6.0f} ms  "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in runs)})"
        )
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"ratio {ratio:.2f}x against a budget of <= {BUDGET:.1f}x: {verdict} budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
