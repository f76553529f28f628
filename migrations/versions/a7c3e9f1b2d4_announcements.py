"""announcements: sent announcements, their recipients, and consent to optional messages

Revision ID: a7c3e9f1b2d4
Revises: b3e8f1a6c2d9
Create Date: 2026-12-04 19:30:00
"""
import sqlalchemy as sa
from alembic import op

import eventhub.db

revision = 'a7c3e9f1b2d4'
down_revision = "b3e8f1a6c2d9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('subject_zh', sa.String(length=300), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('send_token', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('recipient_count > 0', name=op.f('ck_announcements_has_recipients')),
    sa.CheckConstraint("subject <> '' AND body <> ''", name=op.f('ck_announcements_has_text')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_announcements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_announcements_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements')),
    sa.UniqueConstraint('send_token', name=op.f('uq_announcements_send_token'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_event_id'), ['event_id'], unique=False)

    op.create_table('announcement_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('announcement_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_recipients_announcement_id_announcements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_id'], ['mail_outbox.id'], name=op.f('fk_announcement_recipients_outbox_id_mail_outbox'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_announcement_recipients_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_recipients')),
    sa.UniqueConstraint('announcement_id', 'registration_id', name=op.f('uq_announcement_recipients_announcement_id_registration_id'))
    )
    with op.batch_alter_table('announcement_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_recipients_registration_id'), ['registration_id'], unique=False)

    op.create_table('message_consents',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('opted_out_at', eventhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('changed_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('generation >= 0', name=op.f('ck_message_consents_generation_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_message_consents_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_message_consents_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_message_consents'))
    )
    with op.batch_alter_table('message_consents', schema=None) as batch_op:
        batch_op.create_index('ix_message_consents_event_opted_out', ['event_id', 'opted_out_at'], unique=False)


def downgrade():
    op.drop_table('message_consents')
    op.drop_table('announcement_recipients')
    op.drop_table('announcements')
