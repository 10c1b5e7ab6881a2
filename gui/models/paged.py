"""A table model that fetches its rows from the database a window at a time.

``rowCount`` is what has been fetched so far; views call ``fetchMore`` as they scroll, so a
list over a hundred thousand records opens as fast as one over a hundred. A subclass says how
to count the matching rows and how to fetch one window, both in a Session it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from models.db import Session

if TYPE_CHECKING:
    from models.db import Database

Index = QModelIndex | QPersistentModelIndex


class _HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=_HasId)


class PagedTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, db: Database, columns: int, parent: Any = None, *, batch: int) -> None:
        super().__init__(parent)
        self._db = db
        self._columns = columns
        self._batch = batch
        self._rows: list[R] = []
        self._total = 0
        self._counted = False  # the matching rows have been counted since the last change

    # --- what a subclass gives ----------------------------------------------------------------

    def _count(self, session: Session) -> int:
        raise NotImplementedError

    def _fetch(self, session: Session, offset: int) -> list[R]:
        raise NotImplementedError

    def _fetch_first(self, session: Session) -> tuple[list[R], int]:
        """The first window and the number of matching rows. A subclass whose service gives
        both in one statement says so here."""
        return self._fetch(session, 0), self._count(session)

    # --- public API ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Count the matching rows again and fetch the first window, in one session."""
        self.beginResetModel()
        with self._db.session() as session:
            self._rows, self._total = self._fetch_first(session)
        self._counted = True
        self.endResetModel()

    def reorder(self) -> None:
        """Fetch the first window again in a new order. The same rows match, so they are not
        counted again: one query (unless nothing was counted yet)."""
        if not self._counted:
            self.reload()
            return
        self.beginResetModel()
        with self._db.session() as session:
            self._rows = self._fetch(session, 0)
        self.endResetModel()

    def total(self) -> int:
        """How many rows match (fetched or not)."""
        return self._total

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def loaded_rows(self) -> list[R]:
        return list(self._rows)

    def row_of(self, record_id: int) -> int:
        """The fetched row showing the record with this id, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or len(self._rows) >= self._total:
            return
        with self._db.session() as session:
            more = self._fetch(session, len(self._rows))
        if not more:  # rows went away since the count
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()
