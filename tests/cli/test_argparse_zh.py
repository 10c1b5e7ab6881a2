"""The command line's own help and errors are in Chinese, like the rest of the tool."""

from __future__ import annotations

import re

import pytest

from main import main

ENGLISH = re.compile(r"usage:|error:|positional arguments|options:|show this help|required:|"
                     r"invalid choice|unrecognized arguments")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out = capsys.readouterr()
    return int(exit_.value.code or 0), out.out + out.err


@pytest.mark.parametrize("argv", [["--help"], ["checklist", "generate", "--help"],
                                  ["report", "--help"], ["import", "--help"]])
def test_help_has_no_english_headings(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(argv, capsys)
    assert code == 0
    assert text.startswith("用法：") and "显示本帮助并退出" in text
    assert not ENGLISH.search(text)


@pytest.mark.parametrize("argv, wanted", [
    (["nosuch"], "无效的选择：'nosuch'"),
    (["checklist", "generate"], "缺少必需的参数：--theme"),
    (["catalog", "--bogus"], "无法识别的参数：--bogus"),
    (["checklist", "generate", "--theme"], "需要一个值"),
])
def test_usage_errors_are_chinese_and_exit_2(argv: list[str], wanted: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(argv, capsys)
    assert code == 2
    assert "：错误：" in text and wanted in text
    assert not ENGLISH.search(text) and "Traceback" not in text
