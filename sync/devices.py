"""Trusted devices: the laptops whose packages this database accepts without asking.

A device is trusted by its key's fingerprint, after a person compared it on both screens; a
revoked device's packages are refused. The list also shows what each device has sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.sync import ImportLog, TrustedDevice
from sync import keys

TRUSTED, REVOKED, UNKNOWN = "trusted", "revoked", "unknown"
STATUS_LABELS = {TRUSTED: "已信任", REVOKED: "已撤销", UNKNOWN: "未信任"}


class DeviceError(ValueError):
    """A device cannot be trusted or revoked as asked. The message is Chinese."""


@dataclass(frozen=True)
class DeviceInfo:
    fingerprint: str
    name: str
    device_id: str | None
    status: str
    added_at: datetime | None
    last_package_at: datetime | None
    packages: int
    records: int  # records merged from its packages

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def short_fingerprint(self) -> str:
        return keys.show_fingerprint(self.fingerprint)


def list_devices(session: Session) -> list[DeviceInfo]:
    """Trusted and revoked devices, and the unknown ones whose packages were imported."""
    stats: dict[str, tuple[datetime | None, int, int, str | None, str | None]] = {}
    for fp, at, counts, name, dev in session.execute(
            select(ImportLog.fingerprint, ImportLog.at, ImportLog.counts, ImportLog.device_name,
                   ImportLog.device_id).where(ImportLog.fingerprint.is_not(None))
            .order_by(ImportLog.at)):
        last, n, records, _name, _dev = stats.get(fp, (None, 0, 0, None, None))
        merged = sum(v for per in (counts or {}).values() for k, v in per.items()
                     if k in ("new", "updated", "conflict"))
        stats[fp] = (at, n + 1, records + merged, name, dev)
    out = []
    known = set()
    for d in session.scalars(select(TrustedDevice).order_by(TrustedDevice.added_at)):
        known.add(d.fingerprint)
        last, n, records, _name, _dev = stats.get(d.fingerprint, (None, 0, 0, None, None))
        out.append(DeviceInfo(d.fingerprint, d.name, d.device_id, d.status, d.added_at, last, n,
                              records))
    for fp, (last, n, records, name, dev) in stats.items():
        if fp not in known:
            out.append(DeviceInfo(fp, name or fp[:8], dev, UNKNOWN, None, last, n, records))
    return out


def _find(session: Session, fingerprint: str) -> tuple[str, str | None, str | None, str | None]:
    """(fingerprint, public key, name, device id) of a device named by (part of) its
    fingerprint, from the trusted list or the import history."""
    wanted = fingerprint.replace(" ", "").lower()
    if len(wanted) < 8:
        raise DeviceError("请至少输入指纹的前 8 位。")
    found: dict[str, tuple[str, str | None, str | None, str | None]] = {}
    for d in session.scalars(select(TrustedDevice)):
        if d.fingerprint.startswith(wanted):
            found[d.fingerprint] = (d.fingerprint, d.public_key, d.name, d.device_id)
    for fp, pk, name, dev in session.execute(
            select(ImportLog.fingerprint, ImportLog.public_key, ImportLog.device_name,
                   ImportLog.device_id).where(ImportLog.fingerprint.like(f"{wanted}%"))):
        if fp is not None:
            found.setdefault(fp, (fp, pk, name, dev))
    if not found:
        raise DeviceError(f"没有指纹以 {fingerprint} 开头的设备。还没有导入过它的数据包时，"
                          "可以直接给出它的数据包文件：devices trust 数据包文件 --name 名称。")
    if len(found) > 1:
        raise DeviceError(f"指纹 {fingerprint} 对应多台设备，请输入更多位。")
    return next(iter(found.values()))


def trust_device(session: Session, *, fingerprint: str | None = None,
                 public_key: str | None = None, name: str | None = None,
                 device_id: str | None = None) -> DeviceInfo:
    """Trust a device, named by its public key (from a package) or by its fingerprint (of a
    device whose package was imported before)."""
    if public_key:
        try:
            fp = keys.fingerprint(bytes.fromhex(public_key))
        except ValueError:
            raise DeviceError("设备公钥格式不对。") from None
    elif fingerprint:
        fp, public_key, found_name, found_dev = _find(session, fingerprint)
        name, device_id = name or found_name, device_id or found_dev
        if not public_key:
            raise DeviceError("该设备的数据包没有签名，无法信任。")
    else:
        raise DeviceError("请指定设备的指纹。")
    row = session.get(TrustedDevice, fp)
    if row is None:
        row = TrustedDevice(fingerprint=fp, public_key=public_key, name=name or fp[:8],
                            device_id=device_id, status=TRUSTED)
        session.add(row)
    else:
        row.status, row.revoked_at = TRUSTED, None
        if name:
            row.name = name
    session.flush()
    return next(d for d in list_devices(session) if d.fingerprint == fp)


def revoke_device(session: Session, fingerprint: str) -> DeviceInfo:
    """Refuse this device's packages from now on."""
    fp, public_key, name, device_id = _find(session, fingerprint)
    row = session.get(TrustedDevice, fp)
    if row is None:
        if not public_key:
            raise DeviceError("该设备的数据包没有签名，无需撤销。")
        row = TrustedDevice(fingerprint=fp, public_key=public_key, name=name or fp[:8],
                            device_id=device_id)
        session.add(row)
    row.status, row.revoked_at = REVOKED, datetime.now(UTC)
    session.flush()
    return next(d for d in list_devices(session) if d.fingerprint == fp)


def device_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(TrustedDevice.status, func.count())
                           .group_by(TrustedDevice.status)).all()
    return {status: int(n) for status, n in rows}


def given_names(session: Session) -> dict[str, str]:
    """The names the user gave trusted devices, by fingerprint (a name that is only the
    fingerprint's start is no name)."""
    return {fp: name for fp, name in session.execute(
        select(TrustedDevice.fingerprint, TrustedDevice.name)) if name and name != fp[:8]}


def sender_name(own: str | None, fingerprint: str | None, given: dict[str, str]) -> str:
    """A sending device as the user knows it: the name given when trusting it, with the
    name the device gives itself beside it."""
    own = own or ""
    name = given.get(fingerprint or "")
    if name and name != own:
        return f"{name}（{own}）" if own else name
    return own


def senders_by_package(session: Session) -> dict[str, str]:
    """Who sent each package imported here, by its hash, as the user now names the device."""
    given = given_names(session)
    return {sha: sender_name(own, fp, given) for sha, fp, own in session.execute(
        select(ImportLog.package_sha256, ImportLog.fingerprint, ImportLog.device_name))
        if own or fp in given}

