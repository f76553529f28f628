"""Server-side SVG charts of the survey results and the completion report (they print, go into the
PDFs and need no JavaScript), drawn with the attendance charts' bar and share-bar builders."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from eventhub.attendance.charts import ATTENDED, REGISTERED, SEX_COLOURS, Series, bar_chart, share_bar
from eventhub.i18n import localized
from eventhub.registration.models import Sex
from eventhub.surveys.models import QuestionKind
from eventhub.surveys.results import Results


def question_charts(results: Results) -> dict[int, Markup]:
    """{question id: chart} of the questions with a distribution (ratings, choices, before/after)."""
    charts = {}
    for q in results.questions:
        if not q.distribution:
            continue
        title = localized(q.question, "text")
        labels = [label for label, _n in q.distribution]
        if q.question.kind == QuestionKind.BEFORE_AFTER:
            after = {str(n): 0 for n in range(1, 6)}
            after.update(q.after_distribution)
            series = [Series(_("Before the workshop"), REGISTERED, [n for _label, n in q.distribution]),
                      Series(_("After the workshop"), ATTENDED, [after[label] for label in labels])]
        else:
            series = [Series(_("Answers"), ATTENDED, [n for _label, n in q.distribution])]
        charts[q.question.id] = bar_chart(title, labels, series, label_w=150 if len(max(labels, key=len)) > 4 else 40)
    return charts


def report_charts(report) -> dict[str, Markup]:
    rows = report.attended.rows
    return {
        "economy": bar_chart(
            _("Attendees by economy and sex"), [r.label for r in rows],
            [Series(Sex.FEMALE.label, SEX_COLOURS["female"], [r.counts["female"] for r in rows]),
             Series(Sex.MALE.label, SEX_COLOURS["male"], [r.counts["male"] for r in rows])], label_w=190),
        "sex": share_bar(_("Attendees by sex"), [(s.label, report.attended.total.counts[s.value],
                                                  SEX_COLOURS[s.value]) for s in Sex]),
    }
