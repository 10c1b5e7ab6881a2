"""A checklist snapshot travels once per package and is stored once on the receiving laptop,
and every inspection there reads the snapshot it was made from."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sqlalchemy import select

from checklists.snapshot import snapshot_bytes, snapshot_sha256
from models.inspection import Inspection
from services.checklist_snapshot import inspection_snapshot
from sync.export import ExportSelection
from tests.reports.report_fixtures import full_inspection, setup_org
from tests.services.inspection_fixtures import changed, checklist
from tests.sync.helpers import Laptop, laptop


def _snapshots_by_uuid(lap: Laptop) -> dict[str, bytes]:
    with lap.db.session() as s:
        ids = s.execute(select(Inspection.uuid, Inspection.id)).all()
        return {u: snapshot_bytes(inspection_snapshot(s, i)) for u, i in ids}


def _stored_count(lap: Laptop) -> int:
    from sqlalchemy import text

    with lap.db.engine.connect() as conn:
        return int(conn.scalar(text("SELECT count(*) FROM checklist_snapshots")) or 0)


def test_a_checklist_used_by_many_inspections_travels_and_is_stored_once(
        tmp_path: Path, catalog_template: Path) -> None:
    a = laptop(tmp_path / "a", "A", catalog_template)
    b = laptop(tmp_path / "b", "B", catalog_template)
    try:
        setup_org(a.db)
        other = changed(checklist(), "FXN-A01", question="母婴室是否配备尿布台？")
        for n in range(3):
            full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0, sign=n != 1)
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0, c=other)
        sent = _snapshots_by_uuid(a)
        assert _stored_count(a) == 2

        package = a.export("p.sypkg", ExportSelection(include_drafts=True)).paths[0]
        with zipfile.ZipFile(package) as zf:
            members = sorted(n for n in zf.namelist() if n.startswith("snapshots/"))
            for name in members:  # named by the hash of their canonical bytes
                assert name == f"snapshots/{snapshot_sha256(zf.read(name))}.json"
        assert members == sorted(f"snapshots/{snapshot_sha256(d)}.json"
                                 for d in set(sent.values()))

        b.import_(package)
        assert _snapshots_by_uuid(b) == sent
        assert _stored_count(b) == 2

        # the same snapshots in a second package are found, not stored again
        full_inspection(a.db, a.db.evidence_root, tmp_path, photos=0)
        again = a.export("q.sypkg", ExportSelection(include_drafts=True)).paths[0]
        b.import_(again)
        assert _snapshots_by_uuid(b) == _snapshots_by_uuid(a)
        assert _stored_count(b) == 2
    finally:
        a.close()
        b.close()
