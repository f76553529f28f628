"""A survey's results as tables for CSV (UTF-8 with BOM) and XLSX: the summary per question, the
distributions, the breakdowns (small groups left out) and the free-text answers without names."""

from __future__ import annotations

from flask_babel import gettext as _

from eventhub.attendance.exports import Percent, Table
from eventhub.i18n import localized
from eventhub.surveys.report_tables import survey_table
from eventhub.surveys.results import Results


def results_tables(results: Results) -> list[Table]:
    rate = results.rate
    overview = Table(_("Overview"), [_("Invited"), _("Answered"), _("Response rate")],
                     [[results.invited, results.responded, None if rate is None else Percent(round(rate, 4))]])
    distribution = Table(_("Distribution"), [_("Question"), _("Answer"), _("Count")], [
        [localized(q.question, "text"), label, n] for q in results.questions for label, n in q.distribution])
    groups = Table(_("Breakdowns"), [_("Question"), _("Group"), _("Answers"), _("Mean")], [
        [localized(q.question, "text"), g.label, g.count if g.mean is not None else None,
         round(g.mean, 2) if g.mean is not None else _("fewer than %(n)s answers", n=results.survey.min_group_size)]
        for q in results.questions for g in [*q.by_economy, *q.by_sex]])
    texts = Table(_("Comments"), [_("Question"), _("Answer")], [
        [localized(q.question, "text"), t] for q in results.questions for t in q.texts])
    return [overview, survey_table(results, _("Questions")), distribution, groups, texts]
