"""Turning the text of a policy document into sections, measures, units and targets.

``read_policy_file`` / ``read_policy_bytes`` get the text out of a .txt, .docx or .pdf file;
``parse_text`` turns any layout (numbered running text or a task table) into a
:class:`~checklists.parsing.model.ParsedDocument`. Both raise :class:`PolicyFormatError`, with
a Chinese message, for input they cannot use.
"""

from __future__ import annotations

from checklists.parsing.assemble import parse_text
from checklists.parsing.errors import PolicyFormatError
from checklists.parsing.ids import document_id, measure_id
from checklists.parsing.readers import read_policy_bytes, read_policy_file

__all__ = [
    "PolicyFormatError",
    "document_id",
    "measure_id",
    "parse_text",
    "read_policy_bytes",
    "read_policy_file",
]
