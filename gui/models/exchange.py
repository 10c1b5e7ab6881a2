"""The tables of the 数据交换 page: devices, packages received, packages sent, conflicts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtGui import QColor

from gui.models.base import ALIGN_CENTER, ALIGN_NUMBER, ATTENTION, MUTED, Column, RowTableModel
from rules.china_time import beijing
from sync.conflicts import RESOLUTION_LABELS, ConflictInfo
from sync.devices import DeviceInfo
from sync.history import ExportEntry, ImportEntry

OK = QColor("#1f7a3a")


def when(value: datetime | None) -> str:
    return beijing(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def _device_colour(d: DeviceInfo) -> QColor | None:
    return {"trusted": OK, "revoked": ATTENTION, "unknown": QColor("#8a4b00")}.get(d.status)


DEVICE_COLUMNS: tuple[Column[DeviceInfo], ...] = (
    Column("设备", lambda d: d.name, tooltip=lambda d: f"设备编号 {d.device_id or '未知'}"),
    Column("指纹", lambda d: d.short_fingerprint,
           tooltip=lambda d: "与对方电脑“设置”中显示的本机指纹逐组核对"),
    Column("状态", lambda d: d.status_label, align=ALIGN_CENTER, color=_device_colour),
    Column("最近数据包", lambda d: when(d.last_package_at), align=ALIGN_CENTER),
    Column("数据包", lambda d: d.packages, align=ALIGN_NUMBER),
    Column("合并的记录", lambda d: d.records, align=ALIGN_NUMBER),
)

IMPORT_COLUMNS: tuple[Column[ImportEntry], ...] = (
    Column("导入时间", lambda e: when(e.at), align=ALIGN_CENTER),
    Column("来自", lambda e: e.device_name, tooltip=lambda e: f"指纹 {e.fingerprint}"),
    Column("签名", lambda e: e.trust_label, align=ALIGN_CENTER,
           color=lambda e: OK if e.trust == "trusted" else QColor("#8a4b00")),
    Column("文件", lambda e: e.file_name + ("（演示）" if e.demo else ""),
           tooltip=lambda e: e.file_name),
    Column("新增", lambda e: e.new, align=ALIGN_NUMBER),
    Column("更新", lambda e: e.updated, align=ALIGN_NUMBER),
    Column("冲突", lambda e: e.conflicts, align=ALIGN_NUMBER,
           color=lambda e: ATTENTION if e.conflicts else None),
    Column("回执", lambda e: "已生成" if e.receipt_written else "—", align=ALIGN_CENTER),
)


def _receipt(e: ExportEntry) -> str:
    if e.missing is None:
        return "尚未收到回执"
    return "对方已收到全部记录" if e.missing == 0 else f"对方缺少 {e.missing} 条"


EXPORT_COLUMNS: tuple[Column[ExportEntry], ...] = (
    Column("导出时间", lambda e: when(e.at), align=ALIGN_CENTER),
    Column("接收方", lambda e: e.recipient or "（按条件选择）",
           color=lambda e: None if e.recipient else MUTED),
    Column("文件", lambda e: e.file_name + (f"（{e.parts} 卷）" if e.parts > 1 else ""),
           tooltip=lambda e: f"数据包编号 {e.package_id}"),
    Column("记录", lambda e: e.records, align=ALIGN_NUMBER),
    Column("加密", lambda e: "是" if e.encrypted else "否", align=ALIGN_CENTER),
    Column("回执", _receipt,
           color=lambda e: MUTED if e.missing is None else (OK if e.missing == 0 else ATTENTION),
           tooltip=lambda e: (f"{e.receipt_from} 于 {when(e.receipt_at)} 合并"
                              if e.receipt_from else "对方导入后会生成回执，请让对方交回")),
)

CONFLICT_COLUMNS: tuple[Column[ConflictInfo], ...] = (
    Column("编号", lambda c: f"#{c.id}", align=ALIGN_CENTER),
    Column("原因", lambda c: c.reason_label,
           color=lambda c: ATTENTION if c.status == "open" else None),
    Column("记录", lambda c: c.kind_label),
    Column("内容", lambda c: c.label, tooltip=lambda c: c.label),
    Column("来自", lambda c: c.from_device or "—"),
    Column("发现时间", lambda c: when(c.detected_at), align=ALIGN_CENTER),
    Column("状态", lambda c: "待处理" if c.status == "open"
           else RESOLUTION_LABELS.get(c.resolution or "", "已解决"),
           color=lambda c: ATTENTION if c.status == "open" else MUTED),
)


class DeviceTableModel(RowTableModel[DeviceInfo]):
    def __init__(self, rows: Sequence[DeviceInfo] = (), parent: Any = None) -> None:
        super().__init__(DEVICE_COLUMNS, rows, parent)


class ImportTableModel(RowTableModel[ImportEntry]):
    def __init__(self, rows: Sequence[ImportEntry] = (), parent: Any = None) -> None:
        super().__init__(IMPORT_COLUMNS, rows, parent)


class ExportTableModel(RowTableModel[ExportEntry]):
    def __init__(self, rows: Sequence[ExportEntry] = (), parent: Any = None) -> None:
        super().__init__(EXPORT_COLUMNS, rows, parent)


class ConflictTableModel(RowTableModel[ConflictInfo]):
    def __init__(self, rows: Sequence[ConflictInfo] = (), parent: Any = None) -> None:
        super().__init__(CONFLICT_COLUMNS, rows, parent)
