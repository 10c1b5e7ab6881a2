"""The catalog as the program shows it on start, remembered between runs.

Opening a database loads SQLAlchemy, the models and the catalog services, which takes most of
a start. When the program closes a database file it writes down what the 政策目录 page will
show on the next start (the document list for the jurisdiction and the first document's
measures) together with the file's size, modification time and inode. The next start reads
that note before anything else is loaded and, if the file is exactly as it was left, shows the
page from it at once; the database is then opened as always and the page built from it
replaces the one shown, with the same content.

Anything that may have changed the file (another program, a copy put in its place, a crash that
left a write-ahead log, a newer version of this program) makes the note stale, and the page
waits for the database. Nothing here is needed: a missing or broken note only costs time.
This module imports nothing heavy: it runs before the ORM is loaded.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklists.catalog_view import DocumentSummary, MeasureView, TargetView, UnitView
from models.paths import cache_dir, write_cache_file
from resources import APP_VERSION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: Bumped whenever what is written changes shape.
FORMAT = 1


@dataclass(frozen=True)
class FirstPage:
    jurisdiction: str | None  # the region code set in 设置, if any
    jurisdiction_path: str  # its name with the regions above it ("" when not set)
    documents: tuple[DocumentSummary, ...]
    measures: tuple[MeasureView, ...]  # of the first document
    topic_labels: dict[str, str]  # the names of the topics these measures have


def compute(session: Session) -> FirstPage | None:
    """What the catalog page shows when it is first built (no document chosen yet); None for
    a database not yet in use, which opens on 开始使用 instead."""
    from checklists.regions import region_path
    from checklists.topics import load_topics
    from services.catalog import list_documents, measure_views
    from services.first_steps import is_new_database
    from services.settings import JURISDICTION, get_setting

    if is_new_database(session):
        return None
    jurisdiction = get_setting(session, JURISDICTION) or None
    docs = list_documents(session, jurisdiction)
    measures = measure_views(session, docs[0].id) if docs else ()
    used = {code for m in measures for code in m.topics}
    labels = {t.code: t.label for t in load_topics() if t.code in used}
    return FirstPage(jurisdiction, region_path(jurisdiction), tuple(docs), tuple(measures),
                     labels)


def note_path(db_path: Path) -> Path:
    """The note of one database file, in the cache folder (named by the file's full path)."""
    # a checksum of the path, not a hash: hashlib would load OpenSSL at start-up, and a note
    # that another file's name happens to share only misses (the note holds the full path)
    where = str(db_path.resolve()).encode("utf-8")
    return cache_dir() / f"first-page-{zlib.crc32(where):08x}-{len(where)}.json"


def _file_key(db_path: Path) -> list[Any] | None:
    """What must be unchanged for the note to hold: None when the file is not at rest."""
    try:
        st = db_path.stat()
        wal = Path(f"{db_path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None  # left open, or by a crash: what it holds is not all in the file
    except OSError:
        return None
    return [FORMAT, APP_VERSION, str(db_path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino]


def remember(db_path: Path, page: FirstPage) -> None:
    """Write the note for a database file that has just been closed (atomically; a failure,
    such as a read-only cache folder or a full disk, only loses the shortcut)."""
    key = _file_key(db_path)
    if key is None:
        return
    write_cache_file(note_path(db_path), json.dumps({"key": key, "page": asdict(page)},
                                                    ensure_ascii=False, separators=(",", ":")))


def recall(db_path: Path) -> FirstPage | None:
    """The page remembered for ``db_path`` if the file is exactly as it was when it was
    written; None otherwise (no note, a stale or unreadable one)."""
    key = _file_key(db_path)
    if key is None:
        return None
    try:
        with open(note_path(db_path), encoding="utf-8") as fh:
            data = json.loads(fh.read())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        page = data["page"]
        return FirstPage(
            jurisdiction=page["jurisdiction"], jurisdiction_path=page["jurisdiction_path"],
            documents=tuple(DocumentSummary(**{**d, "issuers": tuple(d["issuers"])})
                            for d in page["documents"]),
            measures=tuple(_measure(m) for m in page["measures"]),
            topic_labels={str(k): str(v) for k, v in page["topic_labels"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _measure(m: dict[str, Any]) -> MeasureView:
    return MeasureView(**{
        **m, "units": tuple(UnitView(**u) for u in m["units"]),
        "targets": tuple(TargetView(**t) for t in m["targets"]),
        "topics": tuple(m["topics"]), "flags": tuple(m["flags"])})
