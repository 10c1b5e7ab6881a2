"""Dates on the command line: YYYY-MM-DD, refused with a Chinese message that says what is
wrong (the form, or a day that does not exist)."""

from __future__ import annotations

import argparse
import re
from datetime import date


def date_argument(text: str) -> date:
    """An argparse ``type`` for a date option."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise argparse.ArgumentTypeError(f"没有这一天：{text}") from None
        raise argparse.ArgumentTypeError(
            f"日期应写成 年-月-日，如 2026-01-05：{text}") from None
