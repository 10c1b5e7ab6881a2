"""Alembic environment: runs on the engine the app hands over, never on a URL from a file."""

from __future__ import annotations

from alembic import context

import models.catalog
import models.draw
import models.inspection
import models.rectification
import models.registry
import models.system  # noqa: F401  (register the tables on Base.metadata)
from models.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
