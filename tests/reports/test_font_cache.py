"""The report font is remembered between runs in the user cache folder: used again while its
files are unchanged, searched for again when they moved or changed, when a font appears at a
well-known path, or when the cache file is corrupt, unreadable or cannot be written."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import reports.fonts as fonts
from reports.fonts import cache_path, find_font, system_candidates, try_font


def _smallest_cjk_font() -> Path:
    usable = [p for p, face in system_candidates() if face == 0 and try_font(p, 0)[0]]
    if not usable:
        pytest.skip("本机没有可嵌入的中文 TrueType 字体（安装 fonts-wqy-microhei）")
    return min(usable, key=lambda p: p.stat().st_size)


class Machine:
    """A font search that knows only the test's own files, and counts its runs."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        source = _smallest_cjk_font()
        self.font = tmp_path / "fonts" / f"cache-test{source.suffix}"
        self.font.parent.mkdir()
        shutil.copyfile(source, self.font)
        self.pool: list[tuple[Path, int]] = [(self.font, 0)]
        self.known: list[tuple[Path, int]] = []
        self.searches = 0
        search = fonts._search

        def counted(*args: Any) -> Any:
            self.searches += 1
            return search(*args)

        monkeypatch.setattr(fonts, "_search", counted)
        monkeypatch.setattr(fonts, "system_candidates", lambda: [*self.known, *self.pool])
        monkeypatch.setattr(fonts, "known_candidates", lambda: list(self.known))
        monkeypatch.setattr(fonts, "_CACHE", {})

    def new_run(self) -> None:
        """What a new process has: the cache file, nothing in memory."""
        fonts._CACHE.clear()

    def remembered(self, key: str = "") -> Any:
        return json.loads(cache_path().read_text(encoding="utf-8"))["fonts"].get(key)


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Machine:
    return Machine(tmp_path, monkeypatch)


def test_the_cache_lives_in_the_folder_the_environment_names() -> None:
    assert cache_path().parent == Path(os.environ["SHENGYU_CACHE_DIR"])
    assert cache_path().name == "report-font.json"


def test_a_font_found_once_is_used_again_in_the_next_run_without_a_search(
        machine: Machine) -> None:
    first = find_font()
    assert first.embedded and first.body_path == str(machine.font)
    assert machine.searches == 1
    entry = machine.remembered()
    assert entry["body"] == [str(machine.font), 0]
    assert entry["files"] == {str(machine.font): [machine.font.stat().st_size,
                                                  machine.font.stat().st_mtime_ns]}
    machine.new_run()
    again = find_font()
    assert again == first and machine.searches == 1
    find_font()
    assert machine.searches == 1  # and once in a process it is not even read again


def test_a_users_chosen_font_is_remembered_under_its_choice(machine: Machine) -> None:
    choice = f"{machine.font}#0"
    font = find_font(choice)
    assert font.body_path == str(machine.font) and font.warning is None
    assert machine.remembered(choice)["body"] == [str(machine.font), 0]
    machine.new_run()
    assert find_font(choice) == font and machine.searches == 1


def test_a_moved_font_is_searched_for_again_and_the_cache_rewritten(
        machine: Machine, tmp_path: Path) -> None:
    find_font()
    moved = tmp_path / "elsewhere" / machine.font.name
    moved.parent.mkdir()
    machine.font.rename(moved)
    machine.pool = [(moved, 0)]
    machine.new_run()
    font = find_font()
    assert font.body_path == str(moved) and machine.searches == 2
    assert machine.remembered()["body"] == [str(moved), 0]
    machine.new_run()
    assert find_font().body_path == str(moved) and machine.searches == 2


def test_a_font_file_changed_in_place_is_searched_for_again(machine: Machine) -> None:
    find_font()
    st = machine.font.stat()
    os.utime(machine.font, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    machine.new_run()
    assert find_font().body_path == str(machine.font) and machine.searches == 2
    assert machine.remembered()["files"][str(machine.font)][1] == st.st_mtime_ns + 5_000_000_000


def test_a_font_installed_at_a_well_known_path_is_noticed(
        machine: Machine, tmp_path: Path) -> None:
    simhei = tmp_path / "windows" / "simhei.ttf"
    machine.known = [(simhei, 0)]
    assert find_font().body_path == str(machine.font)
    simhei.parent.mkdir()
    shutil.copyfile(machine.font, simhei)  # someone installs SimHei
    machine.new_run()
    font = find_font()
    assert machine.searches == 2
    assert font.body_path == str(simhei) and font.heading_path == str(simhei)


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff{not json")


def _text(text: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("spoil", [
    _garbage,
    _text(""),
    _text("[]"),
    _text('{"format": 99, "fonts": {}}'),
    _text('{"format": 1, "fonts": []}'),
    _text('{"format": 1, "fonts": {"": {"body": 7}}}'),
    _text('{"format": 1, "fonts": {"": {"body": ["/nowhere/x.ttf", 0], '
          '"heading": ["/nowhere/x.ttf", 0], "files": {"/nowhere/x.ttf": [1, 2]}, '
          '"known": []}}}'),
], ids=["bytes", "empty", "a-list", "other-format", "fonts-a-list", "entry-wrong",
        "missing-file"])
def test_a_corrupt_cache_costs_a_search_and_is_rewritten(
        machine: Machine, spoil: Callable[[Path], None]) -> None:
    cache_path().parent.mkdir(parents=True, exist_ok=True)
    spoil(cache_path())
    font = find_font()
    assert font.embedded and font.body_path == str(machine.font) and machine.searches == 1
    assert machine.remembered()["body"] == [str(machine.font), 0]
    assert [p.name for p in cache_path().parent.iterdir()] == ["report-font.json"]


def test_an_entry_naming_a_file_it_did_not_check_is_not_trusted(machine: Machine) -> None:
    find_font()
    data = json.loads(cache_path().read_text(encoding="utf-8"))
    data["fonts"][""]["heading"] = ["/nowhere/simhei.ttf", 0]
    cache_path().write_text(json.dumps(data), encoding="utf-8")
    machine.new_run()
    assert find_font().heading_path == str(machine.font) and machine.searches == 2


@pytest.mark.parametrize("where", ["under-a-file", "a-folder-in-its-place"])
def test_a_cache_that_cannot_be_read_or_written_never_stops_a_report(
        machine: Machine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    if where == "under-a-file":
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        monkeypatch.setenv("SHENGYU_CACHE_DIR", str(blocker / "cache"))
    else:
        cache_path().mkdir(parents=True)
    font = find_font()
    assert font.embedded and font.body_path == str(machine.font)
    machine.new_run()
    assert find_font() == font and machine.searches == 2
    if where == "a-folder-in-its-place":
        assert [p.name for p in cache_path().parent.iterdir()] == ["report-font.json"]


def test_a_font_found_with_a_warning_is_not_remembered(
        machine: Machine, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"hello")
    assert find_font(str(bogus)).warning is not None
    assert not cache_path().exists()
    machine.pool = []
    assert not find_font().embedded
    assert not cache_path().exists()
