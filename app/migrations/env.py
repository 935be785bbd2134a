"""Alembic environment: migrates the database named in the config against every Motorjoy table."""

from alembic import context
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table on SQLModel.metadata)
from app.db import engine

config = context.config


def run_migrations_online() -> None:
    with engine(config.get_main_option("sqlalchemy.url")).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=True,  # SQLite can only alter tables by copying them
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
