"""Alembic, driven from code: the app applies migrations at start-up and on ``db upgrade``.

Alembic itself (with Mako and Pygments) takes a third of a second to import, so start-up first
asks the database for its revision with one plain query and imports Alembic only when there is
something to migrate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# The newest migration's revision (tests/db/test_migrations.py checks it against Alembic's head).
HEAD_REVISION = "0005"


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in ``alembic_version`` (``None`` for a new or foreign database),
    read without Alembic."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:  # no such table yet
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and stored_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
