"""A real start of the program that quits once its first page is shown: what the start-up
benchmarks (and the bundle's) time."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_program_starts_shows_its_first_page_and_quits_when_asked(tmp_path: Path) -> None:
    db = tmp_path / "start.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHENGYU_QUIT_WHEN_SHOWN": "1",
           "SHENGYU_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    conn = sqlite3.connect(db)
    try:  # it opened the database and loaded the bundled catalog before quitting
        assert conn.execute("SELECT count(*) FROM policy_documents").fetchone()[0] >= 5
    finally:
        conn.close()


def test_asked_to_quit_at_the_window_it_does_so_before_opening_any_database(
        tmp_path: Path) -> None:
    db = tmp_path / "never.sqlite"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHENGYU_QUIT_WHEN_SHOWN": "window",
           "SHENGYU_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not db.exists()
