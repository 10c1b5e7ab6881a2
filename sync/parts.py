"""Splitting a package into parts of a chosen size (chat apps cap file sizes), and joining them.

Each part is a small header line (JSON: the package's hash, this part's number, how many there
are) followed by its slice of the package. Joining checks that every part is there once, that
they belong to the same package, and that the joined bytes have the package's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from sync.format import strict_json
from sync.package import file_sha256

MAGIC = b"SYPKG-PART\x00"
_HEADER_MAX = 1024


class PartsError(ValueError):
    """The parts cannot be joined into one package. The message is Chinese."""


def is_part(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def package_groups(files: list[Path]) -> list[list[Path]]:
    """The packages among the files given, in the order given: the parts of each split
    package together (by the package their headers name, in its first part's place), every
    other file a package of its own. A part whose header cannot be read goes with the first
    split package, whose import then says what is wrong with it."""
    groups: list[list[Path]] = []
    split: dict[str, list[Path]] = {}
    for path in files:
        try:
            with path.open("rb") as fh:
                package = str(_read_header(fh, path)["package_sha256"]) if is_part(path) else None
        except PartsError:
            package = next(iter(split), "")
        except OSError:
            package = None  # the import says why it cannot be read
        if package is None:
            groups.append([path])
        elif package in split:
            split[package].append(path)
        else:
            split[package] = [path]
            groups.append(split[package])
    return groups


def part_names(target: Path, count: int) -> list[Path]:
    """``报送.sypkg`` → ``报送.part1of3.sypkg`` …"""
    stem, suffix = target.stem, target.suffix or ".sypkg"
    return [target.with_name(f"{stem}.part{i}of{count}{suffix}") for i in range(1, count + 1)]


def split(source: Path, target: Path, part_bytes: int) -> list[Path]:
    """Write ``source`` as parts named after ``target``; returns their paths."""
    size = source.stat().st_size
    payload = max(1, part_bytes - _HEADER_MAX)
    count = max(1, -(-size // payload))
    digest = file_sha256(source)
    names = part_names(target, count)
    with source.open("rb") as fh:
        for index, name in enumerate(names, start=1):
            header = json.dumps({"package_sha256": digest, "part": index, "parts": count,
                                 "size": size}, sort_keys=True).encode()
            tmp = name.with_name(name.name + ".tmp")
            with tmp.open("wb") as out:
                out.write(MAGIC + header + b"\n")
                out.write(fh.read(payload))
            tmp.replace(name)
    return names


def _read_header(fh: BinaryIO, path: Path) -> dict[str, object]:
    if fh.read(len(MAGIC)) != MAGIC:
        raise PartsError(f"{path.name} 不是数据包的分卷。")
    line = fh.readline(_HEADER_MAX)
    try:
        info = strict_json(line)
        if not (isinstance(info, dict) and isinstance(info.get("part"), int)
                and isinstance(info.get("parts"), int) and isinstance(info.get("size"), int)
                and isinstance(info.get("package_sha256"), str)):
            raise ValueError
    except ValueError:
        raise PartsError(f"{path.name} 的分卷信息已损坏。") from None
    return info


def join(paths: Sequence[Path], target: BinaryIO, *, max_bytes: int) -> str:
    """Join the parts (in any order) into ``target``; returns the package's SHA-256."""
    headers = {}
    for path in paths:
        with path.open("rb") as fh:
            info = _read_header(fh, path)
        headers[path] = info
    digests = {str(h["package_sha256"]) for h in headers.values()}
    counts = {int(h["parts"]) for h in headers.values()}  # type: ignore[call-overload]
    if len(digests) != 1 or len(counts) != 1:
        raise PartsError("所选分卷不属于同一个数据包。")
    count = counts.pop()
    numbers = sorted(int(h["part"]) for h in headers.values())  # type: ignore[call-overload]
    if numbers != list(range(1, count + 1)):
        missing = sorted(set(range(1, count + 1)) - set(numbers))
        if missing:
            raise PartsError(f"数据包共 {count} 卷，缺少第 {'、'.join(map(str, missing))} 卷。")
        raise PartsError("同一分卷选了两次。")
    size = int(next(iter(headers.values()))["size"])  # type: ignore[call-overload]
    if size > max_bytes:
        raise PartsError("数据包超过大小上限。")
    digest = hashlib.sha256()
    written = 0
    for path, _info in sorted(headers.items(), key=lambda kv: int(kv[1]["part"])):  # type: ignore[call-overload]
        with path.open("rb") as fh:
            _read_header(fh, path)
            while block := fh.read(1024 * 1024):
                written += len(block)
                if written > size:
                    raise PartsError("分卷内容比记录的长度多，已损坏。")
                digest.update(block)
                target.write(block)
    if written != size or digest.hexdigest() != digests.pop():
        raise PartsError("分卷合并后校验不符：有分卷已损坏或不完整。")
    return digest.hexdigest()
