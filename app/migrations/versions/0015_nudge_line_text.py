"""nudge events keep the words of the line that was shown, and are found by date

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 08:40:00

The line index alone stops meaning anything once marketing edits the pool, so the report counts by
the text. Reports stored before this have no text (""); the report says so and counts them by index.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nudge_events") as batch:
        batch.add_column(
            sa.Column("line_text", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default="")
        )
    op.create_index(op.f("ix_nudge_events_created_at"), "nudge_events", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_nudge_events_created_at"), table_name="nudge_events")
    with op.batch_alter_table("nudge_events") as batch:
        batch.drop_column("line_text")
