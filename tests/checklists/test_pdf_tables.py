"""Task tables in PDFs read from the page layout: a wrapped cell stays in its cell."""

from __future__ import annotations

from pathlib import Path

from checklists.parsing import parse_text, read_policy_file
from checklists.parsing.pdf_tables import layout_table

ROOT = Path(__file__).resolve().parents[2]

COLUMNS = (0, 4, 24, 36, 48)  # where each column starts, in characters as pypdf lays them


def _line(*cells: str) -> str:
    """One layout line: each cell's text at its column's start (empty cells left blank)."""
    out = ""
    for start, text in zip(COLUMNS, cells, strict=False):
        if text:
            out = out.ljust(start) + text
    return out


LAYOUT = "\n".join([
    "           柳溪市重点任务清单",
    "",
    _line("序", "    工作任务", " 牵头单位", "配合单位", "完成时"),
    _line("号", "", "", "", "  限"),
    _line("", "落实产假、护理假、育儿"),
    _line("1", "假等生育休假制度，纳", "市人力资源", "市卫生健康委、", "持续推"),
    _line("", "入劳动保障监察巡查", "和社会保障局", "市总工会", "进"),
    _line("", "新增普惠性托位2000个"),
    _line("2", "建成公办托育服务中心", "市卫生健康委", "市发展改革委", "2025年"),
    _line("", "", "", "", "底前"),
    "",
    "注：各牵头单位于每年12月10日前报送完成情况。",
])


def test_a_layout_table_gives_one_row_per_number_with_each_cell_whole() -> None:
    lines = layout_table(LAYOUT)
    assert lines is not None
    assert lines[0] == "柳溪市重点任务清单"
    assert lines[1] == "序号\t工作任务\t牵头单位\t配合单位\t完成时限"
    first = lines[2].split("\t")
    assert first == ["1", "落实产假、护理假、育儿假等生育休假制度，纳入劳动保障监察巡查",
                     "市人力资源和社会保障局", "市卫生健康委、市总工会", "持续推进"]
    assert lines[3].split("\t")[2:] == ["市卫生健康委", "市发展改革委", "2025年底前"]
    assert lines[4:] == ["注：各牵头单位于每年12月10日前报送完成情况。"]  # after the rows, no row
    assert layout_table("没有表格的一页\n一、总体要求\n") is None


def test_a_ruled_pdf_table_parses_into_measures_with_their_units() -> None:
    pdf = next((ROOT / "tests" / "data" / "policies" / "heldout4").glob("07_*.pdf"))
    doc = parse_text(read_policy_file(pdf))
    numbered = {m.number: m for m in doc.measures}
    assert len(numbered) == 20
    assert numbered["1"].lead_units == ("市人力资源和社会保障局",)
    assert numbered["1"].responsible_units == ("市卫生健康委", "市总工会")


def test_a_wrapped_name_stays_in_its_row_and_names_on_their_own_lines_stay_apart() -> None:
    layout = "\n".join([
        _line("序号", "  工作任务", "牵头单位", "配合单位", "完成时限"),
        _line("", "", "", "市发展改革委、"),
        _line("1", "新增普惠托位1200个", "市卫生健康委", "市财政局、各"),
        _line("", "", "", "县（市、区）"),
        _line("", "", "", "政府"),
        _line("2", "支持幼儿园开设托班", "市教育局", "市卫生健康委", "2025年"),
        _line("", "落实建设补助和运营", "市卫生健康"),
        _line("3", "补助政策", "委"),
        _line("", "", "市财政局"),
    ])
    lines = layout_table(layout)
    assert lines is not None
    rows = [line.split("\t") for line in lines[1:]]
    assert rows[0][3] == "市发展改革委、市财政局、各县（市、区）政府"
    assert rows[1][3] == "市卫生健康委"
    assert rows[2][2] == "市卫生健康委、市财政局"


def test_a_cells_last_line_before_a_blank_line_stays_in_its_row() -> None:
    layout = "\n".join([
        _line("序号", "  工作任务", "牵头单位", "配合单位", "完成时限"),
        "",
        _line("", "开展出生一件事集成", "", "市卫生健康委、"),
        _line("11", "办理，实现出生医学", "市政务服务局", "市公安局、市人", "2024年"),
        _line("", "证明等事项“一网通", "", "力资源和社会"),
        _line("", "办”。", "", "保障局"),
        "",
        _line("12", "组织开展政策宣传", "市委宣传部", "市卫生健康委", "2024年"),
        _line("", "月活动。", "", "", "10月底"),
    ])
    lines = layout_table(layout)
    assert lines is not None
    rows = [line.split("\t") for line in lines[1:]]
    assert rows[0][1].endswith("“一网通办”。")
    assert rows[0][3] == "市卫生健康委、市公安局、市人力资源和社会保障局"
    assert rows[1][1] == "组织开展政策宣传月活动。" and rows[1][3] == "市卫生健康委"
