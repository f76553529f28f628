"""matching: firms through an invitation link, their representatives (matching only), profile images

Revision ID: b3c8e1f4a7d2
Revises: a7d3e5f1c920
Create Date: 2026-12-04 19:00:00
"""
import sqlalchemy as sa
from alembic import op

import eventhub.db

revision = 'b3c8e1f4a7d2'
down_revision = "a7d3e5f1c920"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no batch copy): the registrations table keeps its triggers and indexes.
    op.add_column('registrations', sa.Column('matching_only', sa.Boolean(), server_default=sa.false(),
                                             nullable=False))
    op.create_table('matching_firm_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('invite_token', sa.String(length=64), nullable=True),
    sa.Column('count_in_figures', sa.Boolean(), nullable=False),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_firm_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_matching_firm_settings')),
    sa.UniqueConstraint('invite_token', name=op.f('uq_matching_firm_settings_invite_token'))
    )
    op.create_table('matching_firms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('economy_id', sa.Integer(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['economy_id'], ['economies.id'], name=op.f('fk_matching_firms_economy_id_economies')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matching_firms_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_firms')),
    sa.UniqueConstraint('event_id', 'name', name=op.f('uq_matching_firms_event_id_name'))
    )
    with op.batch_alter_table('matching_firms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_firms_event_id'), ['event_id'], unique=False)
    op.create_table('matching_firm_members',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('firm_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['firm_id'], ['matching_firms.id'], name=op.f('fk_matching_firm_members_firm_id_matching_firms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_matching_firm_members_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_matching_firm_members'))
    )
    with op.batch_alter_table('matching_firm_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_firm_members_firm_id'), ['firm_id'], unique=False)
    op.create_table('matching_profile_images',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_matching_profile_images_has_size')),
    sa.ForeignKeyConstraint(['profile_id'], ['matching_profiles.id'], name=op.f('fk_matching_profile_images_profile_id_matching_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', name=op.f('pk_matching_profile_images'))
    )


def downgrade():
    op.drop_table('matching_profile_images')
    with op.batch_alter_table('matching_firm_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_firm_members_firm_id'))
    op.drop_table('matching_firm_members')
    with op.batch_alter_table('matching_firms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_firms_event_id'))
    op.drop_table('matching_firms')
    op.drop_table('matching_firm_settings')
    # SQLite 3.35+ drops a column in place; the registrations table keeps its triggers.
    op.drop_column('registrations', 'matching_only')
