"""Counts by result and the compliance rate (DESIGN.md: 符合 1, 部分符合 0.5, 不符合 0; 不适用 and
未检查 left out)."""

from __future__ import annotations

from dataclasses import dataclass

from rules.inspection_status import FAIL, NOT_APPLICABLE, NOT_CHECKED, PARTIAL, PASS


@dataclass(frozen=True)
class Counts:
    total: int = 0
    answered: int = 0
    passed: int = 0  # 符合
    failed: int = 0  # 不符合
    partial: int = 0  # 部分符合
    not_applicable: int = 0  # 不适用

    @property
    def not_checked(self) -> int:
        return self.total - self.answered

    @property
    def recorded(self) -> int:
        """Items answered with a date, a progress or a text rather than judged (记录事项)."""
        return max(0, self.answered - self.passed - self.failed - self.partial
                   - self.not_applicable)

    @property
    def rate(self) -> float | None:
        return compliance_rate(self.passed, self.partial, self.failed)

    def by_result(self) -> dict[str, int]:
        """Keys as the CLI prints them: total, answered and one per result."""
        return {"total": self.total, "answered": self.answered, PASS: self.passed,
                FAIL: self.failed, PARTIAL: self.partial, NOT_APPLICABLE: self.not_applicable,
                NOT_CHECKED: self.not_checked}


def compliance_rate(passed: int, partial: int, failed: int) -> float | None:
    """(符合 + 0.5 × 部分符合) / (符合 + 部分符合 + 不符合); None when nothing was judged."""
    judged = passed + partial + failed
    return None if judged == 0 else (passed + 0.5 * partial) / judged


#: How a finding answered with a value but no judgement (a date, a progress, a text) reads.
RECORDED_LABEL = "已记录"


def shown_result(result: str, answered: bool) -> str:
    """The result as printed: 已记录 for an item answered but not judged, else the result."""
    return RECORDED_LABEL if answered and result == NOT_CHECKED else result
