"""Password encryption of a whole package, for packages that leave the office.

The key comes from the password with scrypt; the package is encrypted with AES-256-GCM in
chunks of 1 MiB, each with its own nonce (a random prefix, the chunk's number and a last-chunk
flag), so a package of any size is encrypted and decrypted in constant memory, and a chunk
that is cut off, reordered or changed is detected. A second value derived from the password
is stored as a hash, so a wrong password is told apart from a damaged file.

File layout: ``MAGIC``, a 4-byte big-endian header length, the header (JSON), then the chunks.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from sync.format import strict_json

MAGIC = b"SYPKG-ENCRYPTED\x00"
CHUNK = 1024 * 1024
TAG = 16
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# Bounds on what a header may ask for, so a hostile file cannot make scrypt eat the machine.
_N_RANGE, _R_MAX, _P_MAX, _HEADER_MAX = (2**14, 2**20), 16, 4, 4096


class CryptoError(ValueError):
    """The package cannot be decrypted. The message is Chinese."""


class WrongPassword(CryptoError):
    pass


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> tuple[bytes, bytes]:
    raw = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(password.encode("utf-8"))
    return raw[:32], raw[32:]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypt_file(source: Path, target: BinaryIO, password: str, *,
                 check: Callable[[], None] | None = None) -> None:
    """Write ``source`` encrypted with ``password`` to ``target``."""
    if not password:
        raise CryptoError("密码不能为空。")
    salt, prefix = os.urandom(16), os.urandom(7)
    key, verifier = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    header = json.dumps({
        "kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
        "salt": base64.b64encode(salt).decode(), "cipher": "AES-256-GCM", "chunk": CHUNK,
        "nonce_prefix": base64.b64encode(prefix).decode(),
        "check": hashlib.sha256(verifier).hexdigest(),
    }, sort_keys=True).encode()
    target.write(MAGIC + struct.pack(">I", len(header)) + header)
    aead = AESGCM(key)
    size = source.stat().st_size
    with source.open("rb") as fh:
        index = 0
        while True:
            if check is not None:
                check()
            block = fh.read(CHUNK)
            last = fh.tell() >= size
            target.write(aead.encrypt(_nonce(prefix, index, last), block, header))
            index += 1
            if last:
                break


def decrypt_file(source: Path, target: BinaryIO, password: str, *, max_bytes: int,
                 check: Callable[[], None] | None = None) -> None:
    """Write the decrypted package to ``target``. :class:`WrongPassword` for a wrong password,
    :class:`CryptoError` for a damaged, cut off or oversized file."""
    with source.open("rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise CryptoError("这不是加密的数据包。")
        try:
            (length,) = struct.unpack(">I", fh.read(4))
            if not 0 < length <= _HEADER_MAX:
                raise ValueError
            header = fh.read(length)
            info = strict_json(header)
            n, r, p = int(info["n"]), int(info["r"]), int(info["p"])
            chunk = int(info["chunk"])
            salt = base64.b64decode(info["salt"], validate=True)
            prefix = base64.b64decode(info["nonce_prefix"], validate=True)
            expected = str(info["check"])
            if (info.get("cipher") != "AES-256-GCM" or info.get("kdf") != "scrypt"
                    or not _N_RANGE[0] <= n <= _N_RANGE[1] or n & (n - 1) or not 1 <= r <= _R_MAX
                    or not 1 <= p <= _P_MAX or chunk != CHUNK or len(prefix) != 7
                    or not 8 <= len(salt) <= 64):
                raise ValueError
        except (ValueError, KeyError, TypeError, struct.error, json.JSONDecodeError):
            raise CryptoError("加密数据包的文件头已损坏。") from None
        key, verifier = _derive(password, salt, n, r, p)
        if hashlib.sha256(verifier).hexdigest() != expected:
            raise WrongPassword("密码不正确，未能打开数据包。")
        aead = AESGCM(key)
        index, written = 0, 0
        while True:
            if check is not None:
                check()
            block = fh.read(CHUNK + TAG)
            if not block:
                raise CryptoError("加密数据包不完整（文件被截断）。")
            at_end = not fh.peek(1) if hasattr(fh, "peek") else False
            try:
                plain = aead.decrypt(_nonce(prefix, index, at_end), block, header)
            except InvalidTag:
                if not at_end:
                    try:  # a last chunk followed by more bytes: trailing garbage
                        aead.decrypt(_nonce(prefix, index, True), block, header)
                    except InvalidTag:
                        pass
                    else:
                        raise CryptoError("加密数据包末尾有多余的数据。") from None
                raise CryptoError("加密数据包已损坏或被截断。") from None
            written += len(plain)
            if written > max_bytes:
                raise CryptoError("加密数据包解密后超过大小上限。")
            target.write(plain)
            index += 1
            if at_end:
                return
