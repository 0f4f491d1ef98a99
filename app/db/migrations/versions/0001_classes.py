"""Classes and their drawings.

Revision ID: 0001_classes
Revises:
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_classes"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classroom",
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(64), nullable=True),
        sa.Column("training_job", sa.String(64), nullable=True),
        sa.Column("training_result", sa.Text(), nullable=True),
        sa.Column("model_npz", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("code", name="pk_classroom"),
    )
    op.create_index("ix_classroom_last_activity_at", "classroom", ["last_activity_at"])
    op.create_table(
        "drawing",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("class_code", sa.String(6), nullable=False),
        sa.Column("device_id", sa.String(64), nullable=False),
        sa.Column("label", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pixels", sa.LargeBinary(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("pred_model", sa.String(64), nullable=False),
        sa.Column("pred_label", sa.SmallInteger(), nullable=False),
        sa.Column("pred_probs", sa.Text(), nullable=False),
        sa.Column("p_label", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_code"], ["classroom.code"], name="fk_drawing_class_code_classroom", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_drawing"),
    )
    op.create_index("ix_drawing_class_created", "drawing", ["class_code", "created_at"])
    op.create_index("ix_drawing_class_device", "drawing", ["class_code", "device_id"])


def downgrade() -> None:
    op.drop_index("ix_drawing_class_device", table_name="drawing")
    op.drop_index("ix_drawing_class_created", table_name="drawing")
    op.drop_table("drawing")
    op.drop_index("ix_classroom_last_activity_at", table_name="classroom")
    op.drop_table("classroom")
