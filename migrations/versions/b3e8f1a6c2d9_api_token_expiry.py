"""api tokens may expire: an end date chosen when the token is made

Revision ID: b3e8f1a6c2d9
Revises: b7c3e9a1d4f2
Create Date: 2026-12-04 19:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b3e8f1a6c2d9'
down_revision = "b7c3e9a1d4f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_column('expires_at')
