"""Signatures on a completed inspection record, and refusals to sign (拒签) before a witness.

A signature is the PNG the signing pad produced, kept in the evidence store by its hash, with
the signer's role, name and time. When the unit's person refuses to sign, the refusal is
recorded with a witness (name and ID number or unit) who may sign in turn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.evidence_store import StoreError, object_path, put_bytes
from models.inspection import Inspection, Signature
from models.utc import from_db
from rules.inspection_status import (
    COMPLETED,
    ENFORCEMENT,
    ROLE_OFFICER,
    ROLE_PARTY,
    ROLE_WITNESS,
    SIGNER_ROLES,
    SUPERVISION,
)
from rules.limits import NAME_MAX
from rules.text_check import check_text
from services.audit import audit
from services.entities import clean
from services.inspection_access import InspectionError, load, require_status
from services.officers import officer_names

MAX_SIGNATURE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SignatureInfo:
    id: int
    uuid: str
    role: str
    name: str
    image_sha256: str | None
    signed_at: datetime
    refused: bool
    refusal_reason: str | None
    witness_name: str | None
    witness_id: str | None


def signature_image(store_root: Path, sha256: str) -> Path:
    """Where a signature's image is kept in the evidence folder."""
    return object_path(store_root, sha256, ".png")


def add_signature(session: Session, inspection_id: int, *, role: str, name: str,
                  png: bytes | Path, store_root: Path, signed_at: datetime | None = None,
                  user: str | None = None) -> SignatureInfo:
    """Add one signature to a completed record. The image must be a PNG."""
    row = load(session, inspection_id)
    require_status(row, (COMPLETED,), "签名")
    if role not in SIGNER_ROLES:
        raise InspectionError(f"签名人身份应为{'、'.join(SIGNER_ROLES)}之一，而不是“{role}”")
    who = check_text(clean(name), label="签名人姓名", limit=NAME_MAX, multiline=False,
                     error=InspectionError)
    if who is None:
        raise InspectionError("请填写签名人姓名")
    if role == ROLE_OFFICER and who not in officer_names(session, row.id):
        raise InspectionError(f"{who} 不是本次检查的检查人员")
    if _existing(session, row.id, role, who) is not None:
        raise InspectionError(f"{who}（{role}）已经签名")
    sha = _store_png(store_root, png)
    sig = Signature(inspection_id=row.id, role=role, name=who, image_sha256=sha,
                    signed_at=signed_at or utcnow())
    session.add(sig)
    session.flush()
    audit(session, "sign", "signatures", sig.uuid,
          {"inspection": row.uuid, "role": role, "name": who, "image": sha}, user=user)
    return _info(sig)


def record_refusal(session: Session, inspection_id: int, *, name: str, witness_name: str,
                   witness_id: str, reason: str | None = None,
                   witness_png: bytes | Path | None = None, store_root: Path | None = None,
                   user: str | None = None) -> SignatureInfo:
    """The unit's person refused to sign (拒签); a witness (name, ID number or unit) attests
    it and may sign (``witness_png``)."""
    row = load(session, inspection_id)
    require_status(row, (COMPLETED,), "记录拒签")
    who, witness, witness_ref = clean(name), clean(witness_name), clean(witness_id)
    if who is None:
        raise InspectionError("请填写拒绝签名人员的姓名")
    if witness is None or witness_ref is None:
        raise InspectionError("拒签须有见证人：请填写见证人姓名及身份证号或工作单位")
    if _existing(session, row.id, ROLE_PARTY, who) is not None:
        raise InspectionError(f"{who}（{ROLE_PARTY}）已有签名或拒签记录")
    sha = None
    if witness_png is not None:
        if store_root is None:
            raise InspectionError("保存见证人签名需要证据文件夹")
        sha = _store_png(store_root, witness_png)
    refusal = Signature(inspection_id=row.id, role=ROLE_PARTY, name=who, refused=True,
                        refusal_reason=clean(reason), witness_name=witness,
                        witness_id=witness_ref, signed_at=utcnow())
    session.add(refusal)
    if sha is not None:
        session.add(Signature(inspection_id=row.id, role=ROLE_WITNESS, name=witness,
                              image_sha256=sha, witness_id=witness_ref, signed_at=utcnow()))
    session.flush()
    audit(session, "refuse_sign", "signatures", refusal.uuid,
          {"inspection": row.uuid, "name": who, "witness": witness, "witness_id": witness_ref,
           "reason": refusal.refusal_reason, "witness_image": sha}, user=user)
    return _info(refusal)


def list_signatures(session: Session, inspection_id: int) -> list[SignatureInfo]:
    rows = session.scalars(select(Signature).where(Signature.inspection_id == inspection_id)
                           .order_by(Signature.id))
    return [_info(r) for r in rows]


def signing_gaps(session: Session, row: Inspection) -> list[str]:
    """Who still has to sign before the record can be locked (Chinese lines)."""
    sigs = session.scalars(select(Signature).where(Signature.inspection_id == row.id)).all()
    signed_officers = {s.name for s in sigs if s.role == ROLE_OFFICER and not s.refused}
    gaps = [f"检查人员 {n} 尚未签名" for n in officer_names(session, row.id)
            if n not in signed_officers]
    if row.kind in (ENFORCEMENT, SUPERVISION):
        party = [s for s in sigs if s.role == ROLE_PARTY]
        if not party:
            gaps.append("被检查单位负责人尚未签名（拒签的须记录见证人）")
    return gaps


def _store_png(root: Path, png: bytes | Path) -> str:
    data = Path(png).read_bytes() if isinstance(png, Path) else png
    if len(data) > MAX_SIGNATURE_BYTES:
        raise InspectionError("签名图片过大")
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                raise InspectionError("签名图片应为 PNG 格式")
            img.load()
    except UnidentifiedImageError:
        raise InspectionError("签名不是有效的 PNG 图片") from None
    except (OSError, SyntaxError, ValueError):
        raise InspectionError("签名图片已损坏") from None
    try:
        return put_bytes(root, data, ".png")
    except (StoreError, OSError) as exc:
        raise InspectionError(f"无法保存签名图片：{exc}") from None


def _existing(session: Session, inspection_id: int, role: str, name: str) -> Signature | None:
    return session.scalars(select(Signature).where(
        Signature.inspection_id == inspection_id, Signature.role == role,
        Signature.name == name)).first()


def _info(row: Signature) -> SignatureInfo:
    signed = from_db(row.signed_at)
    assert signed is not None
    return SignatureInfo(row.id, row.uuid, row.role, row.name, row.image_sha256, signed,
                         bool(row.refused), row.refusal_reason, row.witness_name, row.witness_id)
