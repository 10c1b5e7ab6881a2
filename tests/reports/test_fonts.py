"""Finding an embeddable Chinese font, the CID fallback when there is none, and the page frame
(第 X 页 共 Y 页, repeated table headers) every report shares."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage
from reportlab.lib.units import mm

from reports.fonts import (
    CID_FALLBACK,
    find_font,
    parse_user_choice,
    system_candidates,
    try_font,
)
from reports.layout import (
    PageSpec,
    build_pdf,
    data_table,
    fitted_image,
    make_styles,
    para,
    title_block,
)
from tests.reports.pdf_checks import (
    assert_page_numbers,
    embedded_truetype,
    flat,
    fonts,
    page_texts,
    qpdf_check,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def system_font_or_skip() -> None:
    if not any(try_font(p, f)[0] for p, f in system_candidates()):
        pytest.skip("本机没有可嵌入的中文 TrueType 字体（安装 fonts-wqy-microhei）")


def test_a_system_truetype_font_is_found_and_embedded(tmp_path: Path) -> None:
    system_font_or_skip()
    font = find_font()
    assert font.embedded and font.warning is None and font.body_path
    styles = make_styles(font)
    out = tmp_path / "t.pdf"
    build_pdf(out, [*title_block(styles, "现场检查笔录"), para("以上记录属实。", styles.body)],
              styles)
    assert embedded_truetype(out)
    assert "现场检查笔录" in flat(page_texts(out)[0]) and "以上记录属实" in page_texts(out)[0]
    qpdf_check(out)


def test_without_any_font_the_cid_fallback_is_used_and_the_user_is_told(tmp_path: Path) -> None:
    font = find_font(None, candidates=[])
    assert font.body == CID_FALLBACK and not font.embedded
    assert font.warning is not None and "STSong-Light" in font.warning and "设置" in font.warning
    styles = make_styles(font)
    out = tmp_path / "cid.pdf"
    build_pdf(out, [para("整改通知书", styles.body)], styles)
    assert fonts(out) == {"/STSong-Light": False}
    assert "整改通知书" in page_texts(out)[0]


def test_a_user_choice_that_is_no_font_is_passed_over_with_a_reason(tmp_path: Path) -> None:
    system_font_or_skip()
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"hello")
    font = find_font(str(bogus))
    assert font.embedded and font.body_path != str(bogus)
    assert font.warning is not None and str(bogus) in font.warning
    assert "不是可用的 TrueType 字体文件" in font.warning


def test_a_latin_only_font_is_refused_for_lack_of_chinese_glyphs() -> None:
    if not DEJAVU.is_file():
        pytest.skip("DejaVu 字体不存在")
    assert try_font(DEJAVU) == (None, "字体不含中文字形")


def test_a_missing_user_font_falls_back_to_the_cid_font_when_nothing_else_exists() -> None:
    font = find_font("/nonexistent/simsun.ttc#1", candidates=[])
    assert not font.embedded
    assert font.warning is not None and "/nonexistent/simsun.ttc" in font.warning
    assert "文件不存在" in font.warning


def test_a_collection_face_is_read_from_the_setting() -> None:
    assert parse_user_choice(r"C:\Windows\Fonts\simsun.ttc#1") == (
        Path(r"C:\Windows\Fonts\simsun.ttc"), 1)
    assert parse_user_choice("/x/y.ttf") == (Path("/x/y.ttf"), 0)
    assert parse_user_choice("") is None and parse_user_choice(None) is None


def test_a_long_table_repeats_its_header_and_every_page_is_numbered(tmp_path: Path) -> None:
    system_font_or_skip()
    styles = make_styles(find_font())
    rows = [[str(i), "检查托育机构消防安全责任制落实情况" * (1 + i % 4), "符合"]
            for i in range(120)]
    table = data_table(styles, ["序号", "检查内容", "结果"], rows, [15 * mm, 120 * mm, 25 * mm],
                       align="CLC")
    out = tmp_path / "long.pdf"
    pages = build_pdf(out, [table], styles, spec=PageSpec(header="测试"))
    texts = page_texts(out)
    assert pages == len(texts) >= 3
    assert_page_numbers(texts)
    assert all("检查内容" in t for t in texts)
    assert "119" in texts[-1]
    qpdf_check(out)


def test_a_photo_keeps_its_aspect_ratio_in_any_box(tmp_path: Path) -> None:
    src = tmp_path / "p.jpg"
    PILImage.new("RGB", (900, 1200), "red").save(src)
    wide = fitted_image(src, 80 * mm, 30 * mm)
    tall = fitted_image(src, 20 * mm, 90 * mm)
    for img in (wide, tall):
        assert img.drawWidth / img.drawHeight == pytest.approx(900 / 1200)
    assert wide.drawHeight == pytest.approx(30 * mm) and tall.drawWidth == pytest.approx(20 * mm)
