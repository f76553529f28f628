"""messages: per-event notification texts, reminder settings, and the reminders sent (the claim)

Revision ID: a7c3e91f5d28
Revises: 5e1a7c9d2b40
Create Date: 2026-12-04 19:20:00
"""
import sqlalchemy as sa
from alembic import op

import eventhub.db

revision = 'a7c3e91f5d28'
down_revision = '5e1a7c9d2b40'
branch_labels = None
depends_on = None

KINDS = ('registration_closing', 'ranking_deadline', 'day_before', 'survey')


def upgrade():
    op.create_table('notification_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("subject <> '' AND body <> ''", name=op.f('ck_notification_texts_not_empty')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_notification_texts_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_notification_texts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_texts')),
    sa.UniqueConstraint('event_id', 'key', 'language', name='uq_notification_texts_event_key_language')
    )
    with op.batch_alter_table('notification_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_texts_event_id'), ['event_id'], unique=False)

    op.create_table('reminder_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='reminder_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('offset_hours', sa.Integer(), nullable=False),
    sa.CheckConstraint('offset_hours BETWEEN 1 AND 1440', name=op.f('ck_reminder_settings_offset_in_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_reminder_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_settings')),
    sa.UniqueConstraint('event_id', 'kind', name='uq_reminder_settings_event_kind')
    )
    with op.batch_alter_table('reminder_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_settings_event_id'), ['event_id'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='reminder_sent_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('queued_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(registration_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_reminders_sent_one_recipient')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_reminders_sent_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_reminders_sent_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminders_sent_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('kind', 'event_id', 'registration_id', name='uq_reminders_sent_kind_event_registration'),
    sa.UniqueConstraint('kind', 'event_id', 'user_id', name='uq_reminders_sent_kind_event_user')
    )
    with op.batch_alter_table('reminders_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_sent_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_sent_registration_id'), ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_sent_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('reminders_sent')
    op.drop_table('reminder_settings')
    op.drop_table('notification_texts')
