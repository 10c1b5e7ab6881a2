"""Benchmark: a province's roll-up on PostgreSQL: 50 county packages (together about 100,000
inspections at full size; the demo's checklists have about 30 items, so some 3 million
findings rather than 2 million) imported by 4 programs at once, against one
program importing them one after another and against PostgreSQL ``COPY`` of the same rows,
all in the same run; then the 督查通报 over everything, and the content of both server
databases against an import of the same packages into SQLite.

The packages. Each is exported (signed, drafts left out, as a county sends it) from a laptop
of its own: a fresh database with the bundled catalog, its own device id and signing key, its
own organisation name and 机关代字, filled by the demo generator with a seed of its own, so
every laptop has its own units, inspectors, inspections, findings, photos, signatures and
notices. The generator knows only 中卫市 and its three counties, so the units of all 50
laptops lie in those three regions, and as it draws names from one pool a unit's name may
recur on another laptop (as another unit, with its own uuid and credit code). Demo uuids
depend on the device id, which is new for every database, so
two builds never give the same uuids: the packages are built once and kept under ``--work``
(each package with a ``.json`` beside it once complete) and reused by later runs of the same
size. The packages are demo packages, so the province databases become demo databases.

The measurements, each on a fresh database cloned from one migrated with the bundled catalog
and the province's settings (宁夏回族自治区卫生健康委员会):

(a) 4 programs at once, each taking the next package not yet taken, importing with the whole
    ``import_package`` (checks, signature, merge with row locks, retry after a collision,
    import log and receipt); the parent samples ``pg_stat_activity`` meanwhile to show how
    many were at work and how many waited for a lock, on what and in which statement, and
    counts the processor time of the programs and their server processes; each program
    records the server errors that made an import run again (deadlocks, unique violations);
(b) one program importing the packages one after another;
(c) the floor: every row that (b) added, copied out of (b) to CSV and loaded with
    ``COPY FROM`` into a third fresh database in one transaction (only the loads are timed);
(d) the 督查通报 (``build_summary_pdf`` over everything) on (a)'s result, in a fresh program:
    budget under 10 s;
(e) ``sync.records.content_hashes`` of (a), of (b) and of one program importing the same
    packages into a SQLite file, which must all be equal, with the same row counts.

Exit status 1 when an import fails (its Chinese message is shown), the contents differ, or
the report misses its budget. The import figures have no budget of their own; when 4 programs
are not faster (or not much faster) than one, the reasons seen are printed. Other programs
busy on the machine disturb the figures: the share of the processors busy just before each
round is printed. Every database made on the server is dropped at the end.

    .venv/bin/python bench/bench_rollup.py [--scale 0.02] [--work DIR] [--server URL]

``--server`` is an admin URL of the PostgreSQL server (a database on it that may create
others); default ``$SHENGYU_BENCH_PG``, else ``$SHENGYU_TEST_PG``. ``--scale`` shrinks every
laptop (1 = full size); ``--counties`` changes how many there are.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTIES = 50
#: The demo scale of one laptop at full size: about 2,000 inspections signed or completed
#: (the package's share of 100,000) and 60,000 findings.
LAPTOP_SCALE = 1.45
PROGRAMS = 4
REPORT_BUDGET_S = 10.0
PROVINCE = {"organisation": "宁夏回族自治区卫生健康委员会", "jurisdiction": "640000",
            "org_code": "宁卫", "org_department": "卫生健康"}
#: Row counts compared between the databases besides the content (a duplicate row with the
#: same uuid would not show in the content map).
COUNTED = ("entities", "inspectors", "inspections", "findings", "evidence", "signatures",
           "notices", "audit_log", "checklist_snapshots", "inspection_counts", "sync_imports")
PG_ENVS = ("SHENGYU_BENCH_PG", "SHENGYU_TEST_PG")


# --------------------------------------------------------------------------- phases run in
# --------------------------------------------------------------------------- child programs

def county_phase(number: int, scale: float, folder: Path, package: Path) -> dict[str, Any]:
    """One county's laptop: a fresh database filled by the demo generator, exported."""
    from models.db import open_database
    from services.catalog_store import ensure_bundled_catalog
    from services.demo.fill import DEMO_SEED, fill_demo
    from services.settings import ORG_CODE, ORGANISATION, set_setting
    from sync import keys
    from sync.export import ExportSelection, export_package

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    db = open_database(folder / "county.sqlite")
    try:
        with db.session() as s:
            ensure_bundled_catalog(s)
            set_setting(s, ORGANISATION, f"中卫市卫生健康委员会第{number}检查组")
            set_setting(s, ORG_CODE, f"中卫{number:02d}")
        with db.session() as s:
            fill_demo(s, scale=scale, evidence_root=db.evidence_root, seed=DEMO_SEED + number)
        key = keys.load_or_create(folder / "keys")
        with db.session() as s:
            result = export_package(s, package, ExportSelection(), key=key,
                                    evidence_root=db.evidence_root)
    finally:
        db.dispose()
    info = {"package": package.name, "device": db.device_id, "counts": result.counts,
            "records": result.total, "bytes": result.size_bytes,
            "seconds": time.perf_counter() - started}
    package.with_suffix(".json").write_text(json.dumps(info, ensure_ascii=False))
    shutil.rmtree(folder, ignore_errors=True)  # only the package is kept
    return info


def import_phase(location: str, evidence: Path, folder: Path, claims: str,
                 packages: list[Path]) -> None:
    """Import ``packages`` into the database at ``location``, one after another; with a
    ``claims`` folder, only those not taken by another program (each takes the next free one).
    One JSON line per package: its time, what was added, the server errors that made it run
    again (seen through the engine's error hook), or the failure's message."""
    from sqlalchemy import event

    from models.db import open_database
    from sync import keys
    from sync.importer import RETRY_STATES, import_package

    db = open_database(location, evidence_dir=evidence)
    key = keys.load_or_create(folder / "keys")
    collisions: list[str] = []

    def seen(context: Any) -> None:
        orig = context.original_exception
        state = getattr(orig, "sqlstate", None)
        if state in RETRY_STATES:
            statement = " ".join(str(context.statement or "").split())[:40]
            collisions.append(f"{str(orig).splitlines()[0]} ({statement}…)")

    event.listen(db.engine, "handle_error", seen)
    try:
        for package in packages:
            if claims:
                try:
                    os.close(os.open(Path(claims) / package.name,
                                     os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                except FileExistsError:
                    continue
            collisions.clear()
            started = time.time()
            line: dict[str, Any] = {"package": package.name, "pid": os.getpid(),
                                    "start": started}
            try:
                report = import_package(db, [package], key=key, trust_unknown=True,
                                        receipt_dir=folder / "receipts")
                line.update(new=report.total("new"), summary=report.summary(),
                            already=report.already_imported_at is not None)
            except Exception as exc:
                line.update(error=str(exc) or type(exc).__name__, kind=type(exc).__name__)
            line.update(end=time.time(), seconds=time.time() - started,
                        collisions=list(collisions))
            print(json.dumps(line, ensure_ascii=False), flush=True)
    finally:
        db.dispose()


def report_phase(location: str, evidence: Path, out: Path) -> dict[str, Any]:
    """The 督查通报 over every inspection, timed as the program builds it."""
    from models.db import open_database
    from reports.data import ReportSelection
    from reports.summary import build_summary_pdf

    db = open_database(location, evidence_dir=evidence)
    try:
        started = time.perf_counter()
        with db.session() as s:
            result = build_summary_pdf(s, ReportSelection(), out)
        seconds = time.perf_counter() - started
    finally:
        db.dispose()
    return {"seconds": seconds, "pages": result.pages, "bytes": out.stat().st_size}


def hashes_phase(location: str, evidence: Path, out: Path) -> dict[str, Any]:
    """The canonical content (uuid and content hash of every record, sorted) written to
    ``out``; its digest, and the row counts of the main tables."""
    from sqlalchemy import func, select, table

    from models.db import open_database
    from sync.records import content_hashes

    db = open_database(location, evidence_dir=evidence)
    try:
        with db.session() as s:
            content = content_hashes(s)
            rows = {t: int(s.scalar(select(func.count()).select_from(table(t))) or 0)
                    for t in COUNTED}
    finally:
        db.dispose()
    with out.open("w") as fh:
        for uuid in sorted(content):
            fh.write(f"{uuid} {content[uuid]}\n")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    return {"records": len(content), "digest": digest, "rows": rows}


def prepare_phase(location: str, evidence: Path) -> dict[str, Any]:
    """A migrated database with the bundled catalog and the province's settings."""
    from models.db import open_database
    from services.catalog_store import ensure_bundled_catalog
    from services.settings import (
        JURISDICTION,
        ORG_CODE,
        ORG_DEPARTMENT,
        ORGANISATION,
        set_setting,
    )

    db = open_database(location, evidence_dir=evidence)
    try:
        with db.session() as s:
            ensure_bundled_catalog(s)
            for key, value in ((ORGANISATION, PROVINCE["organisation"]),
                               (JURISDICTION, PROVINCE["jurisdiction"]),
                               (ORG_CODE, PROVINCE["org_code"]),
                               (ORG_DEPARTMENT, PROVINCE["org_department"])):
                set_setting(s, key, value)
    finally:
        db.dispose()
    return {}


PHASES = {"county": lambda a: county_phase(int(a[0]), float(a[1]), Path(a[2]), Path(a[3])),
          "report": lambda a: report_phase(a[0], Path(a[1]), Path(a[2])),
          "hashes": lambda a: hashes_phase(a[0], Path(a[1]), Path(a[2])),
          "prepare": lambda a: prepare_phase(a[0], Path(a[1]))}


# --------------------------------------------------------------------------- the parent

class Failed(Exception):
    """A step could not be done; the message says which and why."""


def child(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def run_child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = child(["--phase", *args], env)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise Failed(f"{args[0]} 失败：{last_line(err)}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "（没有输出）"


class Server:
    """The databases this run makes on the server, each dropped at the end."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"shengyu_rollup_{os.getpid()}"
        self.made: list[str] = []

    def sql(self, statement: str, **params: Any) -> Any:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            result = conn.execute(text(statement), params)
            return result.all() if result.returns_rows else None

    def create(self, label: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{label}"
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        self.made.append(name)
        return name

    def address(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for name in reversed(self.made):
            with contextlib.suppress(Exception):
                self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.made.clear()
        self.admin.dispose()


def build_packages(folder: Path, count: int, scale: float,
                   env: dict[str, str]) -> list[dict[str, Any]]:
    """The county packages, made where missing (as many at once as there are processors)."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [n for n in range(1, count + 1)
               if not (folder / f"county-{n:02d}.json").is_file()]
    if missing:
        print(f"正在生成 {len(missing)} 个县的数据包（每台笔记本 demo --scale "
              f"{scale:.4g}）：{folder}", flush=True)
    running: list[tuple[int, subprocess.Popen]] = []
    at_once = max(1, os.cpu_count() or 1)
    done = 0
    while missing or running:
        while missing and len(running) < at_once:
            n = missing.pop(0)
            package = folder / f"county-{n:02d}.sypkg"
            running.append((n, child(["--phase", "county", str(n), str(scale),
                                      str(folder / f"laptop-{n:02d}"), str(package)], env)))
        n, proc = running.pop(0)
        _out, err = proc.communicate()
        if proc.returncode != 0:
            for _n, other in running:
                other.kill()
            raise Failed(f"第 {n} 个县的数据包生成失败：{last_line(err)}")
        done += 1
        print(f"  县 {n:02d} 完成（{done}）", flush=True)
    infos = [json.loads((folder / f"county-{n:02d}.json").read_text())
             for n in range(1, count + 1)]
    devices = Counter(i["device"] for i in infos)
    if max(devices.values()) > 1:
        raise Failed("两个县的数据包来自同一台设备，请删除缓存文件夹后重新生成。")
    return infos


class Watcher:
    """Samples what the importers' server sessions do while they run: executing a statement,
    waiting for a lock (on what, in which statement), or idle inside their transaction (the
    program itself at work between statements)."""

    QUERY = """
        SELECT pid, state, wait_event_type, wait_event,
               left(regexp_replace(query, '\\s+', ' ', 'g'), 70)
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'shengyu-jiancha'
          AND pid <> pg_backend_pid()"""

    def __init__(self, address: str) -> None:
        from sqlalchemy import create_engine

        self.engine = create_engine(address, isolation_level="AUTOCOMMIT",
                                    connect_args={"application_name": "bench-watcher"})
        self.samples = 0
        self.states: Counter[str] = Counter()
        self.locks: Counter[str] = Counter()
        self.statements: Counter[str] = Counter()
        self.cpu_ticks: dict[int, int] = {}  # server process -> processor time seen (ticks)

    def sample(self) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            rows = conn.execute(text(self.QUERY)).all()
        self.samples += 1
        for pid, state, wait_type, wait_event, query in rows:
            ticks = process_ticks(pid)
            if ticks is not None:
                self.cpu_ticks[pid] = max(ticks, self.cpu_ticks.get(pid, 0))
            if wait_type == "Lock":
                self.states["waiting for a lock"] += 1
                self.locks[wait_event] += 1
                self.statements[query] += 1
            elif state == "active":
                self.states["executing"] += 1
            elif state == "idle in transaction":
                self.states["program at work in its transaction"] += 1

    def close(self) -> None:
        self.engine.dispose()

    @property
    def server_cpu(self) -> float | None:
        """Processor seconds the importers' server processes used (a server on this machine)."""
        if not self.cpu_ticks:
            return None
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    @property
    def waiting(self) -> float:
        """Sessions waiting for a lock, on average."""
        return sum(self.locks.values()) / max(self.samples, 1)

    def describe(self) -> list[str]:
        if not self.samples:
            return ["no samples"]
        n = self.samples
        lines = ["sessions on average: " + ", ".join(
            f"{v / n:.1f} {k}" for k, v in self.states.most_common())]
        waits = sum(self.locks.values())
        if waits:
            lines.append("lock waits on: " + ", ".join(
                f"{k} {v * 100 / waits:.0f}%" for k, v in self.locks.most_common(3)))
            lines += [f"  {v * 100 / waits:3.0f}% in: {q}"
                      for q, v in self.statements.most_common(3)]
        return lines


def process_ticks(pid: int) -> int | None:
    """User and system processor time of a process on this machine, in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


def cpu_busy() -> tuple[int, int] | None:
    """The machine's busy and total processor time so far (Linux), or None."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    busy = sum(fields[i] for i in (0, 1, 2, 5, 6) if i < len(fields))
    return busy, busy + sum(fields[i] for i in (3, 4, 7) if i < len(fields))


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


class Run:
    """What one round of importers did: wall time, one line per package, what was seen."""

    def __init__(self, seconds: float, lines: list[dict[str, Any]], busy: float | None,
                 before: float | None, program_cpu: float, watcher: Watcher | None) -> None:
        self.seconds, self.lines, self.watcher = seconds, lines, watcher
        self.busy, self.before, self.program_cpu = busy, before, program_cpu

    @property
    def failed(self) -> list[str]:
        return [f"{x['package']}：{x['error']}" for x in self.lines if x.get("error")]

    @property
    def collisions(self) -> Counter[str]:
        return Counter(c for x in self.lines for c in x.get("collisions", ()))

    def seen(self) -> list[str]:
        out = self.watcher.describe() if self.watcher else []
        cpus = os.cpu_count() or 1
        server = self.watcher.server_cpu if self.watcher else None
        use = (f"processor time: the importing programs {self.program_cpu:.0f} s"
               + (f", their server processes {server:.0f} s" if server is not None else "")
               + f", of {self.seconds * cpus:.0f} s the {cpus} processors had")
        if self.busy is not None:
            use += f"; the machine was busy {self.busy * 100:.0f}% of the time"
            if self.before is not None and self.before > 0.1:
                use += (f" (and {self.before * 100:.0f}% just before, with other programs: "
                        "figures disturbed)")
        return [*out, use]


def run_importers(location: str, evidence: Path, folder: Path, packages: list[Path],
                  programs: int, env: dict[str, str], watch: str | None = None) -> Run:
    """``programs`` importers at once over ``packages``; wall time, one line per package, and
    what the watcher saw (with the machine's processor use)."""
    claims = folder / "claims" if programs > 1 else None
    if claims is not None:
        claims.mkdir(parents=True)
    folder.mkdir(parents=True, exist_ok=True)
    watcher = Watcher(watch) if watch else None
    quiet = cpu_busy()
    time.sleep(1.0)
    cpu = cpu_busy()
    before = busy_share(quiet, cpu)  # other programs on the machine
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    outs = [(folder / f"program-{n}.out", folder / f"program-{n}.err") for n in range(programs)]
    procs = [subprocess.Popen(
        [sys.executable, __file__, "--import", location, str(evidence), str(folder),
         str(claims or ""), *map(str, packages)], cwd=ROOT, env=env,
        stdout=out.open("w"), stderr=err.open("w")) for out, err in outs]
    try:
        while any(p.poll() is None for p in procs):
            if watcher is not None:
                with contextlib.suppress(Exception):
                    watcher.sample()
            time.sleep(0.25)
        seconds = time.perf_counter() - started
        busy = busy_share(cpu, cpu_busy())
        lines: list[dict[str, Any]] = []
        for p, (out, err) in zip(procs, outs, strict=True):
            p.wait()
            lines += [json.loads(x) for x in out.read_text().splitlines() if x.startswith("{")]
            if p.returncode != 0:
                lines.append({"package": "?", "error": last_line(err.read_text()),
                              "kind": "crash"})
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        if watcher is not None:
            watcher.close()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    program_cpu = (used.ru_utime + used.ru_stime) - (children.ru_utime + children.ru_stime)
    return Run(seconds, lines, busy, before, program_cpu, watcher)


def copy_floor(server: Server, template: str, source: str, target: str,
               folder: Path) -> tuple[float, int]:
    """Every row ``source`` holds beyond ``template`` (a table the template leaves empty:
    all of it; one with rows: those with a larger id), copied out to CSV, then loaded into
    ``target`` with ``COPY FROM`` in dependency order, in one transaction. The load's time and
    the rows loaded."""
    import psycopg
    from sqlalchemy import Integer, MetaData, create_engine
    from sqlalchemy.engine import make_url

    def connect(name: str) -> psycopg.Connection:
        url = make_url(server.address(name))
        return psycopg.connect(url.set(drivername="postgresql").render_as_string(
            hide_password=False))

    meta = MetaData()
    engine = create_engine(server.address(template))
    meta.reflect(engine)
    engine.dispose()
    folder.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, list[str], Path]] = []
    with connect(template) as tpl, connect(source) as src:
        for table in meta.sorted_tables:
            name = table.name
            if name in ("alembic_version", "settings"):
                continue
            cols = [c.name for c in table.columns if c.computed is None]
            had = tpl.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            where = ""
            if had:
                now = src.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                if now == had:
                    continue  # the catalog, untouched by imports
                if "id" not in table.c or not isinstance(table.c.id.type, Integer):
                    raise Failed(f"{name}: rows added to a table the template fills, "
                                 "without an integer id to tell them apart")
                top = tpl.execute(f'SELECT max(id) FROM "{name}"').fetchone()[0]
                where = f" WHERE id > {int(top)}"
            listed = ", ".join(f'"{c}"' for c in cols)
            path = folder / f"{name}.csv"
            with path.open("wb") as fh, src.cursor().copy(
                    f'COPY (SELECT {listed} FROM "{name}"{where}) TO STDOUT (FORMAT csv)') as cp:
                for block in cp:
                    fh.write(block)
            if path.stat().st_size:
                plan.append((name, cols, path))
    rows = 0
    with connect(target) as dst:
        started = time.perf_counter()
        with dst.transaction():
            for name, cols, path in plan:
                listed = ", ".join(f'"{c}"' for c in cols)
                with dst.cursor() as cur:
                    with cur.copy(f'COPY "{name}" ({listed}) FROM STDIN (FORMAT csv)') as cp, \
                            path.open("rb") as fh:
                        while block := fh.read(1 << 20):
                            cp.write(block)
                    rows += cur.rowcount
        seconds = time.perf_counter() - started
    return seconds, rows


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(PHASES[sys.argv[2]](sys.argv[3:]), ensure_ascii=False))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--import":
        a = sys.argv[2:]
        import_phase(a[0], Path(a[1]), Path(a[2]), a[3], [Path(p) for p in a[4:]])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "shengyu-bench-rollup",
                        help="folder of the county packages (kept and reused) and the run")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = full size")
    parser.add_argument("--counties", type=int, default=COUNTIES)
    parser.add_argument("--server", default=next(
        (os.environ[e] for e in PG_ENVS if os.environ.get(e)), None),
        help="admin URL of the PostgreSQL server (default $SHENGYU_BENCH_PG, "
             "$SHENGYU_TEST_PG)")
    args = parser.parse_args()
    if not args.server:
        parser.error(f"no PostgreSQL server: pass --server or set {' or '.join(PG_ENVS)}")
    try:
        return bench(args)
    except Failed as exc:
        print(f"FAILED: {exc}")
        return 1


def bench(args: argparse.Namespace) -> int:
    scale = LAPTOP_SCALE * args.scale
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    packages_dir = args.work / f"packages-x{args.scale:g}-n{args.counties}"
    run = args.work / f"run-{os.getpid()}"
    env = {**os.environ, "SHENGYU_DATA_DIR": str(run / "data"), "PYTHONPATH": str(ROOT)}
    infos = build_packages(packages_dir, args.counties, scale, env)
    times["packages"] = time.perf_counter() - t0
    packages = [packages_dir / i["package"] for i in infos]
    counts: Counter[str] = Counter()
    for i in infos:
        counts.update(i["counts"])
    for p in packages:  # into the page cache, the same for every import
        p.read_bytes()
    total_records = sum(i["records"] for i in infos)
    print(f"packages: {len(infos)} counties, {counts['inspections']:,} inspections, "
          f"{counts['findings']:,} findings, {total_records:,} records, "
          f"{sum(i['bytes'] for i in infos) / 1e6:.0f} MB")

    server = Server(args.server)
    run.mkdir(parents=True, exist_ok=True)
    try:
        return measure(server, run, env, packages, total_records, times)
    finally:
        server.drop_all()
        shutil.rmtree(run, ignore_errors=True)


def measure(server: Server, run: Path, env: dict[str, str], packages: list[Path],
            total_records: int, times: dict[str, float]) -> int:
    ok = True
    t = time.perf_counter()
    template = server.create("template")
    run_child(["prepare", server.address(template), str(run / "evidence-template")], env)
    multi = server.create("multi", template)
    single = server.create("single", template)
    floor_db = server.create("copy", template)
    sqlite_template = run / "template.sqlite"
    run_child(["prepare", str(sqlite_template), str(run / "evidence-sqlite")], env)
    for suffix in ("-wal", "-shm"):
        Path(f"{sqlite_template}{suffix}").unlink(missing_ok=True)
    reference = run / "reference" / "province.sqlite"
    reference.parent.mkdir(parents=True)
    shutil.copyfile(sqlite_template, reference)
    times["fresh databases"] = time.perf_counter() - t

    print(f"(a) {PROGRAMS} programs importing at once …", flush=True)
    multi_run = run_importers(server.address(multi), run / "evidence-multi", run / "multi",
                              packages, PROGRAMS, env, watch=server.address(multi))
    times["(a) 4 programs"] = multi_run.seconds
    print("(b) one program importing one package after another …", flush=True)
    single_run = run_importers(server.address(single), run / "evidence-single",
                               run / "single", packages, 1, env, watch=server.address(single))
    times["(b) one program"] = single_run.seconds
    failed = multi_run.failed + single_run.failed

    print("(c) COPY …", flush=True)
    t = time.perf_counter()
    floor_s, floor_rows = copy_floor(server, template, single, floor_db, run / "csv")
    times["(c) COPY (copy out and load)"] = time.perf_counter() - t

    t = time.perf_counter()
    report: dict[str, Any] | None = None
    if not multi_run.failed:
        try:
            report = run_child(["report", server.address(multi), str(run / "evidence-multi"),
                                str(run / "督查通报.pdf")], env)
        except Failed as exc:
            failed.append(str(exc))
    times["(d) report"] = time.perf_counter() - t

    print("SQLite: one program importing the same packages …", flush=True)
    sqlite_run = run_importers(str(reference), run / "evidence-sqlite", run / "sqlite",
                               packages, 1, env)
    times["SQLite import"] = sqlite_run.seconds
    failed += sqlite_run.failed

    print("(e) content …", flush=True)
    t = time.perf_counter()
    content = {}
    for label, location, evidence in (("(a)", server.address(multi), "evidence-multi"),
                                      ("(b)", server.address(single), "evidence-single"),
                                      ("SQLite", str(reference), "evidence-sqlite")):
        content[label] = run_child(["hashes", location, str(run / evidence),
                                    str(run / f"content-{label.strip('()')}.txt")], env)
    times["(e) content"] = time.perf_counter() - t

    # ---- the figures
    single_s, multi_s = single_run.seconds, multi_run.seconds
    per = [x["seconds"] for x in single_run.lines if not x.get("error")] or [0.0]
    print()
    print(f"floor: PostgreSQL COPY FROM of the same {floor_rows:,} rows, one transaction:"
          f"{floor_s:9.1f} s")
    print(f"(b) one program, the packages one after another:{single_s:20.1f} s  "
          f"({single_s / floor_s:.1f}x the floor; {min(per):.1f}–{max(per):.1f} s a package)")
    for line in single_run.seen():
        print(f"      {line}")
    speedup = single_s / multi_s
    shares = sorted(Counter(x.get("pid") for x in multi_run.lines).values())
    print(f"(a) {PROGRAMS} programs at once:{multi_s:37.1f} s  "
          f"({multi_s / floor_s:.1f}x the floor; {speedup:.2f}x as fast as one program; "
          f"packages per program {shares})")
    for line in multi_run.seen():
        print(f"      {line}")
    collided = multi_run.collisions
    print(f"      {sum(collided.values())} imports collided with another and ran again"
          + (":" if collided else ""))
    for what, n in collided.most_common(4):
        print(f"        {n} × {what}")
    cpus = os.cpu_count() or 1
    watcher = multi_run.watcher
    reasons = []
    alone = single_run.program_cpu + ((single_run.watcher and single_run.watcher.server_cpu)
                                      or 0.0)
    cores = alone / single_s  # processors one program keeps busy, with its server process
    if cores * PROGRAMS > cpus:
        reasons.append(f"one program with its server process already kept {cores:.1f} of the "
                       f"{cpus} processors busy, so no number of programs can be more than "
                       f"{cpus / cores:.1f}x as fast on this machine")
    if watcher is not None and watcher.waiting >= 0.5:
        top = watcher.statements.most_common(1)
        reasons.append(f"on average {watcher.waiting:.1f} of the {PROGRAMS} waited for a lock "
                       "another import held until it committed"
                       + (f" (mostly in “{top[0][0]}”)" if top else ""))
    if multi_run.busy is not None and multi_run.busy > 0.85:
        reasons.append(f"the {cpus} processors were busy {multi_run.busy * 100:.0f}% of the "
                       f"time ({PROGRAMS} importers and the server share them)")
    if collided:
        reasons.append(f"{sum(collided.values())} imports collided and ran again from the "
                       "start")
    if speedup <= 1.0:
        print("      NOT FASTER than one program: " + ("; ".join(reasons) or "reason unknown"))
    elif reasons and speedup < PROGRAMS * 0.8:
        print("      not more, because: " + "; ".join(reasons))
    print(f"SQLite, one program (reference for the content):{sqlite_run.seconds:20.1f} s")

    if report is not None:
        within = report["seconds"] < REPORT_BUDGET_S
        ok &= within
        print(f"(d) 督查通报 over everything on (a):{report['seconds']:31.2f} s  "
              f"({report['pages']} 页, budget < {REPORT_BUDGET_S:.0f} s)  "
              f"{'OK' if within else 'OVER BUDGET'}")
    else:
        ok = False
        print("(d) 督查通报: not built")

    a, b, lite = content["(a)"], content["(b)"], content["SQLite"]
    same = a["digest"] == b["digest"] == lite["digest"] and a["rows"] == b["rows"] == lite["rows"]
    print(f"(e) content: (a) {a['records']:,} records, (b) {b['records']:,}, SQLite "
          f"{lite['records']:,} (packages {total_records:,}); "
          f"{'equal' if same else 'DIFFERENT'}")
    if not same:
        ok = False
        show_difference(run, content)
    if failed:
        ok = False
        print("导入失败：")
        for line in failed:
            print(f"  {line}")
    print("phases: " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))
    print("OK" if ok else ("CONTENTS DIFFER" if not same else "OVER BUDGET OR FAILED"))
    return 0 if ok else 1


def show_difference(run: Path, content: dict[str, dict[str, Any]]) -> None:
    for label, c in content.items():
        print(f"    {label} rows: {c['rows']}")
    maps = {}
    for label in content:
        with (run / f"content-{label.strip('()')}.txt").open() as fh:
            maps[label] = dict(line.split() for line in fh)
    base = maps["SQLite"]
    for label in ("(a)", "(b)"):
        other = maps[label]
        missing = base.keys() - other.keys()
        extra = other.keys() - base.keys()
        changed = [u for u in base.keys() & other.keys() if base[u] != other[u]]
        print(f"    {label} against SQLite: {len(missing)} missing, {len(extra)} extra, "
              f"{len(changed)} different" + (f" (e.g. {sorted(missing | extra | set(changed))[:3]})"
                                             if missing or extra or changed else ""))


if __name__ == "__main__":
    sys.exit(main())
