"""club mail: opt-outs, the buyer's mail preferences and time zone, and the outbox's delivery state

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:15:06.466069
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_opt_outs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mail_opt_outs"),
        sa.UniqueConstraint("email", "topic", name="uq_mail_opt_outs_email_topic"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage_news", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("club_news", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(
            sa.Column(
                "time_zone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default="Europe/London"
            )
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("body_html", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("picture", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "next_attempt_at",
                sqlmodel.sql.sqltypes.UTCDateTime(),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
        batch_op.add_column(
            sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("claimed_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_outbox_recipient", ["recipient"], unique=False)
        batch_op.create_index("ix_outbox_sent_at", ["sent_at"], unique=False)
        batch_op.create_index("ix_outbox_status_next_attempt_at", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_next_attempt_at")
        batch_op.drop_index("ix_outbox_sent_at")
        batch_op.drop_index("ix_outbox_recipient")
        batch_op.drop_column("sent_at")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("claim_token")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("picture")
        batch_op.drop_column("body_html")
        batch_op.alter_column(
            "dedupe_key",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=400),
            type_=sqlmodel.sql.sqltypes.AutoString(length=120),
            existing_nullable=False,
        )

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
        batch_op.drop_column("club_news")
        batch_op.drop_column("stage_news")

    op.drop_table("mail_opt_outs")
