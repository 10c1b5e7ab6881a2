"""The package file (``.sypkg``): a zip with a signed manifest, written and read defensively.

Members (see docs/package-format.md):

- ``manifest.json``: format, versions, device, issuer, time, selection, counts, and the
  SHA-256 and size of every other member;
- ``records/<kind>.jsonl``, ``audit.jsonl``, ``tombstones.jsonl``: one JSON object per line;
- ``snapshots/<sha256>.json``: each distinct checklist snapshot once, named by the SHA-256 of
  its canonical JSON;
- ``catalog/<document id>.json``: the policy documents the records cite;
- ``evidence/<sha256><ext>``: photos, signatures and attachments, named by content hash.

Reading checks, before anything else is believed: a well-formed zip; member names (no ``..``,
absolute paths, drive letters, backslashes or symlinks, nothing outside the layout above);
member count, sizes, the total unpacked size and compression ratios within limits; the
manifest's format version; every member's hash and size, counting the bytes actually
unpacked.

After the zip comes the signature trailer: the SHA-256 of every byte of the zip, the device's
Ed25519 public key and its signature of that hash, then the trailer's length and a fixed
marker. Any altered byte anywhere in the file (member, zip header, manifest, trailer) is
detected. A package without the trailer is unsigned. How far the key is trusted is judged by
:mod:`sync.importer`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sync.format import (
    FORMAT,
    FORMAT_VERSION,
    LIMITS,
    MEMBER_NAME,
    Limits,
    PackageError,
    loads,
    strict_json,
)
from sync.schema import validate_manifest

MANIFEST = "manifest.json"
TRAILER_MAGIC = b"SYPKG-SIGNATURE1"  # 16 bytes, the last of a signed package
_TRAILER_MAX = 4096


# --------------------------------------------------------------------------- writing


class _HashingWriter(io.RawIOBase):
    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self.sha.update(view)
        self.size += len(view)
        self._target.write(view)
        return len(view)


class PackageWriter:
    """Writes members one by one; :meth:`finish` adds the manifest and its signature."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                                    compresslevel=6, allowZip64=True)
        self.members: dict[str, dict[str, Any]] = {}

    def _open(self, name: str, compress: bool) -> IO[bytes]:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return self._zip.open(info, "w", force_zip64=True)

    def lines(self, name: str) -> _LineSink:
        return _LineSink(self, name)

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        with self._open(name, compress) as raw:
            sink = _HashingWriter(raw)
            sink.write(data)
        self.members[name] = {"sha256": sink.sha.hexdigest(), "size": sink.size}

    def add_file(self, name: str, source: Path, *, compress: bool = False) -> None:
        with self._open(name, compress) as raw, source.open("rb") as fh:
            sink = _HashingWriter(raw)
            while block := fh.read(1024 * 1024):
                sink.write(block)
        self.members[name] = {"sha256": sink.sha.hexdigest(), "size": sink.size}

    def finish(self, manifest: dict[str, Any], key: Any) -> bytes:
        """Write the manifest (with the member list), close the zip and, with a ``key``
        (:class:`sync.keys.DeviceKey`), append the signature trailer; returns the manifest."""
        body = {**manifest, "members": dict(sorted(self.members.items()))}
        data = json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
        with self._open(MANIFEST, True) as raw:
            raw.write(data)
        self._zip.close()
        if key is not None:
            append_trailer(self.path, key)
        return data

    def abort(self) -> None:
        self._zip.close()


def append_trailer(path: Path, key: Any) -> None:
    """Sign every byte of the zip at ``path`` and append the trailer."""
    digest = file_sha256(path)
    trailer = json.dumps({"algorithm": "ed25519", "sha256": digest, "public_key": key.public_hex,
                          "signature": key.sign(bytes.fromhex(digest)).hex()},
                         sort_keys=True).encode("ascii")
    with path.open("ab") as fh:
        fh.write(trailer + len(trailer).to_bytes(8, "big") + TRAILER_MAGIC)


def file_sha256(path: Path, size: int | None = None, check: Any = None) -> str:
    """SHA-256 of a file (or of its first ``size`` bytes), read in blocks; ``check()`` is
    called between blocks so that a long hash can be cancelled."""
    h, left = hashlib.sha256(), path.stat().st_size if size is None else size
    with path.open("rb") as fh:
        while left > 0:
            if check is not None:
                check()
            block = fh.read(min(4 * 1024 * 1024, left))
            if not block:
                break
            left -= len(block)
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Signed:
    """A package's verified signature: every byte of its zip is signed by this key."""

    public_key: str
    sha256: str


def read_trailer(path: Path, check: Any = None) -> tuple[int, Signed | None]:
    """(size of the zip part, the verified signature or None when unsigned);
    :class:`PackageError` when the trailer is damaged or the bytes do not match it."""
    from sync import keys

    size = path.stat().st_size
    with path.open("rb") as fh:
        if size < 24:
            return size, None
        fh.seek(size - len(TRAILER_MAGIC))
        if fh.read(len(TRAILER_MAGIC)) != TRAILER_MAGIC:
            return size, None
        fh.seek(size - len(TRAILER_MAGIC) - 8)
        length = int.from_bytes(fh.read(8), "big")
        if not 0 < length <= _TRAILER_MAX or length > size - 24:
            raise PackageError("数据包的签名部分已损坏。")
        zip_size = size - len(TRAILER_MAGIC) - 8 - length
        fh.seek(zip_size)
        raw = fh.read(length)
    try:
        info = strict_json(raw)
        digest, public_key = str(info["sha256"]), str(info["public_key"])
        signature = bytes.fromhex(str(info["signature"]))
        if info.get("algorithm") != "ed25519" or len(digest) != 64 or len(public_key) != 64:
            raise ValueError
        bytes.fromhex(digest)
    except (ValueError, KeyError, TypeError):
        raise PackageError("数据包的签名部分已损坏。") from None
    if file_sha256(path, zip_size, check) != digest:
        raise PackageError("数据包已被改动或损坏：内容与签名时不同，已拒绝导入。请让发送方重新导出"
                           "后再发送；如一再出现，请与发送方核实数据包是否被他人改动。")
    if not keys.verify(public_key, signature, bytes.fromhex(digest)):
        raise PackageError("数据包签名无效：内容在签名后被改动过，已拒绝导入。请与发送方核实，"
                           "并请其重新导出。")
    return zip_size, Signed(public_key, digest)


class _LineSink:
    """``with writer.lines(name) as out: out.write(obj)`` writes JSON Lines."""

    def __init__(self, writer: PackageWriter, name: str) -> None:
        self._writer, self._name = writer, name
        self.count = 0

    def __enter__(self) -> _LineSink:
        self._raw = self._writer._open(self._name, True)
        self._sink = _HashingWriter(self._raw)
        self._buffer = io.BufferedWriter(self._sink, buffer_size=256 * 1024)
        return self

    def write(self, obj: Any) -> None:
        self._buffer.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":"),
                                      allow_nan=False).encode("utf-8") + b"\n")
        self.count += 1

    def __exit__(self, *exc: object) -> None:
        self._buffer.flush()
        self._raw.close()
        self._writer.members[self._name] = {"sha256": self._sink.sha.hexdigest(),
                                            "size": self._sink.size, "records": self.count}


# --------------------------------------------------------------------------- reading


@dataclass
class Package:
    """A package whose structure, manifest and member hashes have been checked."""

    path: Path
    sha256: str  # of the package file as received (before decryption)
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signed: Signed | None
    names: set[str] = field(default_factory=set)
    limits: Limits = LIMITS

    _zip: zipfile.ZipFile | None = None

    def open(self, name: str) -> zipfile.ZipExtFile:
        """A member, streamed (the zip's directory is read once per package)."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.path)
        member = self._zip.open(name)
        assert isinstance(member, zipfile.ZipExtFile)  # opened for reading
        return member

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def lines(self, name: str) -> Iterator[bytes]:
        """The lines of a JSON Lines member, each bounded in length."""
        if name not in self.names:
            return
        with self.open(name) as fh:
            reader = io.BufferedReader(fh, buffer_size=1024 * 1024)
            while True:
                line = reader.readline(self.limits.line_bytes + 1)
                if not line:
                    return
                if len(line) > self.limits.line_bytes:
                    raise PackageError(f"{name} 中有一条记录超过大小上限。")
                if line.strip():
                    yield line

    def read_bytes(self, name: str, what: str) -> bytes:
        with self.open(name) as fh:
            data = fh.read(self.limits.json_member_bytes + 1)
        if len(data) > self.limits.json_member_bytes:
            raise PackageError(f"数据包中的{what}超过大小上限。")
        return data

    def read_json(self, name: str, what: str) -> Any:
        return loads(self.read_bytes(name, what), what, self.limits.json_depth)

    def members_under(self, prefix: str) -> list[str]:
        return sorted(n for n in self.names if n.startswith(prefix))


def _check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    if (name.startswith(("/", "\\")) or "\\" in name or ".." in name.split("/")
            or re.match(r"^[A-Za-z]:", name) or "\x00" in name):
        raise PackageError(f"数据包中有非法的文件路径：{name!r}")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageError(f"数据包中有符号链接：{name!r}")
    if info.is_dir() or not MEMBER_NAME.match(name):
        raise PackageError(f"数据包中有不认识的文件：{name!r}")
    if info.flag_bits & 0x1:
        raise PackageError(f"数据包中的文件被单独加密，不能读取：{name!r}")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(f"数据包中的文件使用了不支持的压缩方式：{name!r}")
    cap = (limits.evidence_member_bytes if name.startswith("evidence/")
           else limits.records_member_bytes if name.endswith(".jsonl")
           else limits.manifest_bytes if name == MANIFEST
           else limits.json_member_bytes)
    if info.file_size > cap:
        raise PackageError(f"数据包中的文件过大：{name}")
    if (info.file_size > limits.ratio_floor
            and info.file_size > limits.ratio * max(info.compress_size, 1)):
        raise PackageError(f"数据包中的文件压缩比异常（可能是压缩炸弹）：{name}")


def _sha256_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    """Hash of a member, counting the bytes actually unpacked (never trusting the header)."""
    h, size = hashlib.sha256(), 0
    with zf.open(info) as fh:
        while block := fh.read(1024 * 1024):
            size += len(block)
            if size > info.file_size:
                raise PackageError(f"数据包中的文件比声明的长：{info.filename}")
            h.update(block)
    return h.hexdigest(), size


#: What a file that is not a package may be, by its first bytes: what to tell the user.
_NOT_A_PACKAGE = (
    (b"SQLite format 3\x00", "这是一个数据库文件，不是数据包。数据包由对方在“数据交换”中导出"
                              "（main.py export），扩展名为 .sypkg。"),
    (b"\x1f\x8b", "这是一份回执（.syrcpt），不是数据包：请在“数据交换 → 已发出的数据包”中"
                  "导入回执（main.py receipt import）。"),
    (b"%PDF", "这是一个 PDF 文件，不是数据包。数据包由对方在“数据交换”中导出，扩展名为 .sypkg。"),
)
_ZIP_MAGIC = b"PK\x03\x04"


def not_a_package(path: Path) -> str:
    """Why a file that is no readable package is not one, and what to do, in Chinese."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return "数据包无法读取。"
    if size == 0:
        return ("文件是空的（0 字节），不是完整的数据包：可能传送或复制没有完成，"
                "请让发送方重新发送。")
    for magic, said in _NOT_A_PACKAGE:
        if head.startswith(magic):
            return said
    if head.startswith(_ZIP_MAGIC):
        return ("数据包不完整或已损坏（可能没有传送完，或复制时中断），已拒绝导入。"
                "请让发送方重新发送，或重新导出。")
    return "这不是数据包文件。数据包由对方在“数据交换”中导出（main.py export），扩展名为 .sypkg。"


def open_package(path: Path, sha256: str, limits: Limits = LIMITS,
                 check: Any = None) -> Package:
    """Check a (decrypted, joined) package file and return it; :class:`PackageError` if it
    cannot be accepted."""
    try:
        _zip_size, signed = read_trailer(path, check)
    except OSError:
        raise PackageError("数据包无法读取。") from None
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise PackageError(not_a_package(path)) from None
    try:
        infos = zf.infolist()
        if len(infos) > limits.members:
            raise PackageError("数据包中的文件数量超过上限。")
        names: set[str] = set()
        total = 0
        for info in infos:
            _check_member(info, limits)
            if info.filename in names:
                raise PackageError(f"数据包中有重复的文件：{info.filename}")
            names.add(info.filename)
            total += info.file_size
        if total > limits.total_bytes:
            raise PackageError("数据包解压后超过大小上限。")
        if MANIFEST not in names:
            raise PackageError("数据包缺少清单（manifest.json），不是有效的数据包。")
        raw = zf.read(MANIFEST)
        if len(raw) > limits.manifest_bytes:
            raise PackageError("数据包清单过大。")
        manifest = loads(raw, "清单", limits.json_depth)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise PackageError("这不是本程序的数据包（清单格式不对）。")
        version = manifest.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise PackageError("数据包的格式版本无效。")
        if version > FORMAT_VERSION:
            raise PackageError(f"数据包由更新版本的程序导出（格式版本 {version}），"
                               "请先升级本程序再导入。")
        validate_manifest(manifest)
        members = manifest["members"]
        listed = set(members) | {MANIFEST}
        extra = names - listed
        if extra:
            raise PackageError(f"数据包中有清单未列出的文件：{sorted(extra)[0]}")
        missing = set(members) - names
        if missing:
            raise PackageError(f"数据包缺少清单所列的文件：{sorted(missing)[0]}")
        for info in infos:
            if info.filename == MANIFEST:
                continue
            if check is not None:
                check()
            digest, size = _sha256_member(zf, info)
            want = members[info.filename]
            if digest != want["sha256"] or size != want["size"]:
                raise PackageError(f"数据包中的文件校验不符（已损坏或被改动）：{info.filename}")
        declared = manifest["device"].get("public_key")
        if signed is None and declared:
            raise PackageError("数据包缺少签名（文件可能被截断或改动），已拒绝导入。")
        if signed is not None and declared != signed.public_key:
            raise PackageError("数据包清单中的设备公钥与签名的公钥不符，数据包可能被篡改。")
    except PackageError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        # zlib.error is an Exception subclass raised by bad deflate data
        raise PackageError(f"数据包已损坏，无法读取（{type(exc).__name__}）。") from None
    except Exception as exc:  # zlib.error and struct.error from damaged members
        if type(exc).__module__ in ("zlib", "struct") or type(exc).__name__ == "error":
            raise PackageError("数据包已损坏，无法解压。") from None
        raise
    finally:
        zf.close()
    return Package(path, sha256, manifest, raw, signed, names, limits)
