"""order questions: the conversation between a buyer and their dealership about one order

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 05:23:00.195278
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("staff_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_order_messages_created_at"), "order_messages", ["created_at"], unique=False)
    op.create_index(op.f("ix_order_messages_order_id"), "order_messages", ["order_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_order_messages_order_id"), table_name="order_messages")
    op.drop_index(op.f("ix_order_messages_created_at"), table_name="order_messages")
    op.drop_table("order_messages")
