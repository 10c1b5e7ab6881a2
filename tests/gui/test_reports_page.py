"""报告 page: a notice is generated on a worker thread, previewed, saved, exported and printed
to a PDF file (never to a real printer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from gui.context import PageContext
from gui.pages.reports import (
    DESCRIPTIONS,
    DRAFT_MARK,
    EMPTY_PREVIEW,
    NOTICE,
    RECHECK,
    RECORD,
    STALE_PREVIEW,
    SUMMARY,
    UNSIGNED_MARK,
    ReportsPage,
)
from gui.widgets.pdf_preview import print_pdf
from tests.reports.notice_fixtures import add_recheck, docx_text, pdf_text, stored_notice

#: Tests answer only the items they are about; the rest are left unchecked, said so.
UNCHECKED_REASON = "本次只检查与本测试有关的项目"


def _page(ctx: PageContext, qtbot: Any, *, recheck: bool = False) -> ReportsPage:
    with ctx.db.session() as session:
        notice_id = stored_notice(session)
        if recheck:
            add_recheck(session, notice_id, passed=True)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    return page


def _generate(page: ReportsPage, qtbot: Any) -> None:
    task = page.generate()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass


def test_generating_a_notice_shows_it_in_the_preview(ctx: PageContext, qtbot: Any) -> None:
    page = _page(ctx, qtbot)
    page.select_kind(NOTICE)
    assert "中宁卫限改〔2026〕第7号" in page.notice_combo.currentText()
    assert not page.print_button.isEnabled()
    _generate(page, qtbot)
    assert page.preview.page_count >= 2
    assert page.preview.pages_label.text() == f"共 {page.preview.page_count} 页"
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    assert page.word_button.isEnabled()
    assert page.current_path is not None
    assert "责令限期改正通知书" in pdf_text(page.current_path)
    assert "整改文书已生成" in page.status_label.text()


def test_save_as_and_export_word(ctx: PageContext, qtbot: Any, tmp_path: Path,
                                 monkeypatch: Any) -> None:
    page = _page(ctx, qtbot)
    page.select_kind(NOTICE)
    _generate(page, qtbot)
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(page, "choose_save_path", lambda *_a: str(target))
    page.save_as()
    assert "中宁卫限改〔2026〕第7号" in pdf_text(target)
    word = tmp_path / "notice.docx"
    monkeypatch.setattr(page, "choose_save_path", lambda *_a: str(word))
    task = page.export_word()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert "中宁卫限改〔2026〕第7号" in docx_text(word)
    assert "Word 文档已保存" in page.status_label.text()


def test_recheck_report_is_offered_once_rechecked(ctx: PageContext, qtbot: Any) -> None:
    page = _page(ctx, qtbot, recheck=True)
    page.select_kind(RECHECK)
    assert "中宁卫限改〔2026〕第7号" in page.recheck_combo.currentText()
    _generate(page, qtbot)
    assert page.preview.page_count >= 2
    assert page.current_path is not None and "复查意见书" in pdf_text(page.current_path)


def test_previewed_pages_print_one_to_one(ctx: PageContext, qtbot: Any, tmp_path: Path) -> None:
    page = _page(ctx, qtbot)
    page.select_kind(NOTICE)
    _generate(page, qtbot)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printed = print_pdf(page.preview.document, printer, dpi=60)
    assert printed == page.preview.page_count
    assert len(PdfReader(str(out)).pages) == printed


def test_before_any_report_the_page_says_what_to_do_and_describes_the_type(
        ctx: PageContext, qtbot: Any) -> None:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    assert not page.showing_preview
    assert page.empty_label.text() == EMPTY_PREVIEW
    assert page.description_label.text() == DESCRIPTIONS[RECORD]
    assert "已签名" in page.description_label.text()
    page.select_kind(SUMMARY)
    assert page.description_label.text() == DESCRIPTIONS[SUMMARY]
    assert not page.draft_notice.isVisibleTo(page)
    # the summary's filters say that an empty box leaves the report unlimited
    assert page.theme_combo.currentText() == "" and page.department_combo.currentText() == ""
    assert page.theme_combo.lineEdit().placeholderText() == "全部主题（空为不限）"
    assert page.department_combo.lineEdit().placeholderText() == "全部部门（空为不限）"
    # the dates are offered only while they apply
    assert not page.from_date.isEnabled() and not page.to_date.isEnabled()
    page.date_filter.setChecked(True)
    assert page.from_date.isEnabled() and page.to_date.isEnabled()
    page.date_filter.setChecked(False)
    assert not page.from_date.isEnabled()


def _three_inspections(ctx: PageContext, tmp_path: Path) -> tuple[int, int, int]:
    """A signed one (oldest), one completed but unsigned, and a draft (newest)."""
    from models.evidence_store import evidence_root
    from services.inspection_lifecycle import complete_inspection
    from tests.reports.report_fixtures import full_inspection
    from tests.services.inspection_fixtures import fill_record, new_entity, new_inspection

    signed = full_inspection(ctx.db, evidence_root(ctx.db.path), tmp_path, photos=0)
    with ctx.db.session() as s:
        done = new_inspection(s, entity_id=new_entity(s, "某某幼儿园")).id
        fill_record(s, done)
        complete_inspection(s, done, unchecked_reason=UNCHECKED_REASON)
        draft = new_inspection(s, entity_id=new_entity(s, "某某托育园")).id
    return signed, done, draft


def test_signed_inspections_come_first_and_unsigned_ones_are_marked(
        ctx: PageContext, qtbot: Any, tmp_path: Path) -> None:
    signed, done, draft = _three_inspections(ctx, tmp_path)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    combo = page.inspection_combo
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids[0] == signed and set(ids) == {signed, done, draft}
    texts = {combo.itemData(i): combo.itemText(i) for i in range(combo.count())}
    assert "非正式" not in texts[signed] and "已签名" in texts[signed]
    assert texts[draft].startswith(DRAFT_MARK)
    assert texts[done].startswith(UNSIGNED_MARK)
    # a label longer than the box: whole in the tooltip and in the list that drops down
    assert combo.toolTip() == combo.currentText() == texts[signed]
    widest = max(combo.view().fontMetrics().horizontalAdvance(t) for t in texts.values())
    assert combo.view().minimumWidth() >= widest


def test_a_record_of_an_unsigned_inspection_is_labelled_a_draft(
        ctx: PageContext, qtbot: Any, tmp_path: Path) -> None:
    signed, _done, draft = _three_inspections(ctx, tmp_path)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.select_kind(RECORD)
    page.inspection_combo.setCurrentIndex(page.inspection_combo.findData(draft))
    _generate(page, qtbot)
    assert page.showing_preview and page.preview.page_count >= 1
    assert page.draft_notice.isVisibleTo(page)
    assert "不是正式笔录" in page.draft_notice.text()
    assert "现场检查笔录（草稿）已生成" in page.status_label.text()

    page.inspection_combo.setCurrentIndex(page.inspection_combo.findData(signed))
    _generate(page, qtbot)
    assert not page.draft_notice.isVisibleTo(page)
    assert "草稿" not in page.status_label.text()


def test_a_preview_of_another_report_cannot_be_printed(ctx: PageContext, qtbot: Any) -> None:
    page = _page(ctx, qtbot)
    page.select_kind(NOTICE)
    _generate(page, qtbot)
    assert page.print_button.isEnabled() and page.showing_preview
    page.select_kind(SUMMARY)
    assert not page.showing_preview and page.empty_label.text() == STALE_PREVIEW
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()
    assert page.current_path is None
    _generate(page, qtbot)
    assert page.print_button.isEnabled()
    page.region_edit.setText("宝鸡市")
    page.region_edit.textEdited.emit("宝鸡市")  # as typed by the user
    assert not page.print_button.isEnabled() and not page.showing_preview


def test_the_bulletin_takes_its_number_only_when_finalised(
        ctx: PageContext, qtbot: Any, monkeypatch: Any) -> None:
    from gui import messages
    from rules.china_time import today
    from services.numbering import list_blocks, reserve_block
    from services.settings import ORG_CODE, ORGANISATION, set_setting

    page = _page(ctx, qtbot)
    with ctx.db.session() as s:
        set_setting(s, ORGANISATION, "中宁县卫生健康局")
        set_setting(s, ORG_CODE, "中宁卫")
        reserve_block(s, suffix="通", year=today().year, start=5, end=9)
    page.select_kind(SUMMARY)
    assert page.final_button.isVisibleTo(page)
    _generate(page, qtbot)  # a preview: the 文号 is left blank, no number is used
    assert f"中宁卫通〔{today().year}〕号" in pdf_text(page.current_path)  # blank left
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: False)
    assert page.finalise() is None
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    task = page.finalise()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    number = f"中宁卫通〔{today().year}〕5号"
    assert number in pdf_text(page.current_path)
    assert f"文号 {number}" in page.status_label.text() and page.print_button.isEnabled()
    with ctx.db.session() as s:
        block = next(b for b in list_blocks(s) if b.doc_word == "中宁卫通")
    assert block.next_no == 6
    finalised = page.current_path.read_bytes()

    # the same period again: printed again from the kept copy, or - asked for - renumbered
    asked: list[str] = []

    def choose(answer: int | None) -> Any:
        def ask(_parent: Any, text: str, options: list[str], **_k: Any) -> int | None:
            asked.append(text)
            return answer
        return ask

    monkeypatch.setattr(messages, "choose", choose(None))
    assert page.finalise() is None and number in asked[-1] and "已于" in asked[-1]
    monkeypatch.setattr(messages, "choose", choose(0))
    assert page.finalise() is None
    assert page.current_path.read_bytes() == finalised and page.print_button.isEnabled()
    assert f"补打：督查通报 {number}" in page.status_label.text()
    with ctx.db.session() as s:
        assert next(b for b in list_blocks(s) if b.doc_word == "中宁卫通").next_no == 6
    monkeypatch.setattr(messages, "choose", choose(1))
    task = page.finalise()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    assert f"中宁卫通〔{today().year}〕6号" in pdf_text(page.current_path)
    page.select_kind(NOTICE)
    assert not page.final_button.isVisibleTo(page)


def test_an_inspection_windows_print_button_previews_that_record(
        ctx: PageContext, qtbot: Any, tmp_path: Path) -> None:
    _signed, done, _draft = _three_inspections(ctx, tmp_path)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.select_kind(SUMMARY)
    page.apply_preset({"kind": RECORD, "inspection": done})
    assert page.kind == RECORD and page.inspection_combo.currentData() == done
    assert page.task is not None
    with qtbot.waitSignal(page.task.finished, timeout=30_000):
        pass
    assert page.showing_preview and page.preview.page_count >= 1


def test_with_nothing_to_report_on_there_is_nothing_to_generate(
        ctx: PageContext, qtbot: Any) -> None:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.select_kind(RECORD)
    assert page.inspection_combo.currentData() is None
    assert not page.generate_button.isEnabled()
    page.select_kind(SUMMARY)  # a 通报 can say that nothing was inspected
    assert page.generate_button.isEnabled()


def test_the_record_picker_narrows_as_the_user_types(
        ctx: PageContext, qtbot: Any, tmp_path: Path) -> None:
    _signed, _done, draft = _three_inspections(ctx, tmp_path)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    combo = page.inspection_combo
    assert combo.isEditable() and combo.lineEdit() is not None
    completer = combo.completer()
    assert completer is not None
    completer.setCompletionPrefix("托育园")  # part of a unit's name, not its start
    found = [completer.completionModel().index(r, 0).data()
             for r in range(completer.completionCount())]
    assert len(found) == 1 and "某某托育园" in found[0]
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert all("母婴设施" in t or "托育" in t or "女职工" in t for t in texts)  # the theme shows
    combo.setCurrentIndex(combo.findData(draft))
    assert page.inspection_combo.currentData() == draft and page.generate_button.isEnabled()
