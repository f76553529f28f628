"""deferred mail: the outbox records what to write; the delivery process builds the message

Revision ID: d5f1a9c3e7b2
Revises: c4e8a2f1d310
Create Date: 2026-12-03 16:40:00

Also an index for the event list (published events by dates), which pages through 1,000 events.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd5f1a9c3e7b2'
down_revision = 'c4e8a2f1d310'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('mail_outbox', sa.Column('kind', sa.String(length=60), server_default='', nullable=False))
    op.add_column('mail_outbox', sa.Column('params', sa.JSON(), nullable=True))
    op.create_index('ix_events_listing', 'events', ['status', 'end_date', 'start_date'])


def downgrade():
    op.drop_index('ix_events_listing', table_name='events')
    with op.batch_alter_table('mail_outbox') as batch:
        batch.drop_column('params')
        batch.drop_column('kind')
