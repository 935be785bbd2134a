"""health_beats: each server's last successful write, so /_health notices a database that can't write

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 05:50:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_beats",
        sa.Column("server", AutoString(length=255), nullable=False),
        sa.Column("beat_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("server"),
    )


def downgrade() -> None:
    op.drop_table("health_beats")
