"""``--self-test``: a headless check that an installed or bundled copy works end to end."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rules.china_time import today as china_today

if TYPE_CHECKING:
    from checklists.catalog_view import DocumentView


def run_self_test(out: TextIO) -> int:
    """Open a scratch database, load the bundled catalog and generate each headline checklist.

    Returns 0 when every step worked; prints one line per step.
    """
    from models.db import open_database
    from services.catalog import list_documents, load_catalog
    from services.catalog_store import ensure_bundled_catalog

    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "selftest.sqlite")
        try:
            with db.session() as session:
                ensure_bundled_catalog(session)
                docs = list_documents(session)
                print(f"政策目录：{len(docs)} 份文件，"
                      f"{sum(d.measures for d in docs)} 条措施", file=out)
                if len(docs) < 5 or any(d.measures == 0 for d in docs):
                    print("失败：随附的政策文件未能全部解析", file=out)
                    failures += 1
                catalog = load_catalog(session)
            failures += _check_checklists(catalog, out)
        finally:
            db.dispose()
    print("自检通过" if failures == 0 else f"自检失败：{failures} 项", file=out)
    return 0 if failures == 0 else 1


def _check_checklists(catalog: Sequence[DocumentView], out: TextIO) -> int:

    from checklists.checklist_model import Selection
    from checklists.generator import generate
    from checklists.templates import load_themes

    failures = 0
    themes = load_themes()
    for name in ("母婴设施", "托育机构消防安全", "女职工劳动保护"):
        try:
            checklist = generate(Selection(themes=(name,)), catalog, themes, as_of=china_today())
            print(f"检查清单「{name}」：{len(checklist.items)} 项", file=out)
            if not checklist.items:
                failures += 1
        except Exception as exc:  # a self-test reports every failure instead of stopping
            print(f"失败：检查清单「{name}」：{exc}", file=out)
            failures += 1
    return failures
