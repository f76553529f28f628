"""check-in overrides carry their reason

Revision ID: b7c3d1e5f902
Revises: a3c1d9e4b7f2
Create Date: 2026-12-03 09:40:00

An override (checking in someone a plain check-in refuses) now stores the reason the secretariat
gave; who and when are the check-in's recorded_by and recorded_at. Overrides made before reasons
were asked for get a reason saying so.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7c3d1e5f902'
down_revision = 'a3c1d9e4b7f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_reason', sa.String(length=300), nullable=True))
    op.execute("UPDATE checkins SET override_reason = 'Recorded before override reasons were asked for.' "
               "WHERE overridden AND override_reason IS NULL")
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_checkins_override_has_reason'), 'NOT overridden OR override_reason IS NOT NULL')


def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_checkins_override_has_reason'), type_='check')
        batch_op.drop_column('override_reason')
