"""Key–value settings kept in the database, so they travel with a backup of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.held import get_held
from models.system import DEVICE_ID as DEVICE_ID  # re-exported: the settings keys live here
from models.system import Setting
from models.system import ensure_device_id as ensure_device_id
from rules.limits import SHORT_TEXT_MAX
from rules.text_check import check_text

JURISDICTION = "jurisdiction"  # region code of the user's jurisdiction
ORGANISATION = "organisation"  # 机关名称
ORG_CODE = "org_code"  # 机关代字
ORG_DEPARTMENT = "org_department"  # the user's own department kind label (卫生健康, …)
ORG_CONTACT = "org_contact"  # 联系人及电话 printed on the documents the office issues
DEMO = "demo"  # true in a demo database: its records may never leave in a package
#: 本机名称: how this computer names itself in the packages and receipts it writes (张三的笔记本);
#: one per computer (several computers share a server's database), by its device id
COMPUTER_NAME = "computer_name"
#: The longest 本机名称.
COMPUTER_NAME_MAX = 30


def computer_name_key(device_id: str | None) -> str:
    return f"{COMPUTER_NAME}:{device_id or ''}"


def set_computer_name(session: Session, name: str | None) -> None:
    """Name this computer (None or empty: its host name again)."""
    text = check_text(name, label="本机名称", limit=COMPUTER_NAME_MAX, multiline=False)
    if text and any(ch in text for ch in "（）()"):
        raise ValueError("本机名称中不要使用括号：对方看到的名称会是“机关名称（本机名称）”。")
    set_setting(session, computer_name_key(session.info.get("device_id")), text)


def computer_name(session: Session) -> str | None:
    value = get_setting(session, computer_name_key(session.info.get("device_id")))
    return value if isinstance(value, str) and value else None


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = get_held(session, Setting, key)
    return default if row is None else row.value


#: What the user types into 设置, named as the dialog names it (checked before it is stored).
_TYPED = {ORGANISATION: "机关名称", ORG_CODE: "机关代字", ORG_CONTACT: "联系人及电话"}


def set_setting(session: Session, key: str, value: Any) -> None:
    if key in _TYPED and isinstance(value, str):
        value = check_text(value, label=_TYPED[key], limit=SHORT_TEXT_MAX, multiline=False)
    row = get_held(session, Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
