"""desk tokens: a check-in desk's own API token, for one event and check-in only

Revision ID: d35c0ffee14a
Revises: d0c5a1e7b342
Create Date: 2026-12-03 16:50:00
"""
import sqlalchemy as sa
from alembic import op

from eventhub.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'd35c0ffee14a'
down_revision = 'd0c5a1e7b342'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'desk_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('desk', sa.String(length=60), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('length(token_hash) = 64', name=op.f('ck_desk_tokens_token_hash_length')),
        sa.CheckConstraint('revoked_by_id IS NULL OR revoked_at IS NOT NULL',
                           name=op.f('ck_desk_tokens_revoked_consistent')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_desk_tokens_created_by_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_desk_tokens_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_desk_tokens_revoked_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_desk_tokens_token_hash')),
    )
    op.create_index(op.f('ix_desk_tokens_event_id'), 'desk_tokens', ['event_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_desk_tokens_event_id'), table_name='desk_tokens')
    op.drop_table('desk_tokens')
