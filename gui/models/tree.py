"""The plumbing every two-level tree model here shares: top rows (groups) and their children.

A top row's ``internalId`` is :data:`TOP`; a child row stores its group's row + 1, so
``parent()`` needs no lookup. A subclass says how many groups there are and how many children
each has, and gives ``data()``; everything else is here.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
TOP = 0  # internalId of a top-level (group) row


class TwoLevelModel(QAbstractItemModel):
    def group_count(self) -> int:
        raise NotImplementedError

    def child_count(self, group_row: int) -> int:
        raise NotImplementedError

    @staticmethod
    def is_group(index: Index) -> bool:
        return index.internalId() == TOP

    def child_index(self, group_row: int, row: int, column: int = 0) -> QModelIndex:
        return self.createIndex(row, column, group_row + 1)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, TOP)
        if parent.internalId() == TOP:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return self.group_count()
        if parent.column() == 0 and parent.internalId() == TOP:
            return self.child_count(parent.row())
        return 0
