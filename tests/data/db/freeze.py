"""Write a frozen copy of the database as a released schema left it.

    .venv/bin/python tests/data/db/freeze.py REVISION

creates ``tests/data/db/schema-REVISION.sqlite``: the migrations up to REVISION, the bundled
catalog, and, from schema 0002 on, a unit, two inspectors and a signed inspection with
findings and a signature. Run it once, when a schema is released, with the code of that
release; the file is then committed and never regenerated. tests/models/test_frozen_dbs.py
upgrades every such file and checks that no row is lost.

From schema 0004 on (0003 came in the same release as 0004), the release's own commands make
a richer copy (units, inspections, notices, rechecks, a draw), e.g. for 0004::

    main.py --db tests/data/db/schema-0004.sqlite demo --scale 0.012
    main.py --db tests/data/db/schema-0004.sqlite draw run --title … --theme 母婴设施 -n 2 \
        --witness-name … --witness-input …

followed by a WAL checkpoint, ``journal_mode=DELETE`` and ``VACUUM``.

Schema 0006 (exchange packages) was made the same way, with its exchange tables filled: a demo
database (``demo --scale 0.012``) that imported a second demo database's package (``import
--yes --trust``: an import log, a document-number clash), exported a package for a recipient
(``export --since-last-to 中卫市``: what was sent), and imported the receipt the other database
wrote for it (``receipt import``: what the peer holds).

Schema 0007 (corrections kept with imported documents) is a plain ``demo --scale 0.012``
database (with its demo photos and refusals; the evidence files are not kept).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))


def freeze(revision: str) -> Path:
    from alembic import command
    from sqlalchemy import event
    from sqlalchemy.orm import sessionmaker

    from models.db import Database, alembic_config, make_engine
    from models.system import ensure_device_id
    from services.catalog_store import ensure_bundled_catalog

    out = Path(__file__).resolve().parent / f"schema-{revision}.sqlite"
    out.unlink(missing_ok=True)
    engine = make_engine(out)
    command.upgrade(alembic_config(engine), revision)
    from models.db import _bump_revisions

    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _bump_revisions)
    db = Database(path=out, engine=engine, sessions=sessions, backup_dir=out.parent / "unused")
    with db.session() as s:
        db.device_id = ensure_device_id(s)
    with db.session() as s:
        ensure_bundled_catalog(s)
    if revision >= "0002":
        _inspection(db)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    with __import__("sqlite3").connect(out) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    return out


def _inspection(db: object) -> None:
    import io
    import tempfile

    from PIL import Image

    from rules.inspection_status import ROLE_OFFICER, ROLE_PARTY
    from services.findings import record_finding
    from services.inspection_lifecycle import complete_inspection, sign_inspection
    from services.signatures import add_signature
    from tests.services import inspection_fixtures as fx

    png = io.BytesIO()
    Image.new("RGB", (120, 40), "white").save(png, "PNG")
    store = Path(tempfile.mkdtemp())
    with db.session() as s:  # type: ignore[attr-defined]
        summary = fx.new_inspection(s, entity_id=fx.new_entity(s, credit_code=fx.VALID_CODES[0]))
        fx.fill_record(s, summary.id)
        for n, item in enumerate(fx.checklist().items):
            result = ("符合", "不符合", "部分符合", "不适用")[n % 4]
            value = 12.5 if item.code == fx.AREA else None
            if value is not None:
                record_finding(s, summary.id, item.code, value=value, note="现场测量")
            else:
                record_finding(s, summary.id, item.code, result=result, note=f"第{n + 1}项说明")
        complete_inspection(s, summary.id)
        for officer in fx.officers():
            add_signature(s, summary.id, role=ROLE_OFFICER, name=officer.name,
                          png=png.getvalue(), store_root=store)
        add_signature(s, summary.id, role=ROLE_PARTY, name="王经理", png=png.getvalue(),
                      store_root=store)
        sign_inspection(s, summary.id)
    print(f"signed inspection {summary.id} with findings written")


if __name__ == "__main__":
    print(freeze(sys.argv[1]))
