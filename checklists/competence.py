"""Which department acts on a breach, by the penalty clause that applies.

The rules are in ``data/penalty_rules.yaml``. An item's competent department follows the law,
not its theme: breaches of 《女职工劳动保护特别规定》第六条第二款、第七条、第九条第一款 go to
人力资源和社会保障 (第十三条第一款), breaches of its 附录 to 应急管理 (第十三条第二款).
Items are checked against these rules when they load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from checklists.datafiles import DataFileError, data_path, load_yaml
from checklists.template_model import VERIFIED, LegalBasis

FILE = "penalty_rules.yaml"


@dataclass(frozen=True)
class PenaltyRule:
    document: str
    clauses: tuple[str, ...]
    department: str
    penalty: str
    verified: str

    def covers(self, basis: LegalBasis) -> bool:
        clause = basis.clause.strip()
        return basis.document == self.document and any(clause.startswith(c) for c in self.clauses)


@cache
def load_penalty_rules() -> tuple[PenaltyRule, ...]:
    return parse_penalty_rules(load_yaml(data_path(FILE)))


def parse_penalty_rules(raw: Any, departments: Iterable[str] | None = None
                        ) -> tuple[PenaltyRule, ...]:
    """Validate the file. Raises :class:`DataFileError` with a Chinese message."""
    if departments is None:
        from checklists.departments import department_kinds

        departments = [k.label for k in department_kinds()]
    known = set(departments)
    if not isinstance(raw, dict) or set(raw) != {"rules"} or not isinstance(raw["rules"], list):
        raise DataFileError(f"{FILE}：应只有 rules: 一个列表")
    out = []
    for n, row in enumerate(raw["rules"], 1):
        where = f"{FILE} 第{n}条罚则"
        if not isinstance(row, dict):
            raise DataFileError(f"{where}：应为一组键值")
        keys = {"document", "clauses", "department", "penalty", "verified"}
        if set(row) != keys:
            raise DataFileError(f"{where}：应有且只有 {'、'.join(sorted(keys))}")
        document = row["document"]
        if not isinstance(document, str) or not document.startswith("《"):
            raise DataFileError(f"{where}：document 应为带书名号的法规全称")
        clauses = row["clauses"]
        if not isinstance(clauses, list) or not clauses or not all(
                isinstance(c, str) and c.strip() for c in clauses):
            raise DataFileError(f"{where}：clauses 应为非空的条款列表")
        if row["department"] not in known:
            raise DataFileError(f"{where}：部门类别不存在：{row['department']!r}")
        if row["verified"] not in VERIFIED:
            raise DataFileError(f"{where}：verified 应为 {'、'.join(VERIFIED)} 之一")
        out.append(PenaltyRule(document, tuple(c.strip() for c in clauses), row["department"],
                               str(row["penalty"]), row["verified"]))
    for i, a in enumerate(out):
        for b in out[i + 1:]:
            if a.document == b.document and a.department != b.department and any(
                    x.startswith(y) or y.startswith(x) for x in a.clauses for y in b.clauses):
                raise DataFileError(f"{FILE}：{a.document}的同一条款归了两个部门")
    return tuple(out)


def competent_by_rule(bases: Iterable[LegalBasis],
                      rules: Iterable[PenaltyRule] | None = None) -> list[PenaltyRule]:
    """The penalty rules that decide the department for an item with these bases."""
    rules = load_penalty_rules() if rules is None else tuple(rules)
    found: list[PenaltyRule] = []
    for basis in bases:
        for rule in rules:
            if rule.covers(basis) and rule not in found:
                found.append(rule)
    return found


def department_error(bases: Iterable[LegalBasis], department: str,
                     rules: Iterable[PenaltyRule] | None = None) -> str | None:
    """Why ``department`` cannot be the item's competent department, in Chinese, or None."""
    found = competent_by_rule(bases, rules)
    wanted = {r.department for r in found}
    if len(wanted) > 1:
        return ("所引条款分属不同部门处罚（"
                + "；".join(f"{r.document}{r.penalty}：{r.department}" for r in found)
                + "），请拆成两个检查项")
    if wanted and department not in wanted:
        rule = found[0]
        return (f"依{rule.document}{rule.penalty}，违反{'、'.join(rule.clauses)}的由"
                f"{rule.department}部门处罚，主管部门应为“{rule.department}”")
    return None
