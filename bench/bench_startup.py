"""Start-up budget: the catalog on screen, on a database of about a million findings, within
1.5× a bare PySide6 window; and no growth with the file's size.

Each start is a fresh Python process (a cold start, as a user sees it): the time runs from
just before the process is spawned until a window is shown and exposed. The database is
created and filled with the bundled catalog before any timing, as it is on every start after
the first, and closed once by the program so that, as after any normal session, the catalog
page is remembered (``services.first_page``). Each start of the program prints three times:
its window on screen; the catalog on screen (the remembered page, in the window's first paint
before the database and the ORM are loaded); and the database open with the page rebuilt from
it, when the program takes input. Runs alternate, several times; the median of the catalog on
screen is compared with the bare window's, and the time to input is reported beside the floor
that any window reading the catalog through the ORM starts from.

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
BUDGET = 1.5
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

    Prints three times: the window shown; the catalog on screen (the page the last run
    remembered, when the file is as that run left it, is in the window's first paint; else
    the page built from the database);
    the database open and the page built from it (the program ready for input). Closes the
    database as the program does, which remembers the page for the next start.
    """
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from gui.app import close_database, configure, create_application, open_in, show_remembered
    from gui.main_window import MainWindow
    from main import db_opener

    app = create_application()
    configure(app, style=False)
    window = MainWindow(None)
    remembered = show_remembered(window, Path(db_path))
    _wait_until_exposed(window)
    shown = time.time()
    print(shown, flush=True)
    if remembered:  # the window's first paint had the catalog in it
        print(shown, flush=True)
    db = open_in(window, db_opener(argparse.Namespace(db=Path(db_path), demo=False)))
    assert db is not None
    page = window.page("library")
    assert page.isVisible()
    QApplication.processEvents()  # the first paint of the catalog read from the database
    now = time.time()
    print(now, flush=True)
    print(now, flush=True)
    close_database(db, Path(db_path))  # not the next start after a crash, and remembered
    del app
    os._exit(0)


def _time_child(args: list[str]) -> list[float]:
    """Seconds from spawning the child to each time it prints."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # as installed: the modules' compiled bytecode is kept (the warm-up run writes it)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
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
        _time_child(["--child", "main", "--db", str(db_path)])  # remembers its page
        bare: list[float] = []
        orm: list[float] = []
        frame: list[float] = []
        catalog: list[float] = []
        ready: list[float] = []
        big_catalog: list[float] = []
        big_ready: list[float] = []
        for _ in range(args.runs):
            bare.append(_time_child(["--child", "bare"])[0])
            orm.append(_time_child(["--child", "orm"])[0])
            shown, on_screen, opened = _time_child(["--child", "main", "--db", str(db_path)])[:3]
            frame.append(shown)
            catalog.append(on_screen)
            ready.append(opened)
            if big_path is not None:
                _shown, on_screen, opened = _time_child(
                    ["--child", "main", "--db", str(big_path)])[:3]
                big_catalog.append(on_screen)
                big_ready.append(opened)
        unclean = None
        if big_path is not None:
            from models.integrity import marker_path

            marker_path(big_path, pid=99999999).write_text("99999999\n")  # a crash's leftover
            unclean = _time_child(["--child", "main", "--db", str(big_path)])[2]
        small_size = _mb(db_path)
        big_size = _mb(big_path) if big_path is not None else ""
    rows = [
        ("bare PySide6 window (floor)", bare),
        ("bare window + SQLAlchemy ORM import (reference)", orm),
        ("main window shown", frame),
        (f"catalog on screen ({small_size})", catalog),
        (f"database open, ready for input ({small_size})", ready),
    ]
    if big_catalog:
        rows += [(f"catalog on screen ({big_size})", big_catalog),
                 (f"database open, ready for input ({big_size})", big_ready)]
    for label, runs in rows:
        print(
            f"{label + ':':50s} median {statistics.median(runs) * 1000:6.0f} ms  "
            f"(runs: {', '.join(f'{t * 1000:.0f}' for t in runs)})"
        )
    floor = statistics.median(bare)
    shown = statistics.median(big_catalog or catalog)
    ratio = shown / floor
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"catalog on screen ({big_size or small_size}): {ratio:.2f}x the bare window, "
          f"budget <= {BUDGET:.1f}x: {verdict} budget")
    print(f"ready for input: {statistics.median(big_ready or ready) / floor:.2f}x the bare "
          f"window ({statistics.median(big_ready or ready) / statistics.median(orm):.2f}x the "
          "bare window that only imports the ORM)")
    if big_ready:
        small, big = statistics.median(ready), statistics.median(big_ready)
        grows = big > small * GROWTH
        print(f"{big_size} against {small_size}: {big / small:.2f}x the small database's start "
              f"({(big - small) * 1000:+.0f} ms), budget <= {GROWTH:.2f}x: "
              f"{'OVER' if grows else 'within'} budget (no growth with the file's size)")
    if unclean is not None:
        print(f"{big_size} after an unclean shutdown (the whole file checked first): "
              f"{unclean * 1000:.0f} ms to ready, once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
