"""This installation's signing key (Ed25519) and what others see of it: the fingerprint.

The private key lives in the user data folder (``keys/device-ed25519.pem``), readable by the
user alone, and is made on first use. Every package and every receipt is signed with it. A
supervisor trusts a laptop by comparing its fingerprint, shown in short groups on both screens.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from models.paths import data_dir

KEY_FILE = "device-ed25519.pem"


class SigningKeyError(OSError):
    """The signing key cannot be read or written. The message is Chinese."""


def key_dir() -> Path:
    return data_dir() / "keys"


def fingerprint(public_key: bytes) -> str:
    """SHA-256 of the raw public key, in hex."""
    return hashlib.sha256(public_key).hexdigest()


def show_fingerprint(fp: str, groups: int = 8) -> str:
    """The fingerprint as people compare it: ``3F2A 9C01 …`` (the first 32 hex digits)."""
    text = fp.upper()[: groups * 4]
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True)
class DeviceKey:
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.Raw,
                                                      serialization.PublicFormat.Raw)

    @property
    def public_hex(self) -> str:
        return self.public_bytes.hex()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_bytes)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def load_or_create(folder: Path | None = None) -> DeviceKey:
    """This installation's key, made (owner-only permissions) on first use."""
    folder = folder or key_dir()
    path = folder / KEY_FILE
    try:
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise SigningKeyError(f"签名密钥文件格式不对：{path}")
            return DeviceKey(key)
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        # Written whole under a name of this process's own, then linked into place only if no
        # other program (a second command started at the same moment) made the key first:
        # then that one is used, and both sign with the same key.
        tmp = folder / f".{KEY_FILE}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return load_or_create(folder)
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
            return DeviceKey(key)
        finally:
            tmp.unlink(missing_ok=True)
        return DeviceKey(key)
    except ValueError:
        raise SigningKeyError(f"签名密钥文件已损坏：{path}") from None
    except OSError as exc:
        if isinstance(exc, SigningKeyError):
            raise
        raise SigningKeyError(f"无法读写本机签名密钥（{path}）：{exc.strerror or exc}") from None


def verify(public_hex: str, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is the key's signature of ``data``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
