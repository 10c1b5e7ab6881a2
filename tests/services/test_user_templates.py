"""The user's template layer: validated like shipped items, laid over them by code, stored in
the database, never touching the shipped files."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from checklists.catalog_view import from_parsed
from checklists.checklist_model import Selection
from checklists.generator import generate
from checklists.parsing import parse_text
from checklists.template_model import TemplateError, Theme
from checklists.templates import find_theme, load_themes, themes_dir
from models.db import Database
from models.system import AuditEntry, UserTemplateItem
from services.catalog_store import bundled_policy_files
from services.user_templates import (
    disable_item,
    effective_themes,
    enable_item,
    layer_problems,
    revert_item,
    save_user_item,
    user_layer,
)

GOOD = Path(__file__).resolve().parent.parent / "data" / "themes" / "good"


@pytest.fixture(scope="module")
def themes() -> tuple[Theme, ...]:
    return load_themes(GOOD) + load_themes()


def _payload(themes: tuple[Theme, ...], code: str, /, **changes: Any) -> dict[str, Any]:
    theme = next(t for t in themes if t.item(code) is not None)
    payload = theme.item(code).to_payload()  # type: ignore[union-attr]
    payload.update(changes)
    return payload


def _item(db: Database, themes: tuple[Theme, ...], theme: str, code: str):  # type: ignore[no-untyped-def]
    with db.session() as s:
        found = find_theme(effective_themes(s, themes), theme)
    assert found is not None
    return found.item(code)


def _digest(folder: Path) -> str:
    data = b"".join(p.read_bytes() for p in sorted(folder.glob("*.yaml")))
    return hashlib.sha256(data).hexdigest()


def test_an_edited_item_replaces_the_shipped_one_by_code(db: Database,
                                                          themes: tuple[Theme, ...]) -> None:
    before = (_digest(GOOD), _digest(themes_dir()))
    with db.session() as s:
        saved = save_user_item(s, "fx_muying", _payload(themes, "FXM-B01",
                                                        question="母婴室地面是否防滑、干燥？"),
                               note="本地要求", themes=themes)
    assert saved.user_edited
    item = _item(db, themes, "fx_muying", "FXM-B01")
    assert item.question == "母婴室地面是否防滑、干燥？" and item.user_edited
    assert (_digest(GOOD), _digest(themes_dir())) == before
    with db.session() as s:
        layer = user_layer(s)
        audit = s.scalar(select(func.count()).select_from(AuditEntry)
                         .where(AuditEntry.action == "template_save"))
    assert layer["fx_muying"]["FXM-B01"].note == "本地要求"
    assert audit == 1


def test_an_invalid_user_item_is_refused_and_nothing_is_written(
        db: Database, themes: tuple[Theme, ...]) -> None:
    bad = _payload(themes, "FXM-B01", obligation="必须")
    with db.session() as s, pytest.raises(TemplateError) as info:
        save_user_item(s, "fx_muying", bad, themes=themes)
    assert info.value.item == "FXM-B01" and info.value.field == "obligation"
    assert "用户模板" in str(info.value)
    unverified = _payload(themes, "FXM-B01")
    unverified["legal_basis"][0]["verified"] = "UNVERIFIED"
    with db.session() as s, pytest.raises(TemplateError, match="UNVERIFIED"):
        save_user_item(s, "fx_muying", unverified, themes=themes)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(UserTemplateItem)) == 0
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.table_name == "user_template_items")) == 0


def test_a_new_item_is_added_at_the_end_of_its_section(db: Database,
                                                        themes: tuple[Theme, ...]) -> None:
    new = _payload(themes, "FXX-A01", code="USR-X01", question="是否张贴疏散示意图？")
    with db.session() as s:
        save_user_item(s, "fx_xiaofang", new, themes=themes)
        theme = find_theme(effective_themes(s, themes), "fx_xiaofang")
    assert theme is not None
    assert [i.code for i in theme.items] == ["FXX-A01", "USR-X01", "FXX-B01", "FXX-B02"]


def test_a_new_item_may_not_take_a_code_of_another_theme(db: Database,
                                                          themes: tuple[Theme, ...]) -> None:
    clash = _payload(themes, "FXX-A01", code="FXM-B01")
    with db.session() as s, pytest.raises(TemplateError, match="母婴设施（测试）"):
        save_user_item(s, "fx_xiaofang", clash, themes=themes)


def test_disable_enable_and_revert(db: Database, themes: tuple[Theme, ...]) -> None:
    catalog = from_parsed(parse_text(b, source_name=n) for n, b in bundled_policy_files())

    def generated() -> tuple[set[str], dict[str, str]]:
        with db.session() as s:
            current = effective_themes(s, themes)
        c = generate(Selection(themes=("fx_xiaofang",)), catalog, current, as_of=date(2026, 1, 1))
        return {i.code for i in c.items}, {e.code: e.reason for e in c.excluded}

    with db.session() as s:
        disable_item(s, "fx_xiaofang", "FXX-B02", themes=themes)
    codes, reasons = generated()
    assert "FXX-B02" not in codes and reasons["FXX-B02"] == "该检查项已停用"
    with db.session() as s:
        enable_item(s, "fx_xiaofang", "FXX-B02", themes=themes)
        assert user_layer(s) == {}  # nothing left to remember
    assert "FXX-B02" in generated()[0]

    with db.session() as s:
        save_user_item(s, "fx_xiaofang", _payload(themes, "FXX-B02", severity="一般"),
                       themes=themes)
        disable_item(s, "fx_xiaofang", "FXX-B02", themes=themes)
        enable_item(s, "fx_xiaofang", "FXX-B02", themes=themes)
    assert _item(db, themes, "fx_xiaofang", "FXX-B02").severity == "一般"  # edit kept
    with db.session() as s:
        revert_item(s, "fx_xiaofang", "FXX-B02", themes=themes)
    assert _item(db, themes, "fx_xiaofang", "FXX-B02").severity == "轻微"
    assert not _item(db, themes, "fx_xiaofang", "FXX-B02").user_edited


def test_unknown_items_and_generated_themes_cannot_be_edited(db: Database,
                                                             themes: tuple[Theme, ...]) -> None:
    with db.session() as s:
        with pytest.raises(TemplateError, match="没有这个检查项"):
            disable_item(s, "fx_xiaofang", "NOPE-1", themes=themes)
        with pytest.raises(TemplateError, match="没有这个检查主题"):
            save_user_item(s, "no_theme", {}, themes=themes)
        with pytest.raises(TemplateError, match="自动生成"):
            disable_item(s, "ducha", "DC-1", themes=themes)


def test_a_stored_edit_that_no_longer_validates_leaves_the_shipped_item_and_is_reported(
        db: Database, themes: tuple[Theme, ...]) -> None:
    stale = _payload(themes, "FXM-B01", section="gone")
    with db.session() as s:
        s.add(UserTemplateItem(theme_code="fx_muying", item_code="FXM-B01", payload=stale))
    item = _item(db, themes, "fx_muying", "FXM-B01")
    assert item.section == "B" and not item.user_edited
    with db.session() as s:
        problems = layer_problems(s, themes)
    assert len(problems) == 1 and "FXM-B01" in problems[0] and "section" in problems[0]
