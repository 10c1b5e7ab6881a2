"""Turning the text of a policy document into sections, measures, units and targets.

``read_policy_file`` / ``read_policy_bytes`` get the text out of a .txt, .docx or .pdf file;
``parse_text`` turns any layout (numbered running text or a task table) into a
:class:`~checklists.parsing.model.ParsedDocument`. Both raise :class:`PolicyFormatError`, with
a Chinese message, for input they cannot use.

The names load on first use: reading a stored document (``checklists.parsing.model``) does not
load the parser, which a start of the program on a catalog already parsed never needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checklists.parsing.assemble import parse_text
    from checklists.parsing.errors import PolicyFormatError
    from checklists.parsing.ids import document_id, measure_id
    from checklists.parsing.readers import read_policy_bytes, read_policy_file

_HOMES = {
    "parse_text": "checklists.parsing.assemble",
    "PolicyFormatError": "checklists.parsing.errors",
    "document_id": "checklists.parsing.ids",
    "measure_id": "checklists.parsing.ids",
    "read_policy_bytes": "checklists.parsing.readers",
    "read_policy_file": "checklists.parsing.readers",
}

__all__ = [
    "PolicyFormatError",
    "document_id",
    "measure_id",
    "parse_text",
    "read_policy_bytes",
    "read_policy_file",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
