"""A measure's title: the leading phrase of its text, cut where no full stop ends it."""

from __future__ import annotations

import re

from checklists.parsing.text import compact, display

#: A title longer than this (characters) is cut and flagged.
TITLE_MAX = 30
_STOP = re.compile("[。;；]")
_YEAR = re.compile(r"(?<=[\u4e00-\u9fff])(?:19|20)\d{2}")
_COMMA = re.compile("[,，:：]")
_TRIM = " ,，、:：;；.。"



def make_title(text: str) -> tuple[str, bool]:
    """(title, whether it had to be cut): the leading phrase up to the first 。 or ；."""
    body = text.strip()
    stop = _STOP.search(body)
    phrase = body[: stop.start()] if stop else body
    if len(compact(phrase)) <= TITLE_MAX:
        return display(phrase.strip(_TRIM)), False
    comma = _COMMA.search(phrase)
    year = _YEAR.search(phrase)
    if comma is not None and 4 <= comma.start() <= TITLE_MAX:
        cut = phrase[: comma.start()]
    elif year is not None and 4 <= year.start() <= TITLE_MAX:
        cut = phrase[: year.start()]  # a full stop lost before a date: 制度2024年…
    else:
        cut = phrase[:TITLE_MAX]
    return display(cut.strip(_TRIM)), True
