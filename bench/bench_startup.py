"""Start-up budget: the main window on a database holding the catalog, against a bare window;
and the same start on a database some hundred times larger, which must take no longer.

Each start is a fresh Python process (a cold start, as a user sees it): the time runs from
just before the process is spawned until its window is shown and exposed. The database is
created and filled with the bundled catalog before any timing, as it is on every start after
the first. The app shows its window frame before it opens the database (the ORM and its
import are most of the rest), then shows the catalog; both times are printed. Runs alternate,
several times; the medians are compared with the budget: the main window may take at most
twice as long as the bare window to appear. The time until the catalog is on screen is
reported beside the floor that any window reading it through the ORM starts from.

Opening reads only a little of the file whatever its size (the whole file is read only after
an unclean shutdown, see ``models.integrity``): the same start on a copy of the demo data at
scale 25 (about a million findings, some 600 MB, built once and shared with
``bench_inspection_list.py``) is timed alongside, and its median compared with the small
database's. Last, one start of the large copy after an unclean shutdown (a marker left beside
it) shows what the whole-file check costs when it does run.

    .venv/bin/python bench/bench_startup.py [--runs N] [--large PATH | --no-large]
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
BUDGET = 2.0
#: How much longer a start on the large database may take than on the small one (noise).
GROWTH = 1.15


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
    """The same steps as ``main.py`` (gui.app.run_gui), without entering the event loop.

    Prints two times: the window frame shown, then the catalog shown in the library page.
    """
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from gui.app import configure, open_in
    from gui.main_window import MainWindow
    from main import db_opener

    app = QApplication(sys.argv)
    configure(app)
    window = MainWindow(None)
    _wait_until_exposed(window)
    print(time.time(), flush=True)
    db = open_in(window, db_opener(argparse.Namespace(db=Path(db_path), demo=False)))
    assert db is not None
    page = window.page("library")
    assert page.isVisible()
    QApplication.processEvents()  # the first paint of the catalog
    print(time.time(), flush=True)
    db.dispose()  # closed as the app closes it: the next start is not one after a crash
    del app
    os._exit(0)


def _time_child(args: list[str]) -> list[float]:
    """Seconds from spawning the child to each time it prints."""
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
    return [float(line) - start for line in out.stdout.split()]


def prepare_database(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from models.db import open_database
    from services.catalog_store import ensure_bundled_catalog

    db = open_database(path)
    with db.session() as session:
        ensure_bundled_catalog(session)
        # a database in use (it has a unit) opens on the catalog, not on 开始使用
        from services.entities import create_entity

        create_entity(session, name="中宁县某商业广场", type_code="commercial_center")
    db.dispose()


def large_database(path: str | None) -> Path:
    """The large database: ``path``, or the scale-25 demo database (built once)."""
    if path:
        return Path(path)
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_inspection_list import list_database

    return list_database()


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1024 / 1024:,.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("bare", "orm", "main"))
    parser.add_argument("--db")
    parser.add_argument("--large", help="the large database (default: the scale-25 demo data)")
    parser.add_argument("--no-large", action="store_true",
                        help="only the small database")
    args = parser.parse_args()
    if args.child in ("bare", "orm"):
        child_bare(with_orm=args.child == "orm")
    if args.child == "main":
        child_main(args.db)

    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.sqlite"
        prepare_database(db_path)
        big_path = None
        if not args.no_large:
            big_path = Path(tmp) / "large" / "bench-large.sqlite"
            big_path.parent.mkdir()
            shutil.copyfile(large_database(args.large), big_path)  # opening writes a little
            _time_child(["--child", "main", "--db", str(big_path)])  # its first open
        _time_child(["--child", "bare"])  # warm the disk cache for both alike
        _time_child(["--child", "main", "--db", str(db_path)])
        bare: list[float] = []
        orm: list[float] = []
        frame: list[float] = []
        catalog: list[float] = []
        big_frame: list[float] = []
        big_catalog: list[float] = []
        for _ in range(args.runs):
            bare.append(_time_child(["--child", "bare"])[0])
            orm.append(_time_child(["--child", "orm"])[0])
            shown, loaded = _time_child(["--child", "main", "--db", str(db_path)])
            frame.append(shown)
            catalog.append(loaded)
            if big_path is not None:
                shown, loaded = _time_child(["--child", "main", "--db", str(big_path)])
                big_frame.append(shown)
                big_catalog.append(loaded)
        unclean = None
        if big_path is not None:
            from models.integrity import marker_path

            marker_path(big_path, pid=99999999).write_text("99999999\n")  # a crash's leftover
            unclean = _time_child(["--child", "main", "--db", str(big_path)])[1]
        small_size = _mb(db_path)
        big_size = _mb(big_path) if big_path is not None else ""
    rows = [
        ("bare PySide6 window (floor)", bare),
        ("bare window + SQLAlchemy ORM import (reference)", orm),
        ("main window shown", frame),
        (f"main window with the catalog loaded ({small_size})", catalog),
    ]
    if big_frame:
        rows += [(f"main window with the catalog loaded ({big_size})", big_catalog)]
    for label, runs in rows:
        print(
            f"{label + ':':50s} median {statistics.median(runs) * 1000:6.0f} ms  "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in runs)})"
        )
    floor = statistics.median(bare)
    ratio = statistics.median(frame) / floor
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"main window shown: {ratio:.2f}x the bare window, budget <= {BUDGET:.1f}x: "
          f"{verdict} budget")
    print(f"catalog on screen: {statistics.median(catalog) / floor:.2f}x the bare window "
          f"({statistics.median(catalog) / statistics.median(orm):.2f}x the bare window that "
          "only imports the ORM)")
    if big_catalog:
        small, big = statistics.median(catalog), statistics.median(big_catalog)
        grows = big > small * GROWTH
        print(f"{big_size} against {small_size}: {big / small:.2f}x the small database's start "
              f"({(big - small) * 1000:+.0f} ms), budget <= {GROWTH:.2f}x: "
              f"{'OVER' if grows else 'within'} budget (no growth with the file's size)")
    if unclean is not None:
        print(f"{big_size} after an unclean shutdown (the whole file checked first): "
              f"{unclean * 1000:.0f} ms, once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
