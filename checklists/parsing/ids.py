"""Deterministic ids for parsed documents and measures.

A document's id comes from a normalised form of its text: NFKC, page chrome removed and
every whitespace character removed. The chrome left out is the lexicon's frozen
``chrome_lines``, so a later version that learns more chrome gives the same ids. Re-wrapping
lines, adding blank lines, swapping half- and full-width punctuation or adding page chrome
therefore leaves the id unchanged, and every laptop that parses the same document gets the
same ids.
"""

from __future__ import annotations

import hashlib
import unicodedata

from checklists.parsing.lexicon import lexicon
from checklists.parsing.text import compact


def normalize_for_id(text: str) -> str:
    """The form of ``text`` that the document id is computed from. Idempotent."""
    lex = lexicon()
    kept: list[str] = []
    for line in unicodedata.normalize("NFKC", text).splitlines():
        squeezed = compact(line)
        if not squeezed or any(p.fullmatch(squeezed) for p in lex.id_chrome_lines):
            continue
        kept.append(squeezed)
    joined = "".join(kept)
    if lex.chrome_inline is not None:
        joined = lex.chrome_inline.sub("", joined)
    return joined


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def document_id(text: str) -> str:
    """``doc-`` and 16 hex digits. ``text`` may be raw or already normalised: same id."""
    return "doc-" + _digest(normalize_for_id(text))


def measure_id(doc_id: str, path: str) -> str:
    """``m-`` and 16 hex digits from the document id and the measure's path (``三/(一)``)."""
    return "m-" + _digest(f"{doc_id}/{path}")
