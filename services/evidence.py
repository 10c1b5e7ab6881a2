"""Photos and files attached to an inspection or to one of its findings.

The original bytes are kept as they are, addressed by SHA-256 (:mod:`models.evidence_store`);
the upright thumbnail and report copy are made with Pillow after applying the EXIF orientation.
The capture time is the photo's EXIF DateTimeOriginal (with OffsetTimeOriginal when present,
else read as this computer's local time), or else the file's modification time.

Photos may be JPEG, PNG or WebP. HEIC/HEIF (iPhone photos) are refused for now: Pillow has no
decoder, and none comes as pure Python. The PyPI options (pillow-heif, or its read-only sibling
pi-heif) carry libheif and an HEVC decoder as native libraries inside their wheels — a new
native dependency for the offline installer to bundle and check, with the patent and licence
questions HEVC brings, which is a decision for the project (pyproject.toml) rather than this
module. Should it be taken, ``pi_heif.register_heif_opener()`` plus a "HEIF" entry in
PHOTO_FORMATS is all this module needs. Until then the error tells the user to export the
photo as JPEG (on an iPhone: 设置 → 相机 → 格式 → 兼容性最佳).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.evidence_store import (
    StoreError,
    object_path,
    put_file,
    report_copy_path,
    thumbnail_path,
    write_atomic,
)
from models.inspection import Evidence, Finding
from models.utc import from_db, to_utc
from rules.filetype import UNKNOWN, FileType, clean_display_name, kind_of, name_mismatch, sniff
from rules.limits import NAME_MAX, SHORT_TEXT_MAX
from rules.text_check import check_text
from services.audit import audit
from services.inspection_access import InspectionError, editable
from services.settings import get_setting

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_BYTES_SETTING = "evidence_max_bytes"  # a setting overrides the default limit
THUMB_PX = 256
REPORT_PX = 1600
PHOTO_FORMATS = {"JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png"),
                 "WEBP": (".webp", "image/webp")}
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL = 36867, 36881


class EvidenceError(ValueError):
    """A photo or file cannot be added. The message is Chinese."""


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    uuid: str
    inspection_id: int
    item_code: str | None
    kind: str  # photo | file
    sha256: str
    ext: str
    original_name: str
    size_bytes: int
    width: int | None
    height: int | None
    captured_at: datetime | None
    captured_source: str | None  # exif | file
    photographer: str | None
    caption: str | None
    mime: str | None = None
    #: What the content is (from its first bytes, not its name), in Chinese: "PDF 文档"…
    real_type: str | None = None
    #: The name claims another type than the content (e.g. a program named ``照片.jpg``).
    type_mismatch: bool = False


@dataclass(frozen=True)
class _Photo:
    ext: str
    mime: str
    width: int
    height: int
    captured_at: datetime | None


def add_evidence(session: Session, inspection_id: int, path: Path, *, store_root: Path,
                 kind: str = "photo", item_code: str | None = None,
                 photographer: str | None = None, caption: str | None = None,
                 max_bytes: int | None = None, user: str | None = None) -> EvidenceInfo:
    """Store a photo or file and add its row (the caller commits after the files are safe).

    The same file attached twice to the same item is stored and listed once.
    """
    if kind not in ("photo", "file"):
        raise EvidenceError(f"证据类型应为 photo 或 file，而不是“{kind}”")
    inspection = editable(session, inspection_id, "添加照片或附件")
    finding = _finding(session, inspection_id, item_code)
    said, by = _caption(caption), _photographer(photographer)  # checked before any file
    path = Path(path)
    limit = max_bytes or int(get_setting(session, MAX_BYTES_SETTING, DEFAULT_MAX_BYTES))
    _checked_size(path, limit)
    photo = _read_photo(path) if kind == "photo" else None
    content = photo.mime if photo else _sniff(path).mime
    name = clean_display_name(path.name)
    ext = photo.ext if photo else _stored_ext(name)
    try:
        sha, size = put_file(store_root, path, ext, limit)
        # The same bytes stored before under another extension: keep that one file only.
        ext = _settle_ext(session, store_root, sha, ext)
        if photo is not None:
            _derivatives(store_root, object_path(store_root, sha, ext), sha)
    except StoreError as exc:
        raise EvidenceError(f"{name}：{exc}") from None
    except OSError as exc:
        raise EvidenceError(f"无法保存 {name}：{exc.strerror or exc}") from None
    # Copying and thumbnailing take a while: the record may have been completed or signed
    # meanwhile (another window), so look again just before the row is written.
    session.refresh(inspection)
    inspection = editable(session, inspection_id, "添加照片或附件")
    same_place = (Evidence.finding_id == finding.id) if finding else \
        Evidence.finding_id.is_(None)
    same = session.scalars(select(Evidence).where(
        Evidence.inspection_id == inspection_id, Evidence.sha256 == sha, same_place)).first()
    if same is not None:
        return _info(same, item_code)
    captured, source = (photo.captured_at, "exif") if photo and photo.captured_at else \
        (_file_time(path), "file")
    row = Evidence(inspection_id=inspection_id, finding_id=finding.id if finding else None,
                   kind=kind, sha256=sha, ext=ext, original_name=name,
                   mime=content, size_bytes=size,
                   width=photo.width if photo else None, height=photo.height if photo else None,
                   captured_at=captured, captured_source=source,
                   photographer=by, caption=said)
    session.add(row)
    session.flush()
    audit(session, "add_evidence", "evidence", row.uuid,
          {"inspection": inspection.uuid, "item": item_code, "sha256": sha, "kind": kind,
           "name": row.original_name}, user=user)
    return _info(row, item_code)


def list_evidence(session: Session, inspection_id: int, *,
                  item_code: str | None = None) -> list[EvidenceInfo]:
    stmt = (select(Evidence, Finding.item_code)
            .outerjoin(Finding, Evidence.finding_id == Finding.id)
            .where(Evidence.inspection_id == inspection_id).order_by(Evidence.id))
    if item_code is not None:
        stmt = stmt.where(Finding.item_code == item_code)
    return [_info(e, code) for e, code in session.execute(stmt)]


def set_caption(session: Session, evidence_id: int, *, caption: str | None,
                photographer: str | None = None, user: str | None = None) -> None:
    row = _row(session, evidence_id)
    editable(session, row.inspection_id, "修改照片说明")
    row.caption = _caption(caption)
    if photographer is not None:
        row.photographer = _photographer(photographer)
    audit(session, "update", "evidence", row.uuid,
          {"caption": row.caption, "photographer": row.photographer}, user=user)


def remove_evidence(session: Session, evidence_id: int, *, user: str | None = None) -> None:
    """Detach a photo or file from a draft inspection (the stored file is kept)."""
    row = _row(session, evidence_id)
    editable(session, row.inspection_id, "删除照片或附件")
    audit(session, "delete", "evidence", row.uuid,
          {"sha256": row.sha256, "name": row.original_name}, user=user)
    session.delete(row)


def evidence_files(store_root: Path, info: EvidenceInfo) -> dict[str, Path]:
    """The stored original, and for photos the thumbnail and report copy."""
    out = {"original": object_path(store_root, info.sha256, info.ext)}
    if info.kind == "photo":
        out["thumbnail"] = thumbnail_path(store_root, info.sha256)
        out["report"] = report_copy_path(store_root, info.sha256)
    return out


def _sniff(path: Path) -> FileType:
    try:
        with path.open("rb") as fh:
            return sniff(fh.read(4096))
    except OSError:
        return UNKNOWN


def _stored_ext(name: str) -> str:
    """The extension a file is stored under: its name's, if it is a plain one."""
    suffix = Path(name).suffix.lower()[:16]
    return suffix if suffix[1:].isalnum() else ""


def _settle_ext(session: Session, root: Path, sha: str, ext: str) -> str:
    """The extension the store keeps ``sha`` under. When a row already names the same content
    with another extension, the copy just written under ``ext`` is removed (unless a row names
    it too) and the existing one is used, so no file is left that no row refers to."""
    others = set(session.scalars(select(Evidence.ext).where(Evidence.sha256 == sha)))
    if not others or ext in others:
        return ext
    keep = sorted(others)[0]
    if object_path(root, sha, keep).is_file():
        object_path(root, sha, ext).unlink(missing_ok=True)
        return keep
    return ext


def _caption(text: str | None) -> str | None:
    return check_text(text, label="照片说明", limit=SHORT_TEXT_MAX, error=EvidenceError)


def _photographer(text: str | None) -> str | None:
    return check_text(text, label="拍摄人", limit=NAME_MAX, multiline=False,
                      error=EvidenceError)


def _checked_size(path: Path, limit: int) -> None:
    """Refuse a missing, empty or oversized file from its size alone, before reading it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise EvidenceError(f"找不到文件：{path}") from None
    except OSError as exc:
        raise EvidenceError(f"无法读取 {path.name}：{exc.strerror}") from None
    if not path.is_file():
        raise EvidenceError(f"{path.name} 不是文件")
    if size > limit:
        raise EvidenceError(f"{path.name} 有 {size / 1048576:.1f} MB，超过 "
                            f"{limit / 1048576:.0f} MB 的大小限制，请压缩后再添加")
    if size == 0:
        raise EvidenceError(f"{path.name} 是空文件")


def _read_photo(path: Path) -> _Photo:
    with path.open("rb") as fh:
        head = fh.read(32)
    heif_box = head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS
    if heif_box or path.suffix.lower() in (".heic", ".heif", ".avif"):
        raise EvidenceError(f"{path.name} 是 HEIC/HEIF 格式，本软件暂不支持。请在手机上导出为 "
                            "JPEG 后再添加（iPhone：设置 → 相机 → 格式 → 兼容性最佳）")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.format not in PHOTO_FORMATS:
                    raise EvidenceError(f"{path.name} 是 {img.format} 图片，只支持 JPEG、PNG、"
                                        "WebP，请另存为 JPEG 后再添加")
                ext, mime = PHOTO_FORMATS[img.format]
                exif = img.getexif()
                img.load()
                upright = ImageOps.exif_transpose(img)
                width, height = upright.size
    except EvidenceError:
        raise
    except UnidentifiedImageError:
        raise EvidenceError(f"{path.name} 不是图片文件，不能作为照片添加") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceError(f"{path.name} 的像素尺寸过大，请缩小后再添加") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise EvidenceError(f"{path.name} 已损坏或无法读取（{exc}）") from None
    return _Photo(ext, mime, width, height, _exif_time(exif))


def _exif_time(exif: Image.Exif) -> datetime | None:
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    raw = sub.get(_DATETIME_ORIGINAL)
    if not isinstance(raw, str):
        return None
    try:
        taken = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(_OFFSET_ORIGINAL)
    if isinstance(offset, str) and len(offset.strip("\x00 ")) >= 6:
        text = offset.strip("\x00 ")
        try:
            sign = -1 if text[0] == "-" else 1
            delta = timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
            return to_utc(taken.replace(tzinfo=timezone(sign * delta)))
        except ValueError:
            pass
    return to_utc(taken)  # local camera time, read as this computer's zone


def ensure_derivatives(root: Path, sha: str, ext: str) -> bool:
    """Make a stored photo's thumbnail and report copy if they are missing (a photo merged
    from another laptop). False when the file cannot be read as an image."""
    try:
        _derivatives(root, object_path(root, sha, ext), sha)
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _derivatives(root: Path, original: Path, sha: str) -> None:
    with Image.open(original) as img:
        upright = ImageOps.exif_transpose(img)
        rgb = _rgb(upright)
    for target, px in ((thumbnail_path(root, sha), THUMB_PX), (report_copy_path(root, sha),
                                                               REPORT_PX)):
        if target.exists():
            continue
        copy = rgb.copy()
        copy.thumbnail((px, px), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        copy.save(buf, "JPEG", quality=85, optimize=True)
        write_atomic(target, buf.getvalue(), root)


def _rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "P"):
        rgba = img.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return img.convert("RGB")


def _file_time(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _finding(session: Session, inspection_id: int, item_code: str | None) -> Finding | None:
    if item_code is None:
        return None
    row = session.scalars(select(Finding).where(Finding.inspection_id == inspection_id,
                                                Finding.item_code == item_code)).first()
    if row is None:
        raise InspectionError(f"本次检查清单中没有检查项 {item_code}")
    return row


def _row(session: Session, evidence_id: int) -> Evidence:
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise EvidenceError(f"找不到照片或附件（编号 {evidence_id}）")
    return row


def _info(row: Evidence, item_code: str | None) -> EvidenceInfo:
    name = clean_display_name(row.original_name)
    kind = kind_of(row.mime)
    label = None if kind is None else kind.label
    mismatch = kind is not None and name_mismatch(name, kind)
    return EvidenceInfo(row.id, row.uuid, row.inspection_id, item_code, row.kind, row.sha256,
                        row.ext, name, row.size_bytes, row.width, row.height,
                        from_db(row.captured_at), row.captured_source, row.photographer,
                        row.caption, row.mime, label, mismatch)
