"""统一社会信用代码 (unified social credit code), GB 32100-2015.

Eighteen characters: 登记管理部门码 (1), 机构类别码 (1), 登记管理机关行政区划码 (6 digits),
主体标识码 (9, the GB 11714 organisation code), 校验码 (1). The alphabet is the digits and the
capital letters without I, O, Z, S and V (31 characters); the check character is
``31 - Σ(value × 3^i mod 31) mod 31`` over the first seventeen.

The check digit is verified strictly. The registration-authority character is checked against
the codes the standard lists; the other parts are checked only for form, because older codes
issued before the standard settled do not always follow the organisation-code check digit.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
# 登记管理部门码: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会,
# 9 工商（市场监管）, A 中央军委改革和编制办公室, N 农业, Y 其他.
AUTHORITIES = "123456789ANY"
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}


class CreditCodeError(ValueError):
    """An invalid 统一社会信用代码. The message is Chinese."""


def normalise(code: str) -> str:
    """Upper case without spaces, full-width characters folded to ASCII."""
    out = []
    for ch in code.strip():
        if "\uff01" <= ch <= "\uff5e":  # full-width ASCII block
            ch = chr(ord(ch) - 0xFEE0)
        if not ch.isspace():
            out.append(ch.upper())
    return "".join(out)


def check_character(first17: str) -> str:
    """The 18th character for the first seventeen (which must be in the alphabet)."""
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """The normalised code, or :class:`CreditCodeError` saying what is wrong."""
    value = normalise(code)
    if len(value) != 18:
        raise CreditCodeError(f"统一社会信用代码应为18位，“{code.strip()}”是{len(value)}位")
    bad = sorted({ch for ch in value if ch not in _VALUES})
    if bad:
        raise CreditCodeError(
            f"统一社会信用代码“{value}”含有不允许的字符：{'、'.join(bad)}"
            "（只能是数字和除 I、O、Z、S、V 以外的大写字母）")
    if value[0] not in AUTHORITIES:
        raise CreditCodeError(f"统一社会信用代码“{value}”的第1位（登记管理部门码）“{value[0]}”无效")
    if not value[2:8].isdigit():
        raise CreditCodeError(f"统一社会信用代码“{value}”的第3至8位应为行政区划代码（6位数字）")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise CreditCodeError(f"统一社会信用代码“{value}”校验位不正确，请核对是否抄错")
    return value


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except CreditCodeError:
        return False
    return True
