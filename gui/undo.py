"""Undo for the user's template layer.

Each edit (save, disable, enable, revert) is first applied through ``services.user_templates``;
then a :class:`LayerCommand` holding the item's layer state before and after is pushed onto a
``QUndoStack``. Undo and redo put that state back, one Session each, through the same
services, so every step is validated and audited like the original edit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from models.db import Database, Session
from services.user_templates import UserEdit, disable_item, revert_item, save_user_item, user_layer


def layer_state(session: Session, theme_code: str, item_code: str) -> UserEdit | None:
    """The item's row in the user layer now (a copy), or None when it has none."""
    edit = user_layer(session).get(theme_code, {}).get(item_code)
    return copy.deepcopy(edit) if edit is not None else None


def restore_state(
    session: Session, theme_code: str, item_code: str, state: UserEdit | None
) -> None:
    """Make the item's layer row what ``state`` says (None: no row, the shipped item)."""
    revert_item(session, theme_code, item_code)
    if state is None:
        return
    if state.payload is not None:
        save_user_item(session, theme_code, state.payload, note=state.note)
    if state.disabled:
        disable_item(session, theme_code, item_code)


class LayerCommand(QUndoCommand):
    """An already applied change to one item of the layer; redo re-applies its after-state."""

    def __init__(
        self,
        db: Database,
        theme_code: str,
        item_code: str,
        before: UserEdit | None,
        after: UserEdit | None,
        text: str,
        changed: Callable[[str], None],
    ) -> None:
        super().__init__(text)
        self._db = db
        self._theme = theme_code
        self._code = item_code
        self._before = before
        self._after = after
        self._changed = changed
        self._applied = True  # pushed after the change was made

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._restore(self._after)

    def undo(self) -> None:
        self._restore(self._before)

    def _restore(self, state: UserEdit | None) -> None:
        with self._db.session() as session:
            restore_state(session, self._theme, self._code, state)
        self._changed(self._code)
