"""The organizer's forms and the answering form, built per survey from its questions."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from eventhub.i18n import localized
from eventhub.surveys.models import KIND_LABELS, QuestionKind

SCALE = [(str(n), str(n)) for n in range(1, 6)]
ANSWER_REQUIRED = _l("Please answer this question.")


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    session_id = SelectField(_l("Who is asked"), choices=[], validate_choice=True)
    from_template = BooleanField(_l("Start from the APEC participant evaluation template"), default=True)
    min_group_size = IntegerField(_l("Smallest group shown in breakdowns"), default=5,
                                  validators=[InputRequired(), NumberRange(min=2, max=100)])


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Type"), choices=[(k, v) for k, v in KIND_LABELS.items()])
    text = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    text_zh = StringField(_l("Question in Chinese (optional)"), validators=[Optional(), Length(max=500)])
    choices = TextAreaField(_l("Choices, one per line"), validators=[Optional(), Length(max=2000)])
    choices_zh = TextAreaField(_l("Choices in Chinese, one per line (optional)"),
                               validators=[Optional(), Length(max=2000)])
    required = BooleanField(_l("An answer is required"), default=True)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(question) -> list[tuple[str, str]]:
    zh = question.choice_list_zh
    labels = question.choice_list
    shown = [localized(SimpleNamespace(c=c, c_zh=zh[i] if i < len(zh) else ""), "c") for i, c in enumerate(labels)]
    return [(str(i), label) for i, label in enumerate(shown)]


def answer_form(survey, formdata=None, data=None) -> FlaskForm:
    """A form with one field per question, named q<id> (and q<id>_after for the second half of a pair)."""

    class AnswerForm(FlaskForm):
        pass

    for question in survey.questions:
        label = localized(question, "text")
        needed = [InputRequired(message=ANSWER_REQUIRED)] if question.required else [Optional()]
        name = f"q{question.id}"
        if question.kind in (QuestionKind.RATING, QuestionKind.BEFORE_AFTER):
            first = _l("Before the workshop") if question.kind == QuestionKind.BEFORE_AFTER else label
            setattr(AnswerForm, name, RadioField(first, choices=SCALE, validators=needed))
            if question.kind == QuestionKind.BEFORE_AFTER:
                setattr(AnswerForm, f"{name}_after", RadioField(_l("After the workshop"), choices=SCALE,
                                                                  validators=needed))
        elif question.kind == QuestionKind.SINGLE:
            setattr(AnswerForm, name, RadioField(label, choices=_choices(question), validators=needed))
        elif question.kind == QuestionKind.MULTIPLE:
            setattr(AnswerForm, name, MultiCheckboxField(label, choices=_choices(question),
                                                         validators=[DataRequired(message=ANSWER_REQUIRED)]
                                                         if question.required else [Optional()]))
        else:
            setattr(AnswerForm, name, TextAreaField(label, validators=[*needed, Length(max=4000)]))
    return AnswerForm(formdata=formdata, data=data)


def answers_as_data(survey, response) -> dict:
    """A saved response as the answering form's data (to edit it)."""
    if response is None:
        return {}
    by_question = {a.question_id: a for a in response.answers}
    data = {}
    for question in survey.questions:
        answer = by_question.get(question.id)
        if answer is None:
            continue
        name = f"q{question.id}"
        if question.kind in (QuestionKind.RATING, QuestionKind.SINGLE):
            data[name] = str(answer.value) if answer.value is not None else None
        elif question.kind == QuestionKind.BEFORE_AFTER:
            data[name] = str(answer.value) if answer.value is not None else None
            data[f"{name}_after"] = str(answer.value_after) if answer.value_after is not None else None
        elif question.kind == QuestionKind.MULTIPLE:
            data[name] = [c for c in answer.text.split(",") if c]
        else:
            data[name] = answer.text
    return data
