"""Reading policy files: .txt in the usual encodings, .docx with tables, .pdf with text."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest

from checklists.parsing import PolicyFormatError, parse_text, read_policy_bytes, read_policy_file
from tests.conftest import seed_text

CHINESE = re.compile("[\u4e00-\u9fff]")
TASKS = [
    ("1", "建设社区托育点。每个街道至少建设1个社区托育服务设施。", "县卫生健康局",
     "县民政局 县住建局"),
    ("2", "落实母婴设施。推动交通枢纽、商业中心建设母婴室。", "县卫生健康局", "县交通运输局"),
    ("3", "落实产假和育儿假。加强对用人单位的监督检查。", "县人社局", "县总工会、县妇联"),
]


def _docx_bytes() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("某某县优化生育支持措施任务清单")
    document.add_paragraph("某政发〔2025〕3号")
    table = document.add_table(rows=1, cols=5)
    for cell, name in zip(table.rows[0].cells, ["举措", "序号", "工作内容", "牵头单位", "责任单位"],
                          strict=True):
        cell.text = name
    group = table.add_row().cells
    merged = group[0].merge(group[4])
    merged.text = "一、托育服务"
    for number, content, lead, responsible in TASKS:
        row = table.add_row().cells
        row[1].text, row[2].text, row[3].text, row[4].text = number, content, lead, responsible
    document.add_paragraph("某某县卫生健康局")
    document.add_paragraph("2025年3月1日")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_table_rows_come_out_in_body_order() -> None:
    text = read_policy_bytes(_docx_bytes(), "任务清单.docx")
    lines = [line for line in text.split("\n") if line]
    assert lines[0] == "某某县优化生育支持措施任务清单"
    assert lines[2] == "举措\t序号\t工作内容\t牵头单位\t责任单位"
    assert lines[3] == "一、托育服务"  # a merged row is written once
    assert lines[4].split("\t") == ["", *TASKS[0]]
    assert lines[-2:] == ["某某县卫生健康局", "2025年3月1日"]


def test_docx_table_parses_into_measures_with_units() -> None:
    doc = parse_text(read_policy_bytes(_docx_bytes(), "任务清单.docx"))
    assert [m.path for m in doc.measures] == ["一/1", "一/2", "一/3"]
    assert doc.measures[0].lead_units == ("县卫生健康局",)
    assert doc.measures[0].responsible_units == ("县民政局", "县住建局")
    assert doc.measures[2].responsible_units == ("县总工会", "县妇联")
    assert (doc.title, doc.doc_number, doc.date) == ("某某县优化生育支持措施任务清单",
                                                     "某政发〔2025〕3号", "2025-03-01")
    assert doc.issuers == ("某某县卫生健康局",)


def test_gb18030_text_file_reads_the_same_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "鹿寨.txt"
    path.write_bytes(seed_text("002").encode("gb18030"))
    assert read_policy_file(path) == seed_text("002")


def test_utf8_file_with_bom_loses_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "宝鸡.txt"
    path.write_bytes(seed_text("001").encode("utf-8-sig"))
    text = read_policy_file(path)
    assert text == seed_text("001") and not text.startswith("\ufeff")
    assert parse_text(text).id == parse_text(seed_text("001")).id


def _cjk_font() -> tuple[str, str | None]:
    """A TrueType CJK font from fontconfig if there is one, else ReportLab's CID font."""
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,
                                 check=False).stdout
    except OSError:
        listing = ""
    for line in listing.splitlines():
        path = line.split(":")[0].strip()
        if path.lower().endswith((".ttf", ".ttc")):
            return "PolicyCJK", path
    return "STSong-Light", None


def _pdf_bytes(lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name, path = _cjk_font()
    if path is None:
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    else:
        pdfmetrics.registerFont(TTFont(name, path))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont(name, 11)
    y = 800
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_pdf_text_layer_is_read_and_parsed() -> None:
    data = _pdf_bytes(["某某县托育工作任务清单", "一、托育服务",
                       "（一）建设社区托育点。每个街道至少建设1个。",
                       "（牵头单位：县卫生健康局；责任单位：县民政局）",
                       "（二）落实母婴设施。推动商业中心建设母婴室。（责任单位：各乡镇人民政府）"])
    text = read_policy_bytes(data, "清单.pdf")
    assert "建设社区托育点" in text
    doc = parse_text(text)
    assert [m.path for m in doc.measures] == ["一/(一)", "一/(二)"]
    assert doc.measures[0].lead_units == ("县卫生健康局",)
    assert doc.measures[1].units[0].collective


def test_pdf_without_a_text_layer_is_refused_as_a_scan() -> None:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    with pytest.raises(PolicyFormatError, match="扫描件") as err:
        read_policy_bytes(buf.getvalue(), "扫描.pdf")
    assert CHINESE.search(str(err.value))


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.txt", "空"),
        (b"  \r\n\t ", "blank.txt", "空"),
        (bytes(range(256)) * 20, "photo.txt", "不是文本"),
        ("Café crème brûlée à la française".encode("latin-1"), "latin1.txt", "编码"),
        (b"\x81\x30\x20\xff\xfe\xfd" * 10, "garbled.txt", "编码"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "Word"),
        (b"%PDF-1.4 truncated", "broken.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0 old word", "old.doc", "docx"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(data: bytes, name: str, words: str) -> None:
    with pytest.raises(PolicyFormatError, match=words) as err:
        read_policy_bytes(data, name)
    assert CHINESE.search(str(err.value))


def test_text_without_measures_is_refused_after_reading(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("一段没有编号的文字。", encoding="utf-8")
    with pytest.raises(PolicyFormatError, match="措施"):
        parse_text(read_policy_file(path))


def test_missing_file_is_a_policy_format_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyFormatError, match="无法读取"):
        read_policy_file(tmp_path / "nowhere.txt")


def test_a_folder_or_a_missing_file_is_named_in_chinese(tmp_path: Path) -> None:


    with pytest.raises(PolicyFormatError, match="是一个文件夹"):
        read_policy_file(tmp_path)
    with pytest.raises(PolicyFormatError, match="找不到该文件"):
        read_policy_file(tmp_path / "没有这个文件.docx")


def test_a_file_over_its_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:

    from checklists.parsing.readers import MAX_TEXT_BYTES

    big = tmp_path / "巨大.txt"
    with big.open("wb") as fh:
        fh.truncate(MAX_TEXT_BYTES + 1)  # sparse: no time or disk spent
    with pytest.raises(PolicyFormatError, match=r"超过了 20 MB 的上限"):
        read_policy_file(big)


def test_a_docx_zip_bomb_is_refused_quickly_and_small(tmp_path: Path) -> None:
    import resource
    import zipfile



    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"<w:p/>" * (1024 * 1024 // 6)
            for _ in range(300):  # about 300 MB unpacked, under 1 MB packed
                member.write(block)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(PolicyFormatError, match=r"解压后过大|压缩比异常"):
        read_policy_file(bomb)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200


def test_word_automatic_numbering_is_written_out_before_each_item() -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("柳溪县托育服务工作方案")
    for text in ("建设托育点。（责任单位：县卫健局）", "培训保育人员。（责任单位：县人社局）",
                 "加强托育机构监管。（责任单位：县市场监管局）"):
        doc.add_paragraph(text, style="List Number")  # numbered by Word, not typed
    data = io.BytesIO()
    doc.save(data)
    text = read_policy_bytes(data.getvalue(), "方案.docx")
    assert "1.建设托育点" in text and "3.加强托育机构监管" in text
    parsed = parse_text(text)
    assert [m.number for m in parsed.measures] == ["1", "2", "3"]
    assert parsed.measures[2].responsible_units == ("县市场监管局",)


def test_word_numbering_formats_chinese_levels_and_restarts_deeper_ones() -> None:
    from lxml import etree

    from checklists.parsing.word_numbering import WordNumbering

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    numbering = etree.fromstring(
        f'<w:numbering xmlns:w="{w}"><w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>')

    def para(level: int) -> etree._Element:
        return etree.fromstring(
            f'<w:p xmlns:w="{w}"><w:pPr><w:numPr><w:ilvl w:val="{level}"/>'
            '<w:numId w:val="5"/></w:numPr></w:pPr></w:p>')

    numbers = WordNumbering(numbering, {})
    assert [numbers.label(para(k)) for k in (0, 1, 1, 0, 1)] == [
        "一、", "（一）", "（二）", "二、", "（一）"]
    assert numbers.label(etree.fromstring(f'<w:p xmlns:w="{w}"/>')) == ""
