"""Chinese line breaking in every printed paragraph: no line starts with closing punctuation,
none ends with opening punctuation, a number keeps its 号/条/年, and no text is lost."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from models.db import Database
from reports.cjk_wrap import CANNOT_END, CANNOT_START, breakable, word_split
from reports.fonts import find_font
from reports.layout import make_styles
from reports.record import build_record_pdf
from tests.reports.pdf_checks import page_texts
from tests.reports.report_fixtures import full_inspection

FONT = find_font()
TEXT = st.text(alphabet=list("检查托育机构消防安全母婴室设施，。、；：？！（）《》“”"
                             "0123456789号条年"), min_size=1, max_size=300)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.integers(min_value=30, max_value=200))
def test_lines_keep_the_text_and_the_rules(text: str, width: int) -> None:
    lines = [line for _extra, line in word_split(text, [width], FONT.body, 10)]
    assert "".join(lines) == text  # nothing lost, nothing repeated
    for first, second in pairwise(lines):
        joined = first + second
        at = len(first)
        # a break the rules forbid only where no allowed one was within reach before it
        assert breakable(first[-1], second[0]) or not any(
            breakable(joined[k - 1], joined[k]) for k in range(max(1, at - 6), at)), lines


def test_a_citation_and_a_document_number_wrap_by_the_rules() -> None:
    styles = make_styles(FONT)
    text = ("依据：《托育机构消防安全指南（试行）》（国卫人口发〔2019〕58号）第三十一条；"
            "文号为中宁卫卫监意〔2026〕第13号，请于2026年3月31日前改正，逾期不改正的，依法处理。")
    for width in range(60, 400, 7):
        para = Paragraph(text, styles.cell)
        para.wrap(width, 10_000)
        lines = ["".join(w for w in line[1]) if isinstance(line[1], list) else str(line[1])
                 for line in para.blPara.lines]
        for line in lines[1:]:
            assert line[:1] not in CANNOT_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1:] not in CANNOT_END, (width, lines)
        assert not any(a.endswith("13") and b.startswith("号")
                       for a, b in pairwise(lines)), (width, lines)


def test_no_line_of_a_printed_record_starts_with_closing_punctuation(db: Database,
                                                                      tmp_path: Path) -> None:
    store = db.evidence_root
    iid = full_inspection(db, store, tmp_path, photos=2)
    out = tmp_path / "record.pdf"
    with db.session() as s:
        build_record_pdf(s, iid, out, store_root=store)
    for page in page_texts(out):
        for line in page.splitlines():
            assert line.strip()[:1] not in set("，。、；：？！）》」』"), line


def test_codes_dates_and_document_numbers_stay_whole_where_a_line_can_hold_them() -> None:
    text = ("依据《建筑设计防火规范》（GB 50016-2014）和《托育机构消防安全规范》（WS/T 870-2025）"
            "第9.5条，于2026年4月24日09时01分送达中卫消立改〔2026〕第1号通知书。")
    tokens = ("GB 50016-2014", "WS/T 870-2025", "第9.5条", "2026年4月24日", "09时01分",
              "〔2026〕第1号")
    for width in range(120, 420, 9):
        lines = [line for _extra, line in word_split(text, [width], FONT.body, 10)]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for first, second in pairwise(lines):
            for token in tokens:
                squeezed = token.replace(" ", "")
                joined = (first + second).replace(" ", "")
                at = len(first.replace(" ", ""))
                start = joined.find(squeezed)
                assert not (0 <= start < at < start + len(squeezed)), (width, token, lines)


def test_a_long_title_breaks_where_its_words_allow() -> None:
    from reports.layout import CONTENT_WIDTH, title_para

    styles = make_styles(FONT)
    title = "关于中宁县妇女联合会落实积极生育支持措施督查情况的反馈意见"
    para = title_para(title, styles.title)
    para.wrap(CONTENT_WIDTH, 1000)
    lines = ["".join(w.text for w in line.words) if hasattr(line, "words")
             else "".join(line[1]) for line in para.blPara.lines]
    assert "".join(lines) == title and len(lines) == 2, lines
    assert lines[1].startswith(("落实", "督查", "积极")) or lines[0].endswith("会"), lines
