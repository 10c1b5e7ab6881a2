"""The catalog on the command line: ``catalog --json`` and ``import-policy``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from main import main
from tests.conftest import ROOT, SEEDS

EXPECTED_COUNTS = {"中宁": 13, "宝鸡": 20, "鹿寨": 22, "内蒙古": 19, "白银": 28}

NEW_POLICY = """某某县优化生育支持措施任务分工
一、托育服务
（一）建设社区托育点。每个街道至少建设1个社区托育服务设施，到2026年，每千人口托位数达到4.5个。（牵头单位：县卫生健康局；责任单位：县民政局、县住建局）
（二）落实母婴设施。推动交通枢纽、商业中心建设母婴室。（牵头单位：县卫生健康局；责任单位：县交通运输局）
二、休假保障
（三）落实产假和育儿假。加强对用人单位落实生育休假制度的监督检查。（牵头单位：县人社局）
"""


def _catalog(db_path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["--db", str(db_path), "catalog", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_catalog_holds_the_five_seeds_with_their_measure_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _catalog(tmp_path / "a.sqlite", capsys)
    counts = {d["short"]: len(d["measures"]) for d in data["documents"]}
    assert counts == EXPECTED_COUNTS
    for doc in data["documents"]:
        assert {"id", "title", "region", "issuers", "doc_number", "date", "targets",
                "measures"} <= doc.keys()
        for m in doc["measures"]:
            assert {"id", "number", "path", "section", "title", "text", "lead_units",
                    "responsible_units", "units", "targets"} <= m.keys()
            for unit in m["units"]:
                assert unit["role"] in {"lead", "responsible", "inherited", "assigned"}


def test_catalog_ids_are_identical_on_two_fresh_databases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _catalog(tmp_path / "one.sqlite", capsys)
    second = _catalog(tmp_path / "two.sqlite", capsys)
    ids = [(d["id"], [m["id"] for m in d["measures"]]) for d in first["documents"]]
    assert ids == [(d["id"], [m["id"] for m in d["measures"]]) for d in second["documents"]]
    all_ids = [m for _, ms in ids for m in ms]
    assert len(all_ids) == len(set(all_ids)) == sum(EXPECTED_COUNTS.values())


def test_units_as_written_follow_the_rule(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    docs = {d["short"]: d for d in _catalog(tmp_path / "a.sqlite", capsys)["documents"]}
    nmg = {m["number"]: m for m in docs["内蒙古"]["measures"]}
    assert [u["name"] for u in nmg["(十八)"]["units"] if u["role"] != "inherited"] == ["各相关部门"]
    assert any(u["role"] == "inherited" for u in nmg["(二)"]["units"])
    assert "民政厅" in nmg["(一)"]["responsible_units"]
    for m in docs["鹿寨"]["measures"]:
        names = [u["name"] for u in m["units"]]
        assert len(names) == len(set(names)), m["number"]
        assert all("责任单位" not in n for n in names)
    assert all(m["units"] == [] for m in docs["宝鸡"]["measures"])
    zn1 = docs["中宁"]["measures"][0]
    assert zn1["lead_units"] == ["医疗保障局"]


def test_dry_run_previews_without_writing(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "new.txt"
    src.write_text(NEW_POLICY, encoding="utf-8")
    db_path = tmp_path / "a.sqlite"
    assert main(["--db", str(db_path), "import-policy", str(src), "--dry-run", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [m["number"] for m in doc["measures"]] == ["(一)", "(二)", "(三)"]
    assert doc["measures"][0]["lead_units"] == ["县卫生健康局"]
    assert doc["measures"][0]["responsible_units"] == ["县民政局", "县住建局"]
    assert len(_catalog(db_path, capsys)["documents"]) == 5


def test_import_writes_once_and_refuses_the_same_document_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "new.txt"
    src.write_text(NEW_POLICY, encoding="utf-8")
    db_path = tmp_path / "a.sqlite"
    assert main(["--db", str(db_path), "import-policy", str(src)]) == 0
    capsys.readouterr()
    # Re-wrapped and with full-width punctuation swapped, it is still the same document.
    src2 = tmp_path / "again.txt"
    src2.write_text(NEW_POLICY.replace("；", ";").replace("。", "。\n"), encoding="utf-8")
    assert main(["--db", str(db_path), "import-policy", str(src2)]) != 0
    assert "已在政策目录中" in capsys.readouterr().err
    assert len(_catalog(db_path, capsys)["documents"]) == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "空"), (bytes(range(256)) * 20, "不是文本"), ("一段没有编号的文字。".encode(), "措施")],
)
def test_bad_input_gets_a_chinese_message_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    src = tmp_path / "bad.txt"
    src.write_bytes(content)
    db_path = tmp_path / "a.sqlite"
    assert main(["--db", str(db_path), "import-policy", str(src)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and message in err
    assert len(_catalog(db_path, capsys)["documents"]) == 5


def test_pasted_text_on_stdin_is_imported(tmp_path: Path) -> None:
    db_path = tmp_path / "a.sqlite"
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(db_path), "import-policy", "-", "--json"],
        input=NEW_POLICY.encode("gb18030"), cwd=ROOT, capture_output=True, check=False,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["measures"] == 3


def test_seed_files_are_the_shipped_ones() -> None:
    assert len(list(SEEDS.glob("*.txt"))) == 5


def test_a_folder_or_a_missing_file_gets_its_own_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = tmp_path / "a.sqlite"
    (tmp_path / "文件夹").mkdir()
    assert main(["--db", str(db_path), "import-policy", str(tmp_path / "文件夹")]) == 1
    assert "是一个文件夹" in capsys.readouterr().err
    assert main(["--db", str(db_path), "import-policy", str(tmp_path / "无.txt")]) == 1
    assert "找不到文件" in capsys.readouterr().err


def test_a_notice_without_measures_imports_as_metadata_and_dry_run_lists_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "notice.txt"
    src.write_text("柳溪县卫生健康局关于召开托育服务工作推进会的通知\n各乡镇卫生院：\n"
                   "一、会议时间\n2025年3月10日上午9:00\n二、参会人员\n各乡镇卫生院分管负责人\n"
                   "柳溪县卫生健康局\n2025年3月5日\n", encoding="utf-8")
    db_path = tmp_path / "a.sqlite"
    assert main(["--db", str(db_path), "import-policy", str(src), "--dry-run", "--json"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["measures"] == [] and preview["date"] == "2025-03-05"
    assert "未在文本中找到带编号的措施" in preview["warnings"][0]
    assert main(["--db", str(db_path), "import-policy", str(src), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["measures"] == 0
    assert len(_catalog(db_path, capsys)["documents"]) == 6
