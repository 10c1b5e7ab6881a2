"""报告 page: a notice is generated on a worker thread, previewed, saved, exported and printed
to a PDF file (never to a real printer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from gui.context import PageContext
from gui.pages.reports import NOTICE, RECHECK, ReportsPage
from gui.widgets.pdf_preview import print_pdf
from tests.reports.notice_fixtures import add_recheck, docx_text, pdf_text, stored_notice


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
