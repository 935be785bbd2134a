"""invites and referrals: personal invite links, and the friends' builds and orders that came through them

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:50:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("order_id"),
    )
    op.create_index(op.f("ix_invites_token"), "invites", ["token"], unique=True)
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=False),
        sa.Column("build_code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("friend_order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["friend_order_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["invite_id"], ["invites.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("friend_order_id"),
        sa.UniqueConstraint("invite_id", "build_code", name="uq_referrals_invite_build"),
    )
    op.create_index(op.f("ix_referrals_build_code"), "referrals", ["build_code"], unique=False)
    op.create_index(op.f("ix_referrals_invite_id"), "referrals", ["invite_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_referrals_invite_id"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_build_code"), table_name="referrals")
    op.drop_table("referrals")
    op.drop_index(op.f("ix_invites_token"), table_name="invites")
    op.drop_table("invites")
