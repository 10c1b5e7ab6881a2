"""The signed receipt of an import lists every record of the package once, whatever the size
of the blocks it is written in, and its counts are those of its lines."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import sync.receipts
from sync.receipts import import_receipt
from tests.reports.report_fixtures import full_inspection, setup_org
from tests.sync.helpers import laptop


@pytest.mark.parametrize("block", [1, 2, 3, 4096])
def test_a_receipt_lists_each_record_once_and_counts_its_lines(
        tmp_path: Path, catalog_template: Path, block: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync.receipts, "RECEIPT_BLOCK", block)
    inspector = laptop(tmp_path / "a", "A", catalog_template)
    supervisor = laptop(tmp_path / "b", "B", catalog_template)
    try:
        setup_org(inspector.db)
        full_inspection(inspector.db, inspector.db.evidence_root, tmp_path, photos=1)
        sent = inspector.export()
        report = supervisor.import_(*sent.paths)
        assert report.receipt is not None
        with gzip.open(report.receipt, "rb") as fh:
            body = json.loads(fh.read())["receipt"]
        records = body["records"]
        assert len(records) == sent.total == len({(k, u) for k, u, _s, _v in records})
        counted: dict[str, dict[str, int]] = {}
        for kind, _uuid, status, _vv in records:
            counted.setdefault(kind, {}).setdefault(status, 0)
            counted[kind][status] += 1
        assert body["counts"] == counted
        summary = import_receipt(inspector.db, report.receipt)  # the signature holds
        assert summary.package_id == body["package_id"]
    finally:
        inspector.close()
        supervisor.close()
