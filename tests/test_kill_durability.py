"""Killing the application during rapid keyboard entry loses nothing that was saved.

A child process drives the real entry form offscreen with key presses (the same path an
inspector's keys take: EntryForm → services.findings.record_finding → commit). It prints each
answer it is about to give (``I``) and, after the commit, each answer committed (``C``),
flushing stdout after every line. The parent kills it with SIGKILL at a random moment, many
times over, and after each kill checks that every committed answer is in the database file
with its value (the one answer in flight may or may not have landed), that the stored
counts agree with the findings, and that ``PRAGMA integrity_check`` says ok.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from models.db import open_database
from tests.services.inspection_fixtures import new_inspection

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 15

CHILD = r'''
import os, random, sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui import messages
from gui.context import AppEvents, PageContext
from gui.inspection.entry_form import EntryForm
from models.db import open_database


def say(*parts):
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def enter(db_path, inspection_id, seed):
    # The application process: the real form, driven by key presses until it is killed.
    app = QApplication([])
    messages.error = lambda _p, text, **_k: say("E", text.replace("\n", " "))
    db = open_database(Path(db_path))
    rng = random.Random(seed)
    form = EntryForm(PageContext(db, AppEvents()), inspection_id)
    form.auto_advance = False  # the loop walks the items in order
    form.show()
    form.committed.connect(lambda f: say("C", f.item_code, f.result,
                                         "-" if f.value is None else f.value))
    keys = {"符合": Qt.Key.Key_1, "不符合": Qt.Key.Key_2, "部分符合": Qt.Key.Key_3,
            "不适用": Qt.Key.Key_4}
    say("READY")
    while True:
        entry = form.entry(form.current_code())
        if entry.item.answer.type == "measure":
            value = rng.choice([v for v in range(1, 30) if v != entry.finding.value])
            say("I", entry.code, "?", float(value))
            QTest.keyClick(form.table, Qt.Key.Key_F3)
            QTest.keyClicks(form.value_edit, str(value))
            QTest.keyClick(form.value_edit, Qt.Key.Key_Return)
            QTest.keyClick(form.table, Qt.Key.Key_Return)
        else:
            result = rng.choice([r for r in keys if r != entry.finding.result])
            say("I", entry.code, result, "-")
            QTest.keyClick(form.table, keys[result])
            QTest.keyClick(form.table, Qt.Key.Key_Return)
        if form.current_code() == entry.code:  # the last item: start again from the top
            form.select_code(form.model.entry(0).code)


# A small fork server: the modules are imported once, each round's application is a fresh
# forked process (its own QApplication and database connection), so fifteen kills stay quick.
for command in sys.stdin:
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        try:
            enter(sys.argv[1], int(sys.argv[2]), int(command))
        finally:
            os._exit(1)
    say("PID", pid)
    os.waitpid(pid, 0)
    say("DEAD")
'''

State = dict[str, tuple[str, float | None]]


def stored_state(path: Path, inspection_id: int) -> State:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT item_code, result, value_number, answered FROM findings "
                            "WHERE inspection_id = ?", (inspection_id,)).fetchall()
        answered = conn.execute("SELECT answered FROM inspection_counts "
                                "WHERE inspection_id = ?", (inspection_id,)).fetchone()[0]
    finally:
        conn.close()
    assert answered == sum(1 for r in rows if r[3]), "stored counts disagree with findings"
    return {code: (result, value) for code, result, value, _ in rows}


def parse(lines: list[str]) -> tuple[State, tuple[str, str, float | None] | None]:
    """The last committed answer per item, and the answer in flight when killed (if any)."""
    committed: State = {}
    pending: tuple[str, str, float | None] | None = None
    for line in lines:
        parts = line.split(" ")
        if parts[0] not in ("I", "C") or len(parts) != 4:
            continue
        _, code, result, value = parts
        number = None if value == "-" else float(value)
        if parts[0] == "I":
            pending = (code, result, number)
        else:
            committed[code] = (result, number)
            pending = None
    return committed, pending


def check_after_kill(path: Path, inspection_id: int, expected: State,
                     lines: list[str]) -> int:
    """Compare the database with what the killed process reported; update ``expected``.
    Returns how many commits it reported."""
    assert not [x for x in lines if x.startswith("E ")], lines
    committed, pending = parse(lines)
    expected.update(committed)
    for code, (result, value) in stored_state(path, inspection_id).items():
        if (result, value) == expected[code]:
            continue
        # Only the answer in flight may differ: committed before its line was printed.
        assert pending is not None and pending[0] == code, (code, result, value,
                                                            expected[code], lines[-6:])
        if pending[1] != "?":
            assert result == pending[1], (code, result, pending)
        else:
            assert value == pending[2], (code, value, pending)
        expected[code] = (result, value)
    return sum(1 for x in lines if x.startswith("C "))


@pytest.mark.slow
def test_sigkill_during_rapid_entry_never_loses_a_committed_answer(tmp_path: Path) -> None:
    db_path = tmp_path / "kill.sqlite"
    db = open_database(db_path)
    with db.session() as s:
        inspection_id = new_inspection(s).id
    db.dispose()
    child = tmp_path / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    rng = random.Random(20260301)
    expected = stored_state(db_path, inspection_id)
    errors = tmp_path / "stderr.txt"
    commits = 0
    with errors.open("w") as err:
        server = subprocess.Popen(
            [sys.executable, str(child), str(db_path), str(inspection_id)], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
    assert server.stdin is not None and server.stdout is not None
    pid = None
    try:
        for round_no in range(ROUNDS):
            server.stdin.write(f"{round_no}\n")
            server.stdin.flush()
            pid, ready = None, False
            while pid is None or not ready:
                line = server.stdout.readline()
                if not line:
                    pytest.fail(f"the application did not start: {errors.read_text()[-2000:]}")
                if line.startswith("PID "):
                    pid = int(line.split()[1])
                ready = ready or line.strip() == "READY"
            # A random moment during rapid entry: after a random number of the lines the form
            # reports (an answer about to be keyed, or one just committed), without waiting on
            # the clock.
            lines = []
            for _ in range(rng.randint(2, 60)):
                line = server.stdout.readline()
                if not line or line.strip() == "DEAD":
                    pytest.fail(f"the application stopped by itself: {errors.read_text()[-2000:]}")
                lines.append(line.rstrip("\n"))
            os.kill(pid, signal.SIGKILL)
            pid = None
            for line in iter(server.stdout.readline, ""):
                if line.strip() == "DEAD":
                    break
                lines.append(line.rstrip("\n"))
            commits += check_after_kill(db_path, inspection_id, expected, lines)
    finally:
        if pid is not None:  # a failed check left the application running
            os.kill(pid, signal.SIGKILL)
        server.stdin.close()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()
    assert commits >= ROUNDS  # the kills did land during entry, many times over
