"""What to tell the user about an error, in Chinese."""

from __future__ import annotations


def error_text(exc: BaseException) -> str:
    """What to tell the user about an error nobody handled, in Chinese."""
    from models.db import DatabaseError, disk_full_message

    full = disk_full_message(exc)
    if full is not None:
        return full
    if "database is locked" in f"{exc} {exc.__cause__}":
        return "数据库正被另一项操作占用，刚才的修改没有保存。请稍等片刻再试一次。"
    if isinstance(exc, DatabaseError | ValueError):  # services raise these with Chinese text
        return str(exc)
    if isinstance(exc, OSError):
        return f"读写文件失败：{exc.strerror or exc}（{exc.filename or ''}）。刚才的操作没有完成。"
    return f"程序出错，刚才的操作没有完成：{type(exc).__name__}：{exc}"
