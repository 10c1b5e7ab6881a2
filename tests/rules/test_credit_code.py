"""统一社会信用代码: the GB 32100-2015 check digit and the loose checks on its parts."""

from __future__ import annotations

import pytest

from rules.credit_code import ALPHABET, CreditCodeError, check_character, is_valid, validate
from tests.services.inspection_fixtures import VALID_CODES


@pytest.mark.parametrize("code", VALID_CODES)
def test_published_codes_pass_the_check_digit(code: str) -> None:
    assert validate(code) == code


def test_check_character_is_computed_over_the_first_seventeen() -> None:
    assert check_character("91350100M000100Y4") == "3"
    assert check_character("91110000710925462") == "X"


def test_lower_case_spaces_and_full_width_characters_are_normalised() -> None:
    assert validate(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert validate("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_every_other_last_character_is_refused() -> None:
    good = "91350100M000100Y43"
    for ch in ALPHABET:
        if ch != good[-1]:
            assert not is_valid(good[:-1] + ch)


def test_a_single_mistyped_character_is_caught() -> None:
    good = "91330100716105852F"
    wrong = good[:5] + ("1" if good[5] != "1" else "2") + good[6:]
    with pytest.raises(CreditCodeError, match="校验位不正确"):
        validate(wrong)


@pytest.mark.parametrize(("code", "reason"), [
    ("91350100M000100Y4", "应为18位"),
    ("91350100M000100Y433", "应为18位"),
    ("91350100M00O100Y43", "不允许的字符"),  # letter O is not in the alphabet
    ("91350100I000100Y43", "不允许的字符"),
    ("B1350100M000100Y43", "登记管理部门码"),
    ("9135A100M000100Y43", "行政区划代码"),
])
def test_malformed_codes_are_refused_with_a_chinese_reason(code: str, reason: str) -> None:
    with pytest.raises(CreditCodeError, match=reason):
        validate(code)
