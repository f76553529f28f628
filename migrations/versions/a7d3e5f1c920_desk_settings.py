"""desk settings: how old a phone desk's offline list of participants may be before it warns

Revision ID: a7d3e5f1c920
Revises: a7c3e9f1b2d4
Create Date: 2026-12-04 19:05:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3e5f1c920'
down_revision = "a7c3e9f1b2d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'desk_settings',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('roster_max_hours', sa.Integer(), nullable=False),
        sa.CheckConstraint('roster_max_hours BETWEEN 1 AND 168',
                           name=op.f('ck_desk_settings_roster_max_hours_range')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_desk_settings_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_desk_settings')),
    )


def downgrade():
    op.drop_table('desk_settings')
