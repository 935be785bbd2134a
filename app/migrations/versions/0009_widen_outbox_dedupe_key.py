"""outbox.dedupe_key: 400 characters, as the model says (0007 widened the model but not the table)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 05:30:00.000000
"""

import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Feature-note keys ("feature:<slug>:<email>") run past 120 characters; PostgreSQL refused them.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "dedupe_key",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=120),
            type_=sqlmodel.sql.sqltypes.AutoString(length=400),
            existing_nullable=False,
        )


def downgrade() -> None:
    # 0007's downgrade shrinks the column to 120 itself; here it only goes back to how 0008 left it.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column(
            "dedupe_key",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=400),
            type_=sqlmodel.sql.sqltypes.AutoString(length=120),
            existing_nullable=False,
        )
