"""导入政策文件: parse on a worker, correct the preview, save in one transaction; bad input is
refused through gui.messages with nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from gui import messages
from gui.dialogs.import_policy import ImportPolicyDialog
from models.db import Database
from services.catalog import list_documents, load_catalog
from tests.conftest import seed_text

SAMPLE = """太白县关于支持托育服务发展的若干措施
太政发〔2025〕3号

一、扩大托育服务供给
（一）建设托育综合服务中心。到2025年，每千人口拥有3岁以下婴幼儿托位数达到4.5个以上。（牵头单位：县卫生健康局；责任单位：县发展改革局、县财政局）
（二）发展社区托育服务。新建居住区按标准配套建设托育服务设施。（责任单位：县住房城乡建设局）
二、保障母婴权益
（三）完善母婴设施。二级以上医院、大型商场设置母婴室，覆盖率达到100%。（牵头单位：县卫生健康局）
（四）落实生育休假。依法落实产假、护理假和育儿假。（五）加强宣传引导。营造生育友好的社会氛围。（责任单位：县人力资源社会保障局、县总工会）

太白县人民政府
2025年3月1日
"""


class Said:
    """What the user was told through gui.messages, recorded instead of shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        monkeypatch.setattr(messages, "error", lambda _p, text, **_k: self.errors.append(text))
        monkeypatch.setattr(messages, "warning", lambda _p, text, **_k: self.warnings.append(text))


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    return Said(monkeypatch)


@pytest.fixture
def dialog(catalog_db: Database, qtbot: Any) -> ImportPolicyDialog:
    widget = ImportPolicyDialog(catalog_db)
    qtbot.addWidget(widget)
    return widget


def _parse_pasted(dialog: ImportPolicyDialog, qtbot: Any, text: str) -> None:
    dialog.paste_edit.setPlainText(text)
    with qtbot.waitSignal(dialog.parsed, timeout=10_000):
        qtbot.mouseClick(dialog.parse_button, Qt.MouseButton.LeftButton)


def _titles(db: Database) -> list[str]:
    with db.session() as s:
        return [d.title for d in list_documents(s)]


def test_pasted_text_is_parsed_corrected_merged_and_saved(
    dialog: ImportPolicyDialog, catalog_db: Database, qtbot: Any, said: Said
) -> None:
    _parse_pasted(dialog, qtbot, SAMPLE)
    editor = dialog.editor
    assert dialog.document is not None and len(dialog.document.measures) == 4
    assert editor.doc_title_edit.text() == "太白县关于支持托育服务发展的若干措施"
    assert editor.region_combo.currentData() == "610331"
    assert editor.doc_number_edit.text() == "太政发〔2025〕3号"
    assert editor.date_edit.text() == "2025-03-01"

    editor.select_measure(0)
    editor.title_edit.setText("建设县级托育综合服务中心")
    assert editor.model.index(0, 1).data() == "建设县级托育综合服务中心"
    editor.responsible_edit.setText("县发展改革局、县财政局、县教育局")
    qtbot.mouseClick(editor.merge_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 3
    editor.doc_title_edit.setText("太白县支持托育服务发展若干措施")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert said.errors == [] and said.warnings == []
    assert dialog.result_info is not None and dialog.result_info.measures == 3
    with catalog_db.session() as s:
        (doc,) = load_catalog(s, [dialog.result_info.document_id])
    assert doc.title == "太白县支持托育服务发展若干措施"
    assert doc.region_code == "610331"
    first = doc.measures[0]
    assert first.title == "建设县级托育综合服务中心"
    assert first.responsible_units == ("县发展改革局", "县财政局", "县教育局", "县住房城乡建设局")
    assert "新建居住区" in first.text


def test_two_measures_run_together_are_split_before_saving(
    dialog: ImportPolicyDialog, catalog_db: Database, qtbot: Any, said: Said
) -> None:
    _parse_pasted(dialog, qtbot, SAMPLE)
    editor = dialog.editor
    editor.select_measure(3)
    cursor = editor.text_view.textCursor()
    cursor.setPosition(editor.text_view.toPlainText().index("（五）"))
    editor.text_view.setTextCursor(cursor)
    qtbot.mouseClick(editor.split_button, Qt.MouseButton.LeftButton)
    assert [editor.model.index(r, 0).data() for r in range(editor.model.rowCount())] == [
        "(一)",
        "(二)",
        "(三)",
        "(四)",
        "(五)",
    ]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_info is not None and dialog.result_info.measures == 5
    assert said.errors == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("picture.txt", bytes(range(256)) * 8),
        ("empty.txt", b""),
    ],
)
def test_a_binary_or_empty_file_is_refused_and_nothing_is_written(
    dialog: ImportPolicyDialog,
    catalog_db: Database,
    qtbot: Any,
    said: Said,
    tmp_path: Path,
    name: str,
    content: bytes,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _titles(catalog_db)
    with qtbot.waitSignal(dialog.parseFailed, timeout=10_000):
        dialog.open_file(path)
    assert len(said.errors) == 1 and name in said.errors[0]
    assert dialog.document is None and not dialog.save_button.isEnabled()
    assert dialog.parse_button.isEnabled()
    assert _titles(catalog_db) == before


def test_a_document_already_in_the_catalog_is_refused(
    dialog: ImportPolicyDialog, catalog_db: Database, qtbot: Any, said: Said
) -> None:
    _parse_pasted(dialog, qtbot, seed_text("002"))
    before = _titles(catalog_db)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(said.errors) == 1 and "已在政策目录中" in said.errors[0]
    assert dialog.result_info is None
    assert _titles(catalog_db) == before


def test_a_text_without_numbered_measures_is_kept_as_metadata_with_a_note(
    dialog: ImportPolicyDialog, catalog_db: Database, qtbot: Any, said: Said
) -> None:
    _parse_pasted(dialog, qtbot, "柳溪县关于做好生育支持工作的通知\n各单位要高度重视，认真落实。\n"
                  "柳溪县卫生健康局\n2025年3月5日\n")
    assert "未在文本中找到带编号的措施" in dialog.editor.warnings_label.text()
    assert "0 项措施" in dialog.source_label.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not said.errors
    assert dialog.result_info is not None and dialog.result_info.measures == 0
    assert "柳溪县关于做好生育支持工作的通知" in _titles(catalog_db)


def test_a_bad_date_is_caught_before_saving(
    dialog: ImportPolicyDialog, catalog_db: Database, qtbot: Any, said: Said
) -> None:
    _parse_pasted(dialog, qtbot, SAMPLE)
    dialog.editor.date_edit.setText("三月初")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert said.warnings and "无法识别日期" in said.warnings[0]
    assert dialog.result_info is None
    assert len(_titles(catalog_db)) == 5


def test_pressing_parse_with_nothing_pasted_asks_for_text(
    dialog: ImportPolicyDialog, said: Said
) -> None:
    assert dialog.parse_pasted() is None
    assert said.warnings == ["请先粘贴政策文件的全文。"]


MISSED = """中宁县托育服务工作方案
一、重点任务
（一）建设托育点。每个乡镇建成1个。（责任单位：县卫健局）
（二）培训保育人员。每年培训200人次。（责任单位：县人社局、县科工贸局）
加强托育机构监管，每季度检查1次。（责任单位：县市场监管局）
（三）强化保障
（四）落实经费。按规定安排资金。（责任单位：县财政局）
中宁县人民政府
2025年3月1日
"""


def test_the_review_shows_the_source_beside_the_parse_and_keeps_the_corrections(
    dialog: ImportPolicyDialog, catalog_db: Database, qtbot: Any, said: Said
) -> None:
    from models.catalog import PolicyDocument

    _parse_pasted(dialog, qtbot, MISSED)
    editor = dialog.editor
    source = editor.source
    assert source.list.count() == len(MISSED.split("\n"))
    assert editor.model.rowCount() == 4  # (一) (二) (三) (四): one missed, one a heading
    editor.select_measure(1)
    assert source.shown_range() == (3, 3)  # the line the second measure was read from
    assert "县科工贸局 → 工业和信息化职能（名称以原文为准）" in editor.mapping_label.text()

    source.select_range(4, 4)  # a measure the parser did not see
    qtbot.mouseClick(source.measure_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 5
    assert editor.current_row() == 2
    assert editor.title_edit.text() == "加强托育机构监管，每季度检查1次"
    assert editor.responsible_edit.text() == "县市场监管局"

    source.select_range(5, 5)  # （三）强化保障 heads the measures after it
    qtbot.mouseClick(source.heading_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 4
    assert editor.model.row_at(3).number == "(四)"
    assert editor.model.row_at(3).section == "强化保障"

    editor.select_measure(0)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert editor.model.rowCount() == 3

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert said.errors == [] and said.warnings == []
    assert dialog.result_info is not None and dialog.result_info.measures == 3
    with catalog_db.session() as s:
        stored = s.get(PolicyDocument, dialog.result_info.document_id)
        assert stored is not None
        assert [c["op"] for c in stored.corrections] == ["mark_measure", "mark_heading",
                                                        "delete"]
