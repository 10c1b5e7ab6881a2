"""A date option refused says what is wrong with it, in Chinese: its form, or a day that
does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from main import main


@pytest.mark.parametrize(("argv", "said"), [
    (["notices", "--as-of", "2026/1/1"],
     "参数 --as-of：日期应写成 年-月-日，如 2026-01-05：2026/1/1"),
    (["report", "summary", "--from", "2026-02-30", "-o", "x.pdf"],
     "参数 --from：没有这一天：2026-02-30"),
    (["export", "-o", "x.sypkg", "--to", "明天"], "参数 --to：日期应写成 年-月-日"),
])
def test_a_date_option_refused_says_why(argv: list[str], said: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(tmp_path / "x.sqlite"), *argv])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and said in err
    assert "fromisoformat" not in err and "Traceback" not in err
