"""Hostile packages are refused with a Chinese message, and nothing is written: the database
unchanged byte for byte, no file outside the data folder, no temporary file left behind."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from models.db import open_database
from sync import keys
from sync.devices import revoke_device, trust_device
from sync.export import ExportSelection
from sync.format import LIMITS, PackageError
from sync.importer import NeedsTrust
from tests.reports.report_fixtures import full_inspection, issue_all, setup_org
from tests.sync.helpers import Laptop, db_bytes, files_under, laptop, read_member, repack


@pytest.fixture
def pair(tmp_path: Path, catalog_template: Path) -> Iterator[tuple[Laptop, Laptop, Path]]:
    """An inspector's laptop with a signed inspection, notices and photos, its package, and a
    supervisor who trusts it."""
    from datetime import date

    a = laptop(tmp_path / "a", "A", catalog_template)
    sup = laptop(tmp_path / "s", "S", catalog_template)
    setup_org(a.db)
    made = full_inspection(a.db, a.db.evidence_root, a.folder, photos=1)
    issue_all(a.db, made, issued_on=date(2026, 3, 11))
    package = a.export("good.sypkg").paths[0]
    with sup.db.session() as s:
        trust_device(s, public_key=a.key.public_hex, name="检查人员甲", device_id=a.db.device_id)
    yield a, sup, package
    a.close()
    sup.close()


class Untouched:
    """Asserts that an import left the supervisor's database and folders as they were."""

    def __init__(self, sup: Laptop) -> None:
        self.sup = sup
        self.db = db_bytes(sup.db)
        self.files = files_under(sup.folder)
        self.data = Path(os.environ["SHENGYU_DATA_DIR"])
        self.data_files = files_under(self.data) if self.data.exists() else set()

    def check(self) -> None:
        assert db_bytes(self.sup.db) == self.db
        assert files_under(self.sup.folder) == self.files
        now = files_under(self.data) if self.data.exists() else set()
        assert now <= self.data_files | {p for p in now if p.startswith("keys/")}
        assert not any("tmp" in p.split("/") for p in now)


def refused(sup: Laptop, path: Path | list[Path], match: str, **kwargs: object) -> None:
    guard = Untouched(sup)
    paths = path if isinstance(path, list) else [path]
    with pytest.raises(PackageError, match=match):
        sup.import_(*paths, trust_unknown=kwargs.pop("trust_unknown", False), **kwargs)
    guard.check()


def _lines(package: Path, member: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in read_member(package, member).splitlines() if x.strip()]


def _jsonl(rows: list[dict[str, object]]) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)


# --------------------------------------------------------------------------- the container


def test_a_truncated_package_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    _a, sup, good = pair
    bad = good.with_name("cut.sypkg")
    bad.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    refused(sup, bad, "数据包不完整或已损坏.*请让发送方重新发送")


def test_a_file_that_is_no_package_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    _a, sup, good = pair
    bad = good.with_name("noise.sypkg")
    bad.write_bytes(b"\x00" + os.urandom(4095))
    refused(sup, bad, "这不是数据包文件.*扩展名为 .sypkg")


def test_what_was_chosen_instead_of_a_package_is_named(pair: tuple[Laptop, Laptop, Path],
                                                       tmp_path: Path) -> None:
    """An empty file, the database itself, a receipt or a folder chosen by mistake: each is
    named, with what to do instead."""
    a, sup, good = pair
    empty = tmp_path / "empty.sypkg"
    empty.write_bytes(b"")
    refused(sup, empty, "文件是空的（0 字节）.*请让发送方重新发送")
    import sqlite3

    database = tmp_path / "检查.sqlite"  # a database file chosen by mistake
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE t (x)")
    refused(sup, database, "这是一个数据库文件，不是数据包")
    receipt = sup.import_(good).receipt
    assert receipt is not None
    refused(a, receipt, "这是一份回执.*导入回执")
    refused(sup, tmp_path, "是文件夹：请选择其中的数据包文件")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "C:/evil.txt", "records/..\\x",
                                  "evidence/../../evil", "records/evil.sh"])
def test_paths_that_leave_the_package_are_refused(pair: tuple[Laptop, Laptop, Path],
                                                  name: str) -> None:
    a, sup, good = pair
    bad = repack(good, good.with_name("slip.sypkg"), key=a.key, members={name: b"x"})
    refused(sup, bad, "非法的文件路径|不认识的文件")
    assert not (sup.folder.parent / "evil.txt").exists()


def test_a_symlink_member_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    bad = good.with_name("link.sypkg")
    repack(good, bad, key=a.key)
    with zipfile.ZipFile(bad, "a") as zf:
        info = zipfile.ZipInfo("evidence/" + "0" * 64 + ".jpg")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    refused(sup, bad, "符号链接")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    bomb = bytes(64 * 1024 * 1024)  # compresses about a thousandfold
    bad = repack(good, good.with_name("bomb.sypkg"), key=a.key,
                 members={"records/findings.jsonl": bomb})
    assert bad.stat().st_size < 1024 * 1024
    refused(sup, bad, "压缩比异常")


def test_limits_on_member_count_size_and_total_are_kept(pair: tuple[Laptop, Laptop, Path]
                                                       ) -> None:
    _a, sup, good = pair
    refused(sup, good, "文件数量超过上限", limits=replace(LIMITS, members=5))
    refused(sup, good, "过大", limits=replace(LIMITS, evidence_member_bytes=1000))
    refused(sup, good, "解压后超过大小上限", limits=replace(LIMITS, total_bytes=10_000))
    refused(sup, good, "超过大小上限", limits=replace(LIMITS, line_bytes=64))


def test_a_member_whose_bytes_differ_from_the_manifest_is_refused(
        pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    rows = _lines(good, "records/findings.jsonl")
    rows[0]["data"]["note"] = "改过的说明"  # type: ignore[index]
    bad = repack(good, good.with_name("hash.sypkg"), key=a.key, keep_hashes=True,
                 members={"records/findings.jsonl": _jsonl(rows)})
    refused(sup, bad, "校验不符")


def test_a_member_not_in_the_manifest_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    bad = repack(good, good.with_name("extra.sypkg"), key=a.key,
                 extra={"snapshots/" + "a" * 64 + ".json": b"{}"})
    refused(sup, bad, "清单未列出")


def test_a_future_format_version_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    bad = repack(good, good.with_name("future.sypkg"), key=a.key,
                 manifest=lambda m: m.update(format_version=99))
    refused(sup, bad, "更新版本")


def test_deeply_nested_json_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    deep = "[" * 5000 + "]" * 5000
    bad = repack(good, good.with_name("deep.sypkg"), key=a.key,
                 manifest=lambda m: m["selection"].update(x=json.loads("[" * 100 + "]" * 100)))
    refused(sup, bad, "嵌套过深")
    rows = _lines(good, "records/entities.jsonl")
    text = _jsonl(rows).decode().replace('"facts": {', '"facts": {"x": ' + deep + ", ", 1)
    assert deep in text
    bad = repack(good, good.with_name("deep2.sypkg"), key=a.key,
                 members={"records/entities.jsonl": text.encode()})
    refused(sup, bad, "嵌套过深|不是有效的 JSON")


# --------------------------------------------------------------------------- the records


def test_a_record_that_fails_the_schema_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    rows = _lines(good, "records/findings.jsonl")
    rows[0]["data"]["result"] = 123  # type: ignore[index]
    bad = repack(good, good.with_name("schema.sypkg"), key=a.key,
                 members={"records/findings.jsonl": _jsonl(rows)})
    refused(sup, bad, "不符合数据包格式")
    rows = _lines(good, "records/entities.jsonl")
    rows[0]["data"]["hidden"] = "x"  # type: ignore[index]
    bad = repack(good, good.with_name("schema2.sypkg"), key=a.key,
                 members={"records/entities.jsonl": _jsonl(rows)})
    refused(sup, bad, "不符合数据包格式")


def test_one_uuid_twice_with_different_content_is_refused(pair: tuple[Laptop, Laptop, Path]
                                                         ) -> None:
    a, sup, good = pair
    rows = _lines(good, "records/findings.jsonl")
    twin = json.loads(json.dumps(rows[0]))
    twin["data"]["note"] = "另一个说明"
    bad = repack(good, good.with_name("twin.sypkg"), key=a.key,
                 members={"records/findings.jsonl": _jsonl([*rows, twin])})
    refused(sup, bad, "出现两次")


def test_a_snapshot_neither_carried_nor_held_is_refused(pair: tuple[Laptop, Laptop, Path]
                                                       ) -> None:
    a, sup, good = pair
    with zipfile.ZipFile(good) as zf:
        snaps = [n for n in zf.namelist() if n.startswith("snapshots/")]
    bad = repack(good, good.with_name("nosnap.sypkg"), key=a.key,
                 members=dict.fromkeys(snaps))
    refused(sup, bad, "快照")


def test_a_reference_to_a_record_nowhere_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    bad = repack(good, good.with_name("orphan.sypkg"), key=a.key,
                 members={"records/inspections.jsonl": b""})
    refused(sup, bad, "不完整")
    unit = {"uuid": "0b7e6c9a-1111-4222-8333-944455556666", "rev": 1, "vv": {"x": 1},
            "updated_at": None, "device_id": None,
            "data": {"measure_id": "m-nowhere", "name": "县科工贸局", "role": "assigned",
                     "collective": False, "department_id": None, "position": 0}}
    bad = repack(good, good.with_name("measure.sypkg"), key=a.key,
                 members={"records/measure_units.jsonl": _jsonl([unit])})
    refused(sup, bad, "政策措施")


def test_an_evidence_file_missing_or_not_matching_its_name_is_refused(
        pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    with zipfile.ZipFile(good) as zf:
        photos = [n for n in zf.namelist() if n.startswith("evidence/")]
    bad = repack(good, good.with_name("nofile.sypkg"), key=a.key, members={photos[0]: None})
    refused(sup, bad, "缺少记录所引用的照片")
    bad = repack(good, good.with_name("swapfile.sypkg"), key=a.key,
                 members={photos[0]: b"not the photo"})
    refused(sup, bad, "无法写入|不符")


# --------------------------------------------------------------------------- who sent it


def test_an_altered_signature_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    _a, sup, good = pair
    raw = good.read_bytes()
    at = raw.rindex(b'"signature": "') + len(b'"signature": "') + 10
    bad = good.with_name("sig.sypkg")
    bad.write_bytes(raw[:at] + (b"0" if raw[at:at + 1] != b"0" else b"1") + raw[at + 1:])
    refused(sup, bad, "签名无效")


def test_a_changed_zip_header_byte_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    _a, sup, good = pair
    raw = bytearray(good.read_bytes())
    raw[10] ^= 0x01  # the first member's modification time: zip tools do not care
    bad = good.with_name("header.sypkg")
    bad.write_bytes(bytes(raw))
    refused(sup, bad, "已被改动")


def test_a_member_swapped_from_another_package_is_refused(pair: tuple[Laptop, Laptop, Path],
                                                          tmp_path: Path,
                                                          catalog_template: Path) -> None:
    _a, sup, good = pair
    other = laptop(tmp_path / "o", "O", catalog_template)
    try:
        full_inspection(other.db, other.db.evidence_root, other.folder, photos=1)
        theirs = other.export("theirs.sypkg").paths[0]
    finally:
        other.close()
    bad = good.with_name("swap.sypkg")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "records/findings.jsonl":
                data = read_member(theirs, "records/findings.jsonl")
            dst.writestr(info, data)
    with bad.open("ab") as fh:  # the original signature, kept
        raw = good.read_bytes()
        fh.write(raw[raw.rindex(b'{"algorithm"'):])
    refused(sup, bad, "已被改动")


def test_a_package_re_signed_by_another_key_as_a_trusted_device_is_refused(
        pair: tuple[Laptop, Laptop, Path], tmp_path: Path) -> None:
    _a, sup, good = pair
    forger = keys.load_or_create(tmp_path / "forger")
    rows = _lines(good, "records/findings.jsonl")
    rows[0]["data"]["note"] = "伪造"  # type: ignore[index]
    bad = repack(good, good.with_name("forged.sypkg"), key=forger,
                 members={"records/findings.jsonl": _jsonl(rows)})
    refused(sup, bad, "签名密钥不同", trust_unknown=True)


def test_unsigned_and_unknown_packages_wait_for_a_person(pair: tuple[Laptop, Laptop, Path],
                                                         tmp_path: Path) -> None:
    _a, sup, good = pair
    unsigned = repack(good, good.with_name("unsigned.sypkg"), key=None)
    guard = Untouched(sup)
    with pytest.raises(NeedsTrust, match="未签名"):
        sup.import_(unsigned, trust_unknown=False)
    guard.check()
    preview = sup.import_(unsigned, trust_unknown=False, dry_run=True)
    assert preview.info.trust == "unsigned"
    stranger = repack(good, good.with_name("stranger.sypkg"), key=keys.load_or_create(
        tmp_path / "stranger"), manifest=lambda m: m["device"].update(id="another-device"))
    with pytest.raises(NeedsTrust, match="未信任设备"):
        sup.import_(stranger, trust_unknown=False)
    guard.check()
    assert sup.import_(unsigned, trust_unknown=True).total("new") > 0  # confirmed by a person


def test_a_revoked_device_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    with sup.db.session() as s:
        revoke_device(s, a.key.fingerprint[:12])
    refused(sup, good, "撤销", trust_unknown=True)


def test_a_demo_package_and_real_work_do_not_mix(pair: tuple[Laptop, Laptop, Path],
                                                 tmp_path: Path, catalog_template: Path) -> None:
    from main import main

    a, sup, good = pair
    demo_path = tmp_path / "demo.sqlite"
    assert main(["--db", str(demo_path), "demo", "--scale", "0.02"]) == 0
    demo = open_database(demo_path)
    try:
        with demo.session() as s:
            from sync.export import export_package

            result = export_package(s, tmp_path / "demo.sypkg", ExportSelection(),
                                    key=a.key, evidence_root=demo.evidence_root)
    finally:
        demo.dispose()
    sup.import_(good)
    refused(sup, result.paths[0], "演示数据包")
    empty = laptop(tmp_path / "e", "E", catalog_template)
    try:
        empty.import_(result.paths[0])
        from services.settings import DEMO, get_setting

        with empty.db.session() as s:
            assert get_setting(s, DEMO) is True  # it became a demo database
        refused(empty, good, "不能导入演示数据库")
    finally:
        empty.close()


def test_a_wrong_password_is_named_and_nothing_else_happens(pair: tuple[Laptop, Laptop, Path]
                                                           ) -> None:
    a, sup, _good = pair
    sealed = a.export("sealed.sypkg", password="正确的口令").paths[0]
    refused(sup, sealed, "密码不正确", password="错误的口令")
    refused(sup, sealed, "已加密", password=None)
    cut = sealed.with_name("sealed-cut.sypkg")
    cut.write_bytes(sealed.read_bytes()[:-100])
    refused(sup, cut, "截断|损坏", password="正确的口令")
    assert sup.import_(sealed, password="正确的口令").total("new") > 0


def test_parts_join_in_any_order_and_a_missing_part_is_named(pair: tuple[Laptop, Laptop, Path]
                                                            ) -> None:
    a, sup, _good = pair
    result = a.export("parts.sypkg", split_bytes=64 * 1024)
    assert len(result.paths) >= 3
    refused(sup, list(result.paths[1:]), "缺少第 1 卷")
    refused(sup, [result.paths[0]], "分卷之一")
    report = sup.import_(*reversed(result.paths))
    assert report.total("new") == result.total


# --------------------------------------------------------------------------- signed records


def test_a_changed_signed_record_is_tampering_not_a_merge(pair: tuple[Laptop, Laptop, Path]
                                                         ) -> None:
    a, sup, good = pair
    sup.import_(good)
    rows = _lines(good, "records/findings.jsonl")
    rows[0]["data"]["note"] = "签名后改动的说明"  # type: ignore[index]
    rows[0]["vv"] = {k: v + 1 for k, v in rows[0]["vv"].items()}  # type: ignore[union-attr]
    bad = repack(good, good.with_name("tamper.sypkg"), key=a.key,
                 members={"records/findings.jsonl": _jsonl(rows)})
    refused(sup, bad, "已签名的检查结果")
    rows = _lines(good, "records/entities.jsonl")
    rows[0]["data"]["address"] = "同一版本不同内容"  # type: ignore[index]
    bad = repack(good, good.with_name("same-rev.sypkg"), key=a.key,
                 members={"records/entities.jsonl": _jsonl(rows)})
    refused(sup, bad, "同一版本的内容不同")


def test_a_failure_half_way_leaves_no_evidence_file_and_no_backup(
        pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    rows = _lines(good, "records/notice_items.jsonl")
    rows[-1]["data"]["notice_id"] = "0b7e6c9a-1111-4222-8333-944455556666"  # type: ignore[index]
    bad = repack(good, good.with_name("late.sypkg"), key=a.key,
                 members={"records/notice_items.jsonl": _jsonl(rows)})
    refused(sup, bad, "不完整")  # photos were written before the notices failed: removed
    assert not sup.db.backup_dir.exists() or not list(sup.db.backup_dir.glob("*import*"))


def test_a_damaged_deflate_stream_is_refused(pair: tuple[Laptop, Laptop, Path]) -> None:
    _a, sup, good = pair
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("records/findings.jsonl")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5
    for i in range(start, start + 20):
        data[i] ^= 0x5A
    bad = good.with_name("deflate.sypkg")
    bad.write_bytes(bytes(data))
    refused(sup, bad, "损坏|校验不符")






def test_a_date_that_fits_the_pattern_but_not_the_calendar_is_refused(
        pair: tuple[Laptop, Laptop, Path]) -> None:
    a, sup, good = pair
    rows = _lines(good, "records/inspections.jsonl")
    rows[0]["data"]["started_at"] = "2026-13-45T25:61:00+00:00"  # type: ignore[index]
    bad = repack(good, good.with_name("calendar.sypkg"), key=a.key,
                 members={"records/inspections.jsonl": _jsonl(rows)})
    refused(sup, bad, "无效的日期或时间")
    rows = _lines(good, "tombstones.jsonl") or [{
        "uuid": "0b7e6c9a-1111-4222-8333-944455556666", "kind": "evidence",
        "device_id": None, "vv": {"x": 1}}]
    rows[0]["deleted_at"] = "2026-02-30T00:00:00+00:00"
    bad = repack(good, good.with_name("calendar2.sypkg"), key=a.key,
                 members={"tombstones.jsonl": _jsonl(rows)})
    refused(sup, bad, "无效的时间")
