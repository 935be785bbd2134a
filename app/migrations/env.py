"""Alembic environment: migrates the database named in the config against every Motorjoy table."""

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table on SQLModel.metadata)
from app.db import engine

config = context.config


def _outside_transaction(connection, pragma: str) -> list:
    # SQLite ignores foreign_keys pragmas inside a transaction; the raw driver connection autocommits.
    return connection.connection.driver_connection.execute(pragma).fetchall()


def run_migrations_online() -> None:
    with engine(config.get_main_option("sqlalchemy.url")).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying and dropping it; with foreign keys enforced, dropping a
            # table that other rows point at fails. Off for the migration, checked again after it.
            _outside_transaction(connection, "PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=True,  # SQLite can only alter tables by copying them
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            broken = _outside_transaction(connection, "PRAGMA foreign_key_check")
            _outside_transaction(connection, "PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"Migration left rows pointing at nothing: {broken[:5]}")


run_migrations_online()
