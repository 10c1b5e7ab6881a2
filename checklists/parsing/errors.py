"""The one error the parser and the readers raise for input they cannot use."""

from __future__ import annotations


class PolicyFormatError(ValueError):
    """The input is not a policy document the tool can read. The message is Chinese and says
    what is wrong in words an inspector understands (empty file, not text, scanned PDF, …)."""
