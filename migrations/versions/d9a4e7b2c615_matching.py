"""business matching: settings, profiles, requests, meetings, slots, tables, seats and outcomes

Revision ID: d9a4e7b2c615
Revises: d5f1a9c3e7b2
Create Date: 2026-12-03 16:33:04

A pair of profiles has one request whichever side asked (UNIQUE on the ordered pair); a table holds
one meeting per slot and a person sits in one meeting per slot (UNIQUE on the seats).
"""
from alembic import op
import sqlalchemy as sa
import eventhub.db


# revision identifiers, used by Alembic.
revision = 'd9a4e7b2c615'
down_revision = "d5f1a9c3e7b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('matching_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('categories', sa.String(length=300), nullable=False),
    sa.Column('sectors', sa.Text(), nullable=False),
    sa.Column('open_request_limit', sa.Integer(), nullable=False),
    sa.Column('requests_close_at', eventhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('open_request_limit > 0', name=op.f('ck_matching_settings_open_request_limit_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_matching_settings'))
    )
    op.create_table('matching_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('sectors', sa.String(length=1000), nullable=False),
    sa.Column('cluster_name', sa.String(length=200), nullable=False),
    sa.Column('cluster_location', sa.String(length=200), nullable=False),
    sa.Column('offers', sa.Text(), nullable=False),
    sa.Column('seeks', sa.Text(), nullable=False),
    sa.Column('offer_types', sa.String(length=200), nullable=False),
    sa.Column('seek_types', sa.String(length=200), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_profiles_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_matching_profiles_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_profiles')),
    sa.UniqueConstraint('registration_id', name=op.f('uq_matching_profiles_registration_id'))
    )
    with op.batch_alter_table('matching_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_profiles_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_matching_profiles_event_listed', ['event_id', 'listed'], unique=False)

    op.create_table('matching_sessions',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('meeting_minutes', sa.Integer(), nullable=False),
    sa.Column('break_minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('break_minutes BETWEEN 0 AND 120', name=op.f('ck_matching_sessions_break_minutes_in_range')),
    sa.CheckConstraint('meeting_minutes BETWEEN 5 AND 240', name=op.f('ck_matching_sessions_meeting_minutes_in_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_sessions_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_matching_sessions_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_matching_sessions'))
    )
    with op.batch_alter_table('matching_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_sessions_event_id'), ['event_id'], unique=False)

    op.create_table('matching_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('receiver_id', sa.Integer(), nullable=False),
    sa.Column('low_id', sa.Integer(), nullable=False),
    sa.Column('high_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='matching_request_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('decline_reason', sa.String(length=500), nullable=False),
    sa.Column('answered_at', eventhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('low_id < high_id', name=op.f('ck_matching_requests_pair_in_order')),
    sa.CheckConstraint('sender_id <> receiver_id', name=op.f('ck_matching_requests_not_to_oneself')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_requests_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['receiver_id'], ['matching_profiles.id'], name=op.f('fk_matching_requests_receiver_id_matching_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['matching_profiles.id'], name=op.f('fk_matching_requests_sender_id_matching_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_requests')),
    sa.UniqueConstraint('event_id', 'low_id', 'high_id', name=op.f('uq_matching_requests_event_id_low_id_high_id'))
    )
    with op.batch_alter_table('matching_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_requests_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_requests_receiver_id'), ['receiver_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_requests_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index('ix_matching_requests_sender_status', ['sender_id', 'status'], unique=False)

    op.create_table('matching_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_matching_slots_ends_after_start')),
    sa.ForeignKeyConstraint(['session_id'], ['matching_sessions.session_id'], name=op.f('fk_matching_slots_session_id_matching_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_slots')),
    sa.UniqueConstraint('session_id', 'starts_at', name=op.f('uq_matching_slots_session_id_starts_at'))
    )
    with op.batch_alter_table('matching_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_slots_session_id'), ['session_id'], unique=False)

    op.create_table('matching_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['matching_sessions.session_id'], name=op.f('fk_matching_tables_session_id_matching_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_tables')),
    sa.UniqueConstraint('session_id', 'name', name=op.f('uq_matching_tables_session_id_name'))
    )
    with op.batch_alter_table('matching_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_tables_session_id'), ['session_id'], unique=False)

    op.create_table('matching_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('profile_a_id', sa.Integer(), nullable=False),
    sa.Column('profile_b_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('table_id', sa.Integer(), nullable=True),
    sa.Column('proposed_slot_id', sa.Integer(), nullable=True),
    sa.Column('proposed_table_id', sa.Integer(), nullable=True),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(slot_id IS NULL) = (table_id IS NULL)', name=op.f('ck_matching_meetings_slot_with_table')),
    sa.CheckConstraint('profile_a_id < profile_b_id', name=op.f('ck_matching_meetings_pair_in_order')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_meetings_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_a_id'], ['matching_profiles.id'], name=op.f('fk_matching_meetings_profile_a_id_matching_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_b_id'], ['matching_profiles.id'], name=op.f('fk_matching_meetings_profile_b_id_matching_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_slot_id'], ['matching_slots.id'], name=op.f('fk_matching_meetings_proposed_slot_id_matching_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_table_id'], ['matching_tables.id'], name=op.f('fk_matching_meetings_proposed_table_id_matching_tables'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['matching_requests.id'], name=op.f('fk_matching_meetings_request_id_matching_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['matching_slots.id'], name=op.f('fk_matching_meetings_slot_id_matching_slots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['table_id'], ['matching_tables.id'], name=op.f('fk_matching_meetings_table_id_matching_tables'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_meetings')),
    sa.UniqueConstraint('request_id', name=op.f('uq_matching_meetings_request_id')),
    sa.UniqueConstraint('slot_id', 'table_id', name=op.f('uq_matching_meetings_slot_id_table_id'))
    )
    with op.batch_alter_table('matching_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_meetings_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_meetings_profile_a_id'), ['profile_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_meetings_profile_b_id'), ['profile_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matching_meetings_slot_id'), ['slot_id'], unique=False)

    op.create_table('matching_unavailability',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['matching_profiles.id'], name=op.f('fk_matching_unavailability_profile_id_matching_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['matching_slots.id'], name=op.f('fk_matching_unavailability_slot_id_matching_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'slot_id', name=op.f('pk_matching_unavailability'))
    )
    op.create_table('matching_outcomes',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('follow_up', 'letter_of_intent', 'agreement', 'no_interest', name='matching_outcome', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['matching_meetings.id'], name=op.f('fk_matching_outcomes_meeting_id_matching_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['matching_profiles.id'], name=op.f('fk_matching_outcomes_profile_id_matching_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'profile_id', name=op.f('pk_matching_outcomes'))
    )
    op.create_table('matching_seats',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['matching_meetings.id'], name=op.f('fk_matching_seats_meeting_id_matching_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['matching_profiles.id'], name=op.f('fk_matching_seats_profile_id_matching_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['matching_slots.id'], name=op.f('fk_matching_seats_slot_id_matching_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'profile_id', name=op.f('pk_matching_seats')),
    sa.UniqueConstraint('profile_id', 'slot_id', name=op.f('uq_matching_seats_profile_id_slot_id'))
    )


def downgrade():
    op.drop_table('matching_seats')
    op.drop_table('matching_outcomes')
    op.drop_table('matching_unavailability')
    with op.batch_alter_table('matching_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_meetings_slot_id'))
        batch_op.drop_index(batch_op.f('ix_matching_meetings_profile_b_id'))
        batch_op.drop_index(batch_op.f('ix_matching_meetings_profile_a_id'))
        batch_op.drop_index(batch_op.f('ix_matching_meetings_event_id'))

    op.drop_table('matching_meetings')
    with op.batch_alter_table('matching_tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_tables_session_id'))

    op.drop_table('matching_tables')
    with op.batch_alter_table('matching_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_slots_session_id'))

    op.drop_table('matching_slots')
    with op.batch_alter_table('matching_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_matching_requests_sender_status')
        batch_op.drop_index(batch_op.f('ix_matching_requests_sender_id'))
        batch_op.drop_index(batch_op.f('ix_matching_requests_receiver_id'))
        batch_op.drop_index(batch_op.f('ix_matching_requests_event_id'))

    op.drop_table('matching_requests')
    with op.batch_alter_table('matching_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_sessions_event_id'))

    op.drop_table('matching_sessions')
    with op.batch_alter_table('matching_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_matching_profiles_event_listed')
        batch_op.drop_index(batch_op.f('ix_matching_profiles_event_id'))

    op.drop_table('matching_profiles')
    op.drop_table('matching_settings')
