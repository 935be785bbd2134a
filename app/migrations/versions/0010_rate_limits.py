"""rate_limits: one table for the one limiter, replacing sign_in_failures and tracking_lookups

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 05:55:00.000000
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", AutoString(length=40), nullable=False),
        sa.Column("key", AutoString(length=200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_started_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule", "key", name="uq_rate_limits_rule_key"),
    )
    # The old counters only ever held minutes-old throttling state: nothing worth carrying over.
    op.drop_table("tracking_lookups")
    op.drop_table("sign_in_failures")


def downgrade() -> None:
    for table, count, moment in (
        ("sign_in_failures", "failures", "last_failure_at"),
        ("tracking_lookups", "attempts", "window_started_at"),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("key", AutoString(length=300), nullable=False),
            sa.Column(count, sa.Integer(), nullable=False),
            sa.Column(moment, UTCDateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index(f"ix_{table}_key", table, ["key"], unique=True)
    op.drop_table("rate_limits")
