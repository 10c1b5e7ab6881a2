"""What every page is given: the database and the application's change notifications.

Pages receive a :class:`PageContext` from the main window instead of reaching for globals.
They open one Session per user action (``ctx.db.session()``) and listen to ``ctx.events`` to
refresh when the catalog or the settings change elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from models.db import Database


class AppEvents(QObject):
    """Changes one part of the window makes that other parts show."""

    catalogChanged = Signal()  # a document was imported, or units were assigned
    settingsChanged = Signal()  # jurisdiction, organisation
    templatesChanged = Signal()  # the user's own template layer was edited
    registryChanged = Signal()  # entities or the inspector roster
    inspectionsChanged = Signal()  # an inspection, finding, evidence or signature
    rectificationChanged = Signal()  # a notice was issued, served, extended, rechecked, closed
    #: Show a page filtered as a figure asks (page key, a dict of filter values); the main
    #: window shows the page and hands the dict to its ``apply_preset``.
    openPage = Signal(str, object)
    #: Ask the main window for one of its dialogs: "settings" or "import_policy".
    actionRequested = Signal(str)


@dataclass(frozen=True)
class PageContext:
    db: Database
    events: AppEvents
