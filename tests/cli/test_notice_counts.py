"""One definition of open, overdue, 销号 and 办结率: the 督查通报 counts what notices --json
lists, on the same demo data and the same day."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from main import main
from models.db import open_database
from reports.data import ReportSelection, load_summary
from rules.notice_status import OPEN_SERVED


def test_the_summary_counts_what_the_notice_list_shows(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "demo.sqlite"
    assert main(["--db", str(db_path), "demo", "--scale", "0.02"]) == 0
    capsys.readouterr()
    for as_of in (date(2026, 1, 1), date.today() + timedelta(days=400)):
        assert main(["--db", str(db_path), "notices", "--json", "--as-of",
                     as_of.isoformat()]) == 0
        listed = json.loads(capsys.readouterr().out)["notices"]
        orders = [n for n in listed if n["is_order"] and n["kind"] != "referral"]
        db = open_database(db_path)
        try:
            with db.session() as s:
                status = load_summary(s, ReportSelection(), as_of=as_of).notices
        finally:
            db.dispose()
        assert status.total == len(listed)
        assert status.overdue == sum(n["overdue"] for n in listed)
        assert all(not n["overdue"] for n in listed if n not in orders)  # advice, 移送函
        assert status.closed == sum(n["status"] == "closed" for n in orders)
        assert status.open == sum(n["status"] in OPEN_SERVED for n in orders)
        assert status.orders_served == sum(n["status"] != "issued" for n in orders)
        assert status.referrals == sum(n["kind"] == "referral" for n in listed)
        assert status.advice == sum(not n["is_order"] and n["kind"] != "referral"
                                    for n in listed)
