"""Migrations equal models: a fresh database migrated to head has exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
from app import db


def schema_differences(url: str) -> list:
    """Alembic's own comparison of the database at `url` with the models (types and server defaults too)."""
    with db.engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_a_migrated_database_matches_the_models(empty_db_url):
    db.migrate(empty_db_url)
    assert schema_differences(empty_db_url) == []


def test_the_comparison_notices_a_column_the_models_lack(empty_db_url):
    # The check above must be able to fail: a column only the database has is reported.
    db.migrate(empty_db_url)
    with db.engine(empty_db_url).begin() as connection:
        connection.exec_driver_sql("ALTER TABLE outbox ADD COLUMN stray INTEGER")
    differences = schema_differences(empty_db_url)
    assert [d[0] for d in differences] == ["remove_column"]
    assert differences[0][3].name == "stray"


def test_a_long_club_mail_key_fits_after_migrating(empty_db_url):
    # On PostgreSQL a 163-character feature-note key was refused ("value too long") before 0009.
    from app.club.outbox import OutboxMail

    db.migrate(empty_db_url)
    with db.session(empty_db_url) as s:
        s.add(OutboxMail(kind="feature", recipient="a@b.example", subject="s", body_text="b", dedupe_key="k" * 400))
    with db.session(empty_db_url) as s:
        assert len(s.get(OutboxMail, 1).dedupe_key) == 400


def test_every_migration_goes_down_and_up_again(empty_db_url):
    from alembic import command

    db.migrate(empty_db_url)
    command.downgrade(db.alembic_config(empty_db_url), "base")
    db.migrate(empty_db_url)
    assert schema_differences(empty_db_url) == []
