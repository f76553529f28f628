"""business matching on the day: held / no-show, cancelling with a cut-off, iTIP SEQUENCE of meetings,
and the day-before schedule mails

Revision ID: b7c3e9a1d4f2
Revises: a7c3e91f5d28
Create Date: 2026-12-04 19:10:00

A cancelled meeting holds no slot or table (CHECK), so whoever cancels frees both at once.
"""
import sqlalchemy as sa
from alembic import op

import eventhub.db

revision = 'b7c3e9a1d4f2'
down_revision = "a7c3e91f5d28"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('matching_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_cutoff_hours', sa.Integer(), server_default='24', nullable=False))
        batch_op.create_check_constraint(op.f('ck_matching_settings_cancel_cutoff_in_range'),
                                         'cancel_cutoff_hours BETWEEN 0 AND 720')
    with op.batch_alter_table('matching_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('attendance', sa.Enum('held', 'no_show', name='matching_attendance',
                                                            native_enum=False, create_constraint=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('attendance_marked_at', eventhub.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', eventhub.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancelled_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_matching_meetings_cancelled_by_id_matching_profiles'),
                                    'matching_profiles', ['cancelled_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(op.f('ck_matching_meetings_cancelled_frees_slot'),
                                         'cancelled_at IS NULL OR slot_id IS NULL')
        batch_op.create_check_constraint(op.f('ck_matching_meetings_cancelled_not_marked'),
                                         'cancelled_at IS NULL OR attendance IS NULL')
    op.create_table('matching_day_mails',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['matching_profiles.id'],
                            name=op.f('fk_matching_day_mails_profile_id_matching_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'day', name=op.f('pk_matching_day_mails'))
    )


def downgrade():
    op.drop_table('matching_day_mails')
    with op.batch_alter_table('matching_meetings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_matching_meetings_cancelled_not_marked'), type_='check')
        batch_op.drop_constraint(op.f('ck_matching_meetings_cancelled_frees_slot'), type_='check')
        batch_op.drop_constraint(op.f('ck_matching_meetings_matching_attendance'), type_='check')
        batch_op.drop_constraint(op.f('fk_matching_meetings_cancelled_by_id_matching_profiles'), type_='foreignkey')
        batch_op.drop_column('cancelled_by_id')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('attendance_marked_at')
        batch_op.drop_column('attendance')
        batch_op.drop_column('sequence')
    with op.batch_alter_table('matching_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_matching_settings_cancel_cutoff_in_range'), type_='check')
        batch_op.drop_column('cancel_cutoff_hours')
