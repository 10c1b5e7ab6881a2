"""No SQLite-only SQL outside the places that handle the SQLite file itself.

The same program runs on a SQLite file and on PostgreSQL; what differs between the two is said
once, in :mod:`models.dialect`. This test reads the product's sources (comments and docstrings
left out) for constructs only SQLite understands and fails on any outside the allow-list below,
naming the file, the line and the construct. A companion test plants each construct in a file
of its own and checks that it is caught.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The product's Python sources (not the tests, the benchmarks or the build scripts).
PRODUCT = ("main.py", "cli", "gui", "models", "reports", "rules", "services", "sync",
           "checklists")

_I = re.IGNORECASE
#: Construct name -> pattern, matched against code and strings (never comments or docstrings).
CONSTRUCTS: dict[str, re.Pattern[str]] = {
    "import sqlite3": re.compile(r"^\s*(?:import\s+sqlite3\b|from\s+sqlite3\s+import\b)", re.M),
    "json_each": re.compile(r"\bjson_(?:each|tree)\b", _I),
    "json_extract": re.compile(r"\bjson_extract\b", _I),
    "json_group_array": re.compile(r"\bjson_group_(?:array|object)\b", _I),
    "json_array_length": re.compile(r"\bjson_array_length\b", _I),
    "json_object": re.compile(r"\bjson_(?:object|valid|type|quote)\s*\(", _I),
    "printf(": re.compile(r"(?<![\w.])printf\s*\(\s*'", _I),
    "group_concat": re.compile(r"\bgroup_concat\b", _I),
    "sqlite_master": re.compile(r"\bsqlite_(?:master|schema|temp_master|sequence)\b", _I),
    "PRAGMA": re.compile(r"\bPRAGMA\s+\w", _I),
    "MATCH": re.compile(r"\sMATCH\s"),
    "GLOB": re.compile(r"\sGLOB\s"),
    "RAISE(ABORT": re.compile(r"\bRAISE\s*\(\s*(?:ABORT|FAIL|ROLLBACK|IGNORE)\b", _I),
    "VIRTUAL TABLE": re.compile(r"\bVIRTUAL\s+TABLE\b", _I),
    "julianday(": re.compile(r"\bjulianday\s*\(", _I),
    "datetime('now'": re.compile(r"\b(?:date|time|datetime|unixepoch)\s*\(\s*'now'", _I),
    "strftime(": re.compile(r"(?:(?<![\w.])strftime\s*\(\s*'|\bfunc\.strftime\b)", _I),
    "INSERT OR": re.compile(r"\bINSERT\s+OR\s+(?:REPLACE|IGNORE|ABORT|FAIL|ROLLBACK)\b"
                            r"|\bREPLACE\s+INTO\b|prefix_with\(\s*['\"]OR\s", _I),
    "AUTOINCREMENT": re.compile(r"\b(?:sqlite_)?AUTOINCREMENT\b", _I),
    "ifnull(": re.compile(r"\bifnull\s*\(", _I),
    "NOCASE": re.compile(r"\bNOCASE\b", _I),
    "rowid": re.compile(r"\b_?rowid_?\b", _I),
    "BEGIN IMMEDIATE": re.compile(r"\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b", _I),
    "ATTACH DATABASE": re.compile(r"\b(?:ATTACH|DETACH)\s+DATABASE\b", _I),
    "VACUUM INTO": re.compile(r"\bVACUUM\s+INTO\b", _I),
    # SQLite's own SQL functions, called through SQLAlchemy's func or written out
    "SQLite function": re.compile(
        r"\bfunc\.(?:datetime|instr|iif|total|printf|char|unicode|zeroblob|randomblob"
        r"|typeof|last_insert_rowid|changes|likelihood)\b|\blast_insert_rowid\s*\(", _I),
    # SQLAlchemy's SQLite dialect: its insert (ON CONFLICT), sqlite_where= and the like
    "sqlite dialect": re.compile(r"\bdialects\.sqlite\b|\bdialects\s+import\s+sqlite\b"
                                 r"|\bsqlite_(?:where|on_conflict\w*|with_rowid)\s*=", _I),
    # SQLite's paramstyle: "?" repeated or joined into a statement, or in SQL's own places
    "? placeholder": re.compile(r"['\"]\?['\"]\s*(?:for\b|\*)|\[\s*['\"]\?['\"]\s*\]\s*\*"
                                r"|\(\s*\?\s*[,)]|\bVALUES\s*\(\s*\?"
                                r"|\b(?:WHERE|AND|OR|SET|ON)\s+[\w.]+\s*(?:=|<>|!=|<=?|>=?|IN\s*\()"
                                r"\s*\?", _I),
}
#: The ``?`` placeholder is found in the SQL handed to these calls (a string literal).
SQL_CALLS = frozenset({"exec_driver_sql", "text", "execute", "executemany", "executescript"})
PLACEHOLDER = "? placeholder"  # also found in SQL built from pieces (CONSTRUCTS)

#: Files that handle the SQLite file itself, with the constructs each may use and why. Every
#: entry must still be needed (a test checks), so the list shrinks as code is made portable.
ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    # The one place that says each engine's SQL (FTS5 and its MATCH, json_each, the trigger's
    # RAISE(ABORT)), beside the PostgreSQL form of each.
    "models/dialect.py": (
        frozenset({"json_each", "MATCH", "VIRTUAL TABLE", "RAISE(ABORT"}),
        "each engine's SQL, said once"),
    # The SQLite engine: connection pragmas (WAL, synchronous, foreign keys, busy timeout), the
    # revision read through sqlite3 without Alembic, sqlite3 errors named.
    "models/db.py": (
        frozenset({"import sqlite3", "PRAGMA", "sqlite_master"}),
        "opens the SQLite file"),
    # Backup files of a SQLite database: the sqlite3 backup API, integrity and foreign-key
    # checks of a copy.
    "models/backup_files.py": (
        frozenset({"import sqlite3", "PRAGMA", "sqlite_master"}),
        "copies and checks SQLite backup files"),
    # quick_check of the whole SQLite file (a server database has no file to check).
    "models/integrity.py": (
        frozenset({"import sqlite3", "PRAGMA", "sqlite_master"}),
        "checks the SQLite file"),
    # SQLite's upgrade in one transaction: foreign keys off while tables are copied, then
    # foreign_key_check (the server's branch is plain transactional DDL).
    "models/migrations/env.py": (
        frozenset({"import sqlite3", "PRAGMA"}),
        "migrates the SQLite file"),
    # backups list/verify/create/restore of a SQLite file (refused for a server database).
    "services/backups.py": (
        frozenset({"import sqlite3", "PRAGMA"}),
        "backs up the SQLite file"),
    # Rows in bulk through SQLite's driver, its columns in the order the rows give them (a
    # server's go by COPY, another driver's through SQLAlchemy).
    "models/bulk.py": (
        frozenset({PLACEHOLDER}),
        "writes rows in bulk through SQLite's driver"),
    # The inspections list as JSON written by SQLite itself (a server's goes through Python).
    "services/inspection_json.py": (
        frozenset({"json_object", "printf("}),
        "SQLite writes the list's JSON"),
    # Names sqlite3's errors (a locked or damaged file) in Chinese, beside SQLAlchemy's.
    "services/failures.py": (
        frozenset({"import sqlite3"}),
        "names the SQLite file's errors"),
    # demo --fresh reads a SQLite demo file's mark before deleting that file (refused for a
    # server database).
    "cli/demo.py": (
        frozenset({"import sqlite3"}),
        "reads the demo file before deleting it"),
}


@dataclass(frozen=True)
class Hit:
    file: str
    line: int
    construct: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.construct}: {self.text.strip()}"


def product_files(root: Path = ROOT) -> Iterator[Path]:
    for name in PRODUCT:
        path = root / name
        if path.is_file():
            yield path
        else:
            yield from sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)


def code_only(source: str, tree: ast.AST) -> list[str]:
    """``source``'s lines with comments and docstrings blanked (the line numbers kept)."""
    lines = source.splitlines(keepends=True)
    spans: list[tuple[int, int, int, int]] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            spans.append((*tok.start, *tok.end))
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str) and first.end_lineno is not None
                    and first.end_col_offset is not None):
                spans.append((first.lineno, first.col_offset, first.end_lineno,
                              first.end_col_offset))
    chars = [list(line) for line in lines]
    for row, col, end_row, end_col in spans:
        for r in range(row, end_row + 1):
            line = chars[r - 1]
            start = col if r == row else 0
            stop = end_col if r == end_row else len(line)
            for c in range(start, min(stop, len(line))):
                if line[c] != "\n":
                    line[c] = " "
    return ["".join(line) for line in chars]


def _placeholders(tree: ast.AST) -> Iterator[int]:
    """Lines of SQL string literals with a ``?`` handed to ``exec_driver_sql``/``text``/…"""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = (node.func.attr if isinstance(node.func, ast.Attribute) else
                node.func.id if isinstance(node.func, ast.Name) else "")
        if name not in SQL_CALLS:
            continue
        sql = node.args[0]
        parts = ([sql] if isinstance(sql, ast.Constant) else
                 [v for v in sql.values if isinstance(v, ast.Constant)]
                 if isinstance(sql, ast.JoinedStr) else [])
        for part in parts:
            if isinstance(part.value, str) and "?" in re.sub(r"'[^']*'", "", part.value):
                yield sql.lineno
                break


def scan(files: Iterable[Path], root: Path = ROOT) -> list[Hit]:
    """Every SQLite-only construct in ``files``, allowed or not."""
    hits: list[Hit] = []
    for path in files:
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(root).as_posix()
        raw = source.splitlines()
        tree = ast.parse(source)
        code = code_only(source, tree)
        text = "".join(code)
        starts = [0]
        for line in code:
            starts.append(starts[-1] + len(line))
        for construct, pattern in CONSTRUCTS.items():
            for found in pattern.finditer(text):
                at = found.start() + (len(found.group()) - len(found.group().lstrip()))
                line = next(i for i in range(len(code)) if starts[i + 1] > at) + 1
                hits.append(Hit(name, line, construct, raw[line - 1]))
        for line in sorted(set(_placeholders(tree))):
            hits.append(Hit(name, line, PLACEHOLDER, raw[line - 1]))
    return sorted(set(hits), key=lambda h: (h.file, h.line, h.construct))


def not_allowed(hits: Iterable[Hit]) -> list[Hit]:
    return [h for h in hits if h.construct not in ALLOWED.get(h.file, (frozenset(), ""))[0]]


def report(hits: list[Hit]) -> str:
    return ("SQLite-only SQL outside models/dialect.py (say it there, for both engines, or "
            "add the file to ALLOWED in tests/models/test_portable_sql.py if it handles the "
            "SQLite file itself):\n" + "\n".join(f"  {h}" for h in hits))


# --- the product -------------------------------------------------------------------------

@functools.cache
def product_hits() -> tuple[Hit, ...]:
    return tuple(scan(product_files()))


def test_no_sqlite_only_sql_outside_the_allowed_files() -> None:
    found = not_allowed(product_hits())
    assert not found, report(found)


def test_every_allowed_construct_is_still_used_where_it_is_allowed() -> None:
    used = {(h.file, h.construct) for h in product_hits()}
    stale = [f"{file}: {construct}" for file, (constructs, _why) in ALLOWED.items()
             for construct in sorted(constructs) if (file, construct) not in used]
    assert not stale, "no longer used; take them off ALLOWED:\n" + "\n".join(stale)


# --- the scanner ---------------------------------------------------------------------------

PLANTED = {
    "import sqlite3": "import sqlite3",
    "json_each": 'q = text("SELECT value FROM json_each(inspections.themes)")',
    "json_extract": 'q = func.json_extract(Finding.value, "$.a")',
    "json_group_array": 'q = "SELECT json_group_array(name) FROM units"',
    "json_array_length": 'q = "SELECT json_array_length(themes) FROM inspections"',
    "json_object": 'q = text("SELECT json_object(\'id\', uuid) FROM inspections")',
    "printf(": "q = text(\"SELECT printf('%.2f', rate) FROM inspection_counts\")",
    "group_concat": "names = func.group_concat(Unit.name, '、')",
    "sqlite_master": 'q = "SELECT name FROM sqlite_master WHERE type = \'table\'"',
    "PRAGMA": 'conn.exec_driver_sql("PRAGMA foreign_keys=ON")',
    "MATCH": 'q = text("measure_search MATCH :q")',
    "GLOB": 'q = text("name GLOB :pattern")',
    "RAISE(ABORT": "q = \"SELECT RAISE(ABORT, 'no')\"",
    "VIRTUAL TABLE": 'op.execute("CREATE VIRTUAL TABLE t USING fts5(a)")',
    "julianday(": 'q = text("julianday(deadline) - julianday(issued_on)")',
    "datetime('now'": "q = text(\"UPDATE notices SET at = datetime('now')\")",
    "strftime(": "q = text(\"strftime('%Y', issued_on)\")",
    "INSERT OR": 'q = text("INSERT OR IGNORE INTO settings VALUES (:k, :v)")',
    "AUTOINCREMENT": 'q = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)"',
    "ifnull(": "q = text(\"ifnull(note, '')\")",
    "NOCASE": 'q = text("ORDER BY name COLLATE NOCASE")',
    "rowid": 'q = text("SELECT rowid FROM findings")',
    "BEGIN IMMEDIATE": 'conn.exec_driver_sql("BEGIN IMMEDIATE")',
    "ATTACH DATABASE": "q = text(\"ATTACH DATABASE 'x.sqlite' AS x\")",
    "VACUUM INTO": "q = text(\"VACUUM INTO 'copy.sqlite'\")",
    "SQLite function": "at = func.instr(Unit.name, '局')",
    "sqlite dialect": "from sqlalchemy.dialects.sqlite import insert",
    PLACEHOLDER: 'conn.exec_driver_sql("INSERT INTO t (a, b) VALUES (?, ?)", rows)',
}


def _planted(tmp_path: Path, body: str) -> list[Hit]:
    (tmp_path / "services").mkdir(exist_ok=True)
    path = tmp_path / "services" / "planted.py"
    path.write_text(body, encoding="utf-8")
    return scan([path], root=tmp_path)


@pytest.mark.parametrize("construct", sorted(PLANTED))
def test_the_scanner_names_the_file_line_and_construct_it_finds(
        tmp_path: Path, construct: str) -> None:
    body = ('"""A module that says json_each and PRAGMA only in its docstring."""\n\n\n'
            f"{PLANTED[construct]}\n")
    hits = _planted(tmp_path, body)
    assert [(h.file, h.line, h.construct) for h in hits] == [
        ("services/planted.py", 4, construct)]
    message = report(not_allowed(hits))
    assert f"services/planted.py:4: {construct}: {PLANTED[construct]}" in message


def test_the_scanner_passes_portable_sql_comments_and_docstrings(tmp_path: Path) -> None:
    body = '''"""Not json_each(x), not PRAGMA foreign_keys, not INSERT OR IGNORE."""

from sqlalchemy import text


def rate(session):
    """Uses no group_concat and no sqlite_master."""
    # Not datetime('now') nor julianday(x): a comment.
    when = today.strftime("%Y-%m-%d")  # Python's own strftime
    match = re.match("x", "y")
    rows = session.execute(text("SELECT id FROM findings WHERE note = :n AND a = 'why?'"))
    return session.execute(text("SELECT count(*) FROM inspections WHERE status = :s"), rows)
'''
    assert _planted(tmp_path, body) == []


def test_an_allowed_file_may_use_only_the_constructs_it_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    path = tmp_path / "models" / "db.py"
    path.write_text('import sqlite3\nq = "SELECT value FROM json_each(x)"\n', encoding="utf-8")
    found = not_allowed(scan([path], root=tmp_path))
    assert [(h.file, h.line, h.construct) for h in found] == [("models/db.py", 2, "json_each")]
