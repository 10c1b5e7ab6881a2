"""How accurately policy documents in layouts the parser was not tuned on are imported.

Reads every document of a folder (default ``tests/data/policies/unseen``) that has a hand-made
``NAME.expected.json`` beside it, with ``read_policy_file``, parses it with ``parse_text`` (a
``PolicyFormatError`` counts as no measures found) and compares the result with the
expectation:

* expected measures are matched to parsed ones in order: a parsed measure matches when its
  title or its text starts with the expected ``title_starts`` (NFKC-normalised, whitespace
  removed, so that full- and half-width punctuation do not matter);
* a matched measure has its units right when its set of lead units and its set of responsible
  units both equal the expected ones (NFKC-normalised, whitespace removed);
* a parsed measure that matches no expected measure at all is invented; one that matches an
  expected measure but not in order (a duplicate, or out of order) is counted apart;
* the metadata fields are title, doc_number, date and issuers (issuers as a set). They are not
  counted for a document that is expected to have no measures and is rejected.

Prints one line per document, then what failed (missing measures, units and metadata that
differ, invented measures), then the totals next to their floors: measures found (95%),
units right (95%, counted over all expected measures), invented measures (0). Always exits 0:
this is a measurement, not a gate.

    .venv/bin/python bench/bench_import_accuracy.py [folder]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checklists.parsing import PolicyFormatError, parse_text, read_policy_file  # noqa: E402
from checklists.parsing.model import ParsedDocument, ParsedMeasure  # noqa: E402

DEFAULT_FOLDER = ROOT / "tests" / "data" / "policies" / "unseen"
DOCUMENT_SUFFIXES = (".txt", ".docx", ".pdf")
FLOOR_FOUND = 0.95
FLOOR_UNITS = 0.95
FLOOR_INVENTED = 0
METADATA_FIELDS = ("title", "doc_number", "date", "issuers")


def norm(text: str | None) -> str:
    """NFKC, without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _short(text: str, width: int = 30) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[:width] + "…"


@dataclass
class Result:
    name: str
    expected: int = 0
    parsed: int = 0
    found: int = 0
    units_right: int = 0
    invented: int = 0
    out_of_order: int = 0
    metadata_right: int = 0
    metadata_counted: int = 0
    error: str | None = None
    problems: list[str] = field(default_factory=list)


def _matches(measure: ParsedMeasure, starts: str) -> bool:
    key = norm(starts)
    return norm(measure.title).startswith(key) or norm(measure.text).startswith(key)


def _unit_set(units: Any) -> set[str]:
    return {norm(u) for u in units or ()}


def _metadata(doc: ParsedDocument, expected: dict[str, Any], result: Result) -> None:
    got: dict[str, Any] = {"title": doc.title, "doc_number": doc.doc_number, "date": doc.date,
                           "issuers": list(doc.issuers)}
    for name in METADATA_FIELDS:
        want = expected.get(name)
        if name == "issuers":
            right = _unit_set(want) == _unit_set(got[name])
        elif name == "date":
            right = (want or None) == (got[name] or None)
        else:
            right = norm(want) == norm(got[name])
        result.metadata_counted += 1
        if right:
            result.metadata_right += 1
        else:
            result.problems.append(f"metadata {name}: expected {want!r}, got {got[name]!r}")


def score(document: Path, expected: dict[str, Any]) -> Result:
    result = Result(document.name)
    wanted: list[dict[str, Any]] = expected["measures"]
    result.expected = len(wanted)
    try:
        doc: ParsedDocument | None = parse_text(read_policy_file(document),
                                                source_name=document.name)
    except PolicyFormatError as exc:
        doc = None
        result.error = str(exc)
    parsed: list[ParsedMeasure] = list(doc.measures) if doc is not None else []
    result.parsed = len(parsed)

    paired: set[int] = set()
    cursor = 0
    for want in wanted:
        label = f"{want['number']} {want['title_starts']}"
        hit = next((j for j in range(cursor, len(parsed))
                    if _matches(parsed[j], want["title_starts"])), None)
        if hit is None:
            result.problems.append(f"missing measure {label}")
            continue
        paired.add(hit)
        cursor = hit + 1
        result.found += 1
        got = parsed[hit]
        lead_ok = _unit_set(got.lead_units) == _unit_set(want["lead_units"])
        # units a document names once for every measure after it (以下各项任务均由X落实，不再
        # 列出) are kept apart as inherited; they are responsible for each measure all the same
        responsible = [*got.responsible_units,
                       *(u.name for u in got.units if u.role == "inherited")]
        resp_ok = _unit_set(responsible) == _unit_set(want["responsible_units"])
        if lead_ok and resp_ok:
            result.units_right += 1
        else:
            result.problems.append(
                f"units of {label}: expected lead {want['lead_units']} "
                f"responsible {want['responsible_units']}, got lead {list(got.lead_units)} "
                f"responsible {responsible}")
    for j, measure in enumerate(parsed):
        if j in paired:
            continue
        if any(_matches(measure, want["title_starts"]) for want in wanted):
            result.out_of_order += 1
            result.problems.append(
                f"duplicate or out-of-order measure {measure.number} {_short(measure.title)}")
        else:
            result.invented += 1
            result.problems.append(
                f"invented measure {measure.number} {_short(measure.title or measure.text)}")

    if doc is not None:
        _metadata(doc, expected, result)
    elif wanted:  # rejected although it has measures: its metadata were not imported either
        result.metadata_counted += len(METADATA_FIELDS)
        result.problems.extend(f"metadata {name}: none, the document was rejected"
                               for name in METADATA_FIELDS)
    if result.error is not None:
        verdict = "(expected: no measures)" if not wanted else ""
        result.problems.insert(0, f"PolicyFormatError {verdict}: {_short(result.error, 60)}")
    return result


def _documents(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    pairs: list[tuple[Path, dict[str, Any]]] = []
    for spec in sorted(folder.glob("*.expected.json")):
        stem = spec.name[: -len(".expected.json")]
        document = next((folder / (stem + suffix) for suffix in DOCUMENT_SUFFIXES
                         if (folder / (stem + suffix)).exists()), None)
        if document is None:
            print(f"! {spec.name}: no document {stem}.txt/.docx/.pdf beside it")
            continue
        pairs.append((document, json.loads(spec.read_text(encoding="utf-8"))))
    return pairs


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    folder: Path = args.folder
    results = [score(document, expected) for document, expected in _documents(folder)]
    if not results:
        print(f"no documents with an .expected.json in {folder}")
        return 0

    width = max(len(r.name) for r in results)
    print(f"{'document':<{width}}  expect  parsed  found  units  invent  meta")
    for r in results:
        meta = f"{r.metadata_right}/{r.metadata_counted}" if r.metadata_counted else "n/a"
        flag = "  rejected" if r.error is not None else ""
        print(f"{r.name:<{width}}  {r.expected:6d}  {r.parsed:6d}  {r.found:5d}  "
              f"{r.units_right:5d}  {r.invented:6d}  {meta:>4}{flag}")

    failing = [r for r in results if r.problems]
    if failing:
        print()
        print("what failed:")
        for r in failing:
            print(f"  {r.name}")
            for problem in r.problems:
                print(f"    - {problem}")

    expected = sum(r.expected for r in results)
    found = sum(r.found for r in results)
    units = sum(r.units_right for r in results)
    invented = sum(r.invented for r in results)
    out_of_order = sum(r.out_of_order for r in results)
    meta_right = sum(r.metadata_right for r in results)
    meta_counted = sum(r.metadata_counted for r in results)
    print()
    print(f"documents: {len(results)}, rejected: {sum(r.error is not None for r in results)}")
    print(f"measures found {found}/{expected} = {_pct(found, expected)} "
          f"(floor {FLOOR_FOUND:.0%})")
    print(f"units right {units}/{expected} = {_pct(units, expected)} "
          f"(floor {FLOOR_UNITS:.0%}; {units}/{found} of the measures found)")
    print(f"invented measures {invented} (floor {FLOOR_INVENTED})"
          + (f"; duplicate or out-of-order measures {out_of_order}" if out_of_order else ""))
    print(f"metadata fields right {meta_right}/{meta_counted} = {_pct(meta_right, meta_counted)}")
    for name in METADATA_FIELDS:
        wrong = sum(p.startswith(f"metadata {name}:") for r in results for p in r.problems)
        print(f"  {name}: {wrong} wrong")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
