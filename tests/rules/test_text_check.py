"""Text is checked before it is stored: unpaired surrogates and control characters other than a
line break or a tab are refused in Chinese, and so is text over its limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.limits import NAME_MAX, NOTE_MAX
from rules.text_check import TextError, check_text, text_problem

# What people type: any character except surrogates and control characters other than \n, \t.
TYPED = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
                max_size=300)


@given(TYPED)
def test_text_people_type_is_stored_as_typed_apart_from_outer_blanks(text: str) -> None:
    stored = check_text(text, label="说明", limit=NOTE_MAX)
    assert stored == (text.strip() or None)
    if stored is not None:
        stored.encode("utf-8")  # always storable


@given(TYPED, TYPED, st.integers(0xD800, 0xDFFF))
def test_an_unpaired_surrogate_anywhere_is_refused_with_its_position(
    before: str, after: str, code: int
) -> None:
    text = f"x{before}{chr(code)}{after}x"
    with pytest.raises(TextError, match="不成对的代理字符") as caught:
        check_text(text, label="说明", limit=10_000)
    assert f"第 {text.index(chr(code)) + 1} 个字符" in str(caught.value)
    assert "说明" in str(caught.value)


@given(TYPED, st.sampled_from([chr(c) for c in range(32) if chr(c) not in "\n\t\r"]
                              + ["\x7f", "\x85", "\x9b"]))
def test_control_characters_other_than_line_breaks_and_tabs_are_refused(
    text: str, control: str
) -> None:
    with pytest.raises(TextError, match="控制字符"):
        check_text(f"a{text}{control}b", label="说明", limit=10_000)


def test_windows_line_breaks_become_plain_ones_and_tabs_stay() -> None:
    assert check_text("第一行\r\n第二行\r第三行\t完", label="说明", limit=100) == \
        "第一行\n第二行\n第三行\t完"


def test_text_over_its_limit_says_the_limit_and_the_length() -> None:
    said = f"单位名称最多 {NAME_MAX} 个字，现在有 {NAME_MAX + 1} 个字"
    with pytest.raises(TextError, match=said):
        check_text("字" * (NAME_MAX + 1), label="单位名称", limit=NAME_MAX)
    assert check_text("字" * NAME_MAX, label="单位名称", limit=NAME_MAX) == "字" * NAME_MAX


def test_a_one_line_field_joins_pasted_lines_and_an_empty_required_field_is_asked_for() -> None:
    assert check_text("中宁县\n托育园", label="单位名称", limit=100, multiline=False) == \
        "中宁县 托育园"
    with pytest.raises(TextError, match="请填写单位名称"):
        check_text("  \n ", label="单位名称", limit=100, required=True)
    assert text_problem("ok\n", multiline=False) == "不能换行"


def test_the_callers_error_type_carries_the_message() -> None:
    class MyError(ValueError):
        pass

    with pytest.raises(MyError, match="说明"):
        check_text("\x00", label="说明", limit=10, error=MyError)
