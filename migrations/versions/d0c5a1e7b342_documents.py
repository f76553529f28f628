"""documents: passport details for visa letters, letter/certificate settings, issued documents

Revision ID: d0c5a1e7b342
Revises: a9d4e7b21c05
Create Date: 2026-12-03 16:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd0c5a1e7b342'
down_revision = 'a9d4e7b21c05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'passport_details',
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('name_in_passport', sa.String(length=200), nullable=False),
        sa.Column('nationality', sa.String(length=100), nullable=False),
        sa.Column('passport_number', sa.String(length=20), nullable=False),
        sa.Column('date_of_birth', sa.Date(), nullable=False),
        sa.Column('stay_from', sa.Date(), nullable=False),
        sa.Column('stay_to', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('stay_from <= stay_to', name=op.f('ck_passport_details_stay_in_order')),
        sa.CheckConstraint('date_of_birth < stay_from', name=op.f('ck_passport_details_born_before_stay')),
        sa.CheckConstraint('length(passport_number) >= 5', name=op.f('ck_passport_details_passport_number_length')),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_passport_details_registration_id_registrations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('registration_id', name=op.f('pk_passport_details')),
    )
    op.create_table(
        'document_settings',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('letter_body', sa.Text(), nullable=False),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_title', sa.String(length=200), nullable=False),
        sa.Column('signature_png', sa.LargeBinary(), nullable=True),
        sa.Column('logo_png', sa.LargeBinary(), nullable=True),
        sa.Column('letter_lead_days', sa.Integer(), nullable=False),
        sa.Column('certificate_rule', sa.Enum('day', 'session', 'either', name='certificate_rule',
                                              native_enum=False, create_constraint=True, length=7), nullable=False),
        sa.Column('certificate_lists_sessions', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('letter_lead_days >= 0 AND letter_lead_days <= 365',
                           name=op.f('ck_document_settings_lead_days_range')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_document_settings_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_document_settings')),
    )
    op.create_table(
        'issued_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.Enum('visa_letter', 'certificate', name='document_kind', native_enum=False,
                                  create_constraint=True, length=11), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=False),
        sa.Column('holder_name', sa.String(length=200), nullable=False),
        sa.Column('holder_nationality', sa.String(length=100), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('revoked_by_id IS NULL OR revoked_at IS NOT NULL',
                           name=op.f('ck_issued_documents_revoked_consistent')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_issued_documents_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'],
                                name=op.f('fk_issued_documents_registration_id_registrations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_issued_documents_issued_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'],
                                name=op.f('fk_issued_documents_revoked_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_documents')),
        sa.UniqueConstraint('reference', name=op.f('uq_issued_documents_reference')),
    )
    op.create_index(op.f('ix_issued_documents_event_id'), 'issued_documents', ['event_id'])
    op.create_index(op.f('ix_issued_documents_registration_id'), 'issued_documents', ['registration_id'])
    op.create_index('uq_issued_documents_valid', 'issued_documents', ['registration_id', 'kind'], unique=True,
                    sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))


def downgrade():
    op.drop_table('issued_documents')
    op.drop_table('document_settings')
    op.drop_table('passport_details')
