"""The whole database file checked on demand (设置) and in the background once in a while, and
when it was last found sound.

An open reads only a little of the file (see :mod:`models.integrity`); a damaged page nobody
has read yet is found here: by the user's 检查数据库完整性, or by the window itself a little
after it has started, when the last sound check is older than :data:`CHECK_EVERY`. The time of
that last check is a setting of the database, so it travels with a backup of it (a restored
backup was checked before it was restored).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from models.integrity import quick_check_file
from rules.progress import IsCancelled, Progress
from services.settings import get_setting, set_setting

#: How old the last sound check may be before the window checks again in the background.
CHECK_EVERY = timedelta(days=7)
#: The settings key of the time (UTC, ISO 8601) of the last check that found the file sound.
LAST_CHECK = "integrity_checked_at"
#: What to do about a damaged database, for the messages that report one.
ADVICE = ("请在“设置 → 数据与备份”中选择一个备份（可先“校验所选”），点“恢复所选…”恢复；"
          "恢复前，当前数据库会先另行备份。")


@dataclass(frozen=True)
class IntegrityCheck:
    ok: bool
    problem: str | None  # what was found, for a message ("" never)
    seconds: float
    checked_at: datetime  # UTC

    def message(self) -> str:
        """The result in a sentence for the user."""
        if self.ok:
            return f"数据库完整性检查通过（用时 {_seconds(self.seconds)}），数据库文件完好。"
        return f"数据库完整性检查发现问题：{self.problem}。数据库文件可能已损坏，{ADVICE}"


def check_database(path: Path, progress: Progress | None = None,
                   is_cancelled: IsCancelled | None = None) -> IntegrityCheck:
    """Read the whole database at ``path`` on a connection of its own that cannot write (so it
    runs on a worker thread beside the window's). Raises
    :class:`~rules.progress.Cancelled` when ``is_cancelled()`` turns true."""
    if progress is not None:
        progress(0, 0, "正在检查数据库完整性（读取整个数据库文件）…")
    start = time.perf_counter()
    problem = quick_check_file(Path(path), is_cancelled)
    return IntegrityCheck(problem is None, problem, time.perf_counter() - start,
                          datetime.now(UTC))


def last_check(session: Session) -> datetime | None:
    """When the database was last found sound; None if never (or not readable)."""
    value = get_setting(session, LAST_CHECK)
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def check_due(session: Session, now: datetime | None = None) -> bool:
    """Whether the background check should run: no sound check within :data:`CHECK_EVERY`."""
    when = last_check(session)
    now = now or datetime.now(UTC)
    return when is None or not (now - CHECK_EVERY < when <= now)


def record_check(session: Session, check: IntegrityCheck) -> None:
    """Remember a check that found the file sound (a failed one is not remembered: the next
    start checks again, and says so again)."""
    if check.ok:
        set_setting(session, LAST_CHECK, check.checked_at.replace(microsecond=0).isoformat())


def _seconds(s: float) -> str:
    return f"{s:.1f} 秒" if s < 60 else f"{s / 60:.1f} 分钟"
