"""The parser's vocabulary file is validated when loaded, with errors naming file and entry."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.datafiles import DataFileError, load_yaml
from checklists.parsing.lexicon import lexicon, lexicon_path, parse_lexicon


def _raw() -> dict[str, Any]:
    raw = load_yaml(lexicon_path())
    assert isinstance(raw, dict)
    return raw


def test_shipped_lexicon_loads_and_orders_lead_labels() -> None:
    lex = lexicon()
    assert lex.is_lead_label("牵头责任单位") and not lex.is_lead_label("责任单位")
    found = lex.label_re.match("牵头责任单位：")
    assert found is not None and found.group("label") == "牵头责任单位"
    assert lex.is_collective("各乡镇人民政府") and lex.is_collective("地方各级人民政府")
    assert not lex.is_collective("县卫健局")


def test_invalid_regular_expression_names_the_file_and_the_entry() -> None:
    raw = _raw()
    raw["chrome_lines"] = ["打印本页", "([unclosed"]
    with pytest.raises(DataFileError, match=r"lexicon\.yaml.*chrome_lines 第2项"):
        parse_lexicon(raw)


def test_inherited_pattern_without_its_named_group_is_refused() -> None:
    raw = _raw()
    raw["inherited_patterns"] = ["以下均需.+?落实"]
    with pytest.raises(DataFileError, match="inherited_patterns 第1项"):
        parse_lexicon(raw)


@pytest.mark.parametrize("key", ["unit_tails", "title_suffixes", "org_suffixes"])
def test_missing_or_empty_list_is_refused(key: str) -> None:
    raw = _raw()
    raw[key] = []
    with pytest.raises(DataFileError, match=key):
        parse_lexicon(raw)


def test_lost_character_entry_needs_a_pattern_and_a_note() -> None:
    raw = _raw()
    raw["lost_characters"] = [{"pattern": r"\d+日"}]
    with pytest.raises(DataFileError, match="lost_characters 第1项"):
        parse_lexicon(raw)


def test_any_group_number_is_written_and_read_back() -> None:
    """A table with a hundred groups or more numbers them 一百, 一百零一 … (it raised once)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from checklists.parsing.text import cn_to_int, int_to_cn

    assert [int_to_cn(n) for n in (1, 10, 11, 20, 100, 101, 110, 1000, 1010, 10001)] == [
        "一", "十", "十一", "二十", "一百", "一百零一", "一百一十", "一千", "一千零一十",
        "一万零一"]

    @settings(max_examples=300, deadline=None, database=None)
    @given(st.integers(1, 99_999_999))
    def round_trip(n: int) -> None:
        assert cn_to_int(int_to_cn(n)) == n

    round_trip()
