"""The layout-independent middle step: sections and measures before titles, units and flags.

Running text (``prose``) and task tables (``table``) both produce a :class:`Draft`;
``assemble`` turns it into the :class:`~checklists.parsing.model.ParsedDocument`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checklists.parsing.model import UnitRole


@dataclass
class DraftSection:
    path: str
    number: str
    title: str
    preamble: bool = False
    # units the heading names for every measure under it: （以下措施由X牵头，Y配合）
    units: list[tuple[str, UnitRole]] = field(default_factory=list)


@dataclass
class DraftMeasure:
    number: str
    path: str
    section: DraftSection | None
    body: str  # NFKC text after the number; may still hold the unit clause
    source_lines: list[int]  # line numbers in the source text
    units: list[tuple[str, UnitRole]] = field(default_factory=list)  # from table columns
    subhead: str | None = None  # an unnumbered subhead above it (完善生育休假制度。)
    doubts: list[str] = field(default_factory=list)  # why the parse may be wrong, in Chinese
    dropped: str = ""  # text after its unit clause that belongs to no measure


@dataclass
class Draft:
    sections: list[DraftSection] = field(default_factory=list)
    measures: list[DraftMeasure] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # text of preamble items, in order

    def add_measure(self, number: str, section: DraftSection | None, body: str,
                    source_lines: list[int], units: list[tuple[str, UnitRole]],
                    subhead: str | None = None) -> None:
        path = f"{section.path}/{number}" if section is not None else number
        self.measures.append(DraftMeasure(number, path, section, body, source_lines, units,
                                          subhead))
