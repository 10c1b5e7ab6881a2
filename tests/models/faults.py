"""Storage faults for tests: a database from a newer program, read-only files, folders and
media, a full disk, and a database another process holds.

The tests may run as root, to whom ``chmod`` forbids nothing. Each helper then uses what binds
root too: the immutable flag (``chattr +i``), a read-only bind mount, a small ``tmpfs``; where
the system allows none of them, the test is skipped and an equivalent fault injection (in the
tests themselves) covers the behaviour.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FUTURE_REVISION = "0099_from_the_future"


def make_newer(path: Path) -> None:
    """Mark the database at ``path`` as written by a newer program."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def checkpoint(path: Path) -> None:
    """Everything in the one file (so that its hash says whether anything changed)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with its hash."""
    return {str(p.relative_to(folder)): file_hash(p) for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _run(*cmd: str) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, check=False).returncode == 0
    except OSError:
        return False


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """``path`` cannot be changed, even by root (``chattr +i``)."""
    if not shutil.which("chattr") or not _run("chattr", "+i", str(path)):
        pytest.skip("这台机器上不能设置不可改标志（chattr +i）")
    try:
        yield
    finally:
        _run("chattr", "-i", str(path))


@contextmanager
def read_only_folder(folder: Path, mount_point: Path) -> Iterator[Path]:
    """``folder`` seen read-only at ``mount_point`` (a read-only bind mount as root; as another
    user the folder's write permission is taken away and ``folder`` itself is yielded)."""
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(mode)
        return
    mount_point.mkdir()
    if not _run("mount", "--bind", str(folder), str(mount_point)):
        pytest.skip("这台机器上不能挂载（mount --bind）")
    try:
        if not _run("mount", "-o", "remount,bind,ro", str(mount_point)):
            pytest.skip("这台机器上不能把挂载点设为只读")
        yield mount_point
    finally:
        _run("umount", str(mount_point))


@contextmanager
def small_disk(mount_point: Path, size: str = "4m") -> Iterator[Path]:
    """A small file system of its own (``tmpfs``), to be filled up."""
    mount_point.mkdir()
    if sys.platform != "linux" or not _run("mount", "-t", "tmpfs", "-o", f"size={size}",
                                           "tmpfs", str(mount_point)):
        pytest.skip("这台机器上不能挂载小文件系统（tmpfs）")
    try:
        yield mount_point
    finally:
        _run("umount", str(mount_point))


def fill_disk(folder: Path) -> Path:
    """Write a file until the disk that holds ``folder`` is full."""
    filler = folder / "filler.bin"
    block = b"\0" * 65536
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(block)
                fh.flush()
        except OSError:
            pass
    # a last few bytes, in case a part of a block still fitted
    try:
        with filler.open("ab") as fh:
            while True:
                fh.write(b"\0")
                fh.flush()
    except OSError:
        pass
    return filler


@contextmanager
def held_write_lock(path: Path, exclusive: bool = False) -> Iterator[None]:
    """Another process holds the database's write lock (``BEGIN IMMEDIATE``) until the block
    ends; ``exclusive`` keeps readers out too (``locking_mode=EXCLUSIVE``)."""
    begin = ("c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
             "c.execute('BEGIN EXCLUSIVE')\n"
             "c.execute('CREATE TABLE IF NOT EXISTS held (x)')\n") if exclusive else \
        "c.execute('BEGIN IMMEDIATE')\n"
    code = ("import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            f"{begin}"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "held"
        yield
    finally:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.close()
        proc.wait(timeout=10)
        proc.stdout.close()


def fill_audit_log(path: Path, rows: int = 3000) -> None:
    """Many rows in a table that opening the database never reads (the audit log), so that it
    spans many pages under an interior root page."""
    conn = sqlite3.connect(path)
    try:
        conn.executemany(
            "INSERT INTO audit_log (at, action, table_name, record_id, detail) "
            "VALUES ('2026-01-01 00:00:00', 'update', 'findings', ?, ?)",
            [(str(i), '{"note": "' + "整改情况说明" * 20 + '"}') for i in range(rows)])
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def damage_table(path: Path, table: str = "audit_log") -> int:
    """Overwrite the root page of ``table`` (in the file itself, the log folded in first), as
    a failing disk or a bad copy would: the file still opens, and reads that never touch the
    table still work. Returns the page's number."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                               (table,)).fetchone()
    finally:
        conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)
        fh.flush()
        os.fsync(fh.fileno())
    return int(root)


def leave_unclean(path: Path) -> Path:
    """The marker a program leaves beside the database when it ends without closing it (power
    lost, killed): no process holds it."""
    from models.integrity import marker_path

    marker = marker_path(path, pid=99999999)
    marker.write_text("99999999\n", encoding="ascii")
    return marker
