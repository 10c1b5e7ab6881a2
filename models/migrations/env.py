"""Alembic environment: runs on the engine the app hands over, never on a URL from a file."""

from __future__ import annotations

import sqlite3

from alembic import context
from sqlalchemy import Engine, text

import models.catalog
import models.draw
import models.inspection
import models.rectification
import models.registry
import models.sync
import models.system  # noqa: F401  (register the tables on Base.metadata)
from models.base import Base

#: The advisory lock that serialises upgrades of one PostgreSQL database.
MIGRATION_LOCK = 0x5348_4A43  # "SHJC"

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    if engine.dialect.name != "sqlite":
        _run_on_server(engine)
        return
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        # The sqlite3 driver opens a transaction only before INSERT/UPDATE/DELETE, so CREATE and
        # ALTER would each commit on their own and a failed upgrade would stay half done. Here
        # the transaction is opened by hand, before any statement, and covers every one.
        previous_isolation = raw.isolation_level
        raw.isolation_level = None
        # SQLite alters a table by copying it and dropping the original; with foreign keys on,
        # that drop would cascade to the rows that refer to it (ON DELETE CASCADE) and lose
        # them. The pragma only takes effect outside a transaction.
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            raw.execute("BEGIN")
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite alters tables by copying them
            )
            with context.begin_transaction():
                context.run_migrations()
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:  # rolls the whole upgrade back
                    raise RuntimeError(f"升级后有 {len(broken)} 条记录的关联失效（{broken[0][0]}）")
            connection.commit()
        except BaseException:
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raise
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
            raw.isolation_level = previous_isolation


def _run_on_server(engine: Engine) -> None:
    """PostgreSQL: DDL is transactional, so the whole upgrade is one transaction; an advisory
    lock keeps two programs that open the same new database at once from both upgrading it."""
    with engine.connect() as connection:
        with connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            context.configure(connection=connection, target_metadata=target_metadata,
                              transactional_ddl=True)
            context.run_migrations()


run_migrations_online()
