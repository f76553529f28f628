"""index of the event feed's validators

Revision ID: 2e68f6fb3984
Revises: 64d81e388d89
Create Date: 2026-11-21 22:17:00.885740

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '2e68f6fb3984'
down_revision = '64d81e388d89'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index('ix_sessions_feed_validators',
                              ['event_id', 'status', 'is_public', 'changed_at', 'sequence'], unique=False)


def downgrade():
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_sessions_feed_validators')
