"""surveys: evaluation surveys, their questions, personal invitations and answers

Revision ID: 5e1a7c9d2b40
Revises: d35c0ffee14a
Create Date: 2026-12-03 17:20:00
"""
import sqlalchemy as sa
from alembic import op

import eventhub.db

revision = '5e1a7c9d2b40'
down_revision = 'd35c0ffee14a'
branch_labels = None
depends_on = None

KINDS = ('rating', 'single', 'multiple', 'text', 'before_after')


def upgrade():
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('min_group_size', sa.Integer(), nullable=False),
    sa.Column('created_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', eventhub.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('min_group_size >= 2', name=op.f('ck_surveys_min_group_size_at_least_2')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_surveys_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_surveys_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_event_id'), ['event_id'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='survey_question_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('text_zh', sa.String(length=500), nullable=False),
    sa.Column('choices', sa.Text(), nullable=False),
    sa.Column('choices_zh', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind NOT IN ('single', 'multiple') OR choices <> ''", name=op.f('ck_survey_questions_choice_needs_choices')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_survey_questions_position_positive')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_questions_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions')),
    sa.UniqueConstraint('survey_id', 'position', name='uq_survey_questions_position')
    )

    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_survey_invitations_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_invitations_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitations')),
    sa.UniqueConstraint('survey_id', 'registration_id', name='uq_survey_invitations_person'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitations_token_hash'))
    )

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('economy_id', sa.Integer(), nullable=True),
    sa.Column('sex', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', eventhub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['economy_id'], ['economies.id'], name=op.f('fk_survey_responses_economy_id_economies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invitation_id'], ['survey_invitations.id'], name=op.f('fk_survey_responses_invitation_id_survey_invitations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_survey_responses_invitation_id'))
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('value_after', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint('value IS NULL OR value >= 0', name=op.f('ck_survey_answers_value_not_negative')),
    sa.CheckConstraint('value_after IS NULL OR (value_after BETWEEN 1 AND 5)', name=op.f('ck_survey_answers_value_after_1_to_5')),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], name=op.f('fk_survey_answers_response_id_survey_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_survey_answers'))
    )


def downgrade():
    op.drop_table('survey_answers')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))
    op.drop_table('survey_responses')
    op.drop_table('survey_invitations')
    op.drop_table('survey_questions')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_event_id'))
    op.drop_table('surveys')
