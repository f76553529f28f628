"""Surveys, their questions, personal invitations and the answers.

Responses are stored apart from identities: a response points at its invitation only so the same
person edits rather than duplicates (UNIQUE invitation_id); the economy and sex used for the
breakdowns are copied onto the response, and the results never read names.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventhub.db import Base, UTCDateTime, str_enum, utcnow


class QuestionKind(enum.StrEnum):
    RATING = "rating"  # 1–5
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"
    BEFORE_AFTER = "before_after"  # knowledge before and after, each 1–5

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.value])


KIND_LABELS = {"rating": _l("Rating 1–5"), "single": _l("Single choice"), "multiple": _l("Multiple choice"),
               "text": _l("Free text"), "before_after": _l("Knowledge before / after (1–5 each)")}


class Survey(Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # None: the whole event (everyone checked in on any day); else that session's attendees.
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sessions.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    # Breakdowns by economy or sex hide groups with fewer answers than this (anonymity).
    min_group_size: Mapped[int] = mapped_column(default=5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questions: Mapped[list[SurveyQuestion]] = relationship(
        order_by="SurveyQuestion.position", cascade="all, delete-orphan", back_populates="survey")
    event: Mapped[Event] = relationship()  # noqa: F821
    session: Mapped[Session | None] = relationship()  # noqa: F821

    __table_args__ = (sa.CheckConstraint("min_group_size >= 2", name="min_group_size_at_least_2"),)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, "survey_question_kind"))
    text: Mapped[str] = mapped_column(sa.String(500))
    text_zh: Mapped[str] = mapped_column(sa.String(500), default="")
    # Choices of single/multiple-choice questions, one per line (English, and Chinese line by line).
    choices: Mapped[str] = mapped_column(sa.Text, default="")
    choices_zh: Mapped[str] = mapped_column(sa.Text, default="")
    required: Mapped[bool] = mapped_column(default=True)

    survey: Mapped[Survey] = relationship(back_populates="questions")

    __table_args__ = (
        sa.UniqueConstraint("survey_id", "position", name="uq_survey_questions_position"),
        sa.CheckConstraint("position >= 1", name="position_positive"),
        sa.CheckConstraint("kind NOT IN ('single', 'multiple') OR choices <> ''", name="choice_needs_choices"),
    )

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]

    @property
    def choice_list_zh(self) -> list[str]:
        return [c.strip() for c in self.choices_zh.splitlines() if c.strip()]


class SurveyInvitation(Base):
    """One personal link. Only the SHA-256 of the token is stored; rotating it kills the old link."""

    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    survey: Mapped[Survey] = relationship()
    registration: Mapped[Registration] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("survey_id", "registration_id", name="uq_survey_invitations_person"),)


class SurveyResponse(Base):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    # One response per person: a second submission edits this one.
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_invitations.id", ondelete="CASCADE"),
                                               unique=True)
    economy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("economies.id", ondelete="SET NULL"))
    sex: Mapped[str] = mapped_column(sa.String(20), default="undisclosed")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan")


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"

    response_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_responses.id", ondelete="CASCADE"),
                                             primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_questions.id", ondelete="CASCADE"),
                                             primary_key=True)
    # rating: value; before/after: value (before) and value_after; single: the choice's index;
    # multiple: the chosen indexes in `text` as "0,2"; free text: `text`.
    value: Mapped[int | None] = mapped_column()
    value_after: Mapped[int | None] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        sa.CheckConstraint("value IS NULL OR value >= 0", name="value_not_negative"),
        sa.CheckConstraint("value_after IS NULL OR (value_after BETWEEN 1 AND 5)", name="value_after_1_to_5"),
    )
