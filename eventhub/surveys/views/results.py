"""Results of a survey (page, CSV, XLSX, PDF) and the completion report pack (page, XLSX, PDF)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _

from eventhub.accounts.permissions import Action, authorize
from eventhub.attendance.exports import KIND_ATTENDED, to_csv, to_xlsx
from eventhub.attendance.pdf import html_to_pdf, page_counter_css
from eventhub.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.surveys.charts import question_charts, report_charts
from eventhub.surveys.exports import results_tables
from eventhub.surveys.report import SEXES, completion_report, flagged_people
from eventhub.surveys.report_tables import report_tables
from eventhub.surveys.results import survey_results
from eventhub.surveys.views.common import bp, load_event, load_survey


def _pdf(html: str) -> bytes:
    return html_to_pdf(html, base_dir=Path(current_app.static_folder))


@bp.route("/events/<slug>/surveys/<int:survey_id>/results")
def results(slug: str, survey_id: int):
    event, survey = load_survey(slug, survey_id, Action.VIEW_REPORTS)
    r = survey_results(db.session, survey)
    return render_template("surveys/results.html", event=event, survey=survey, r=r, qcharts=question_charts(r),
                           for_pdf=False)


@bp.route("/events/<slug>/surveys/<int:survey_id>/results.<any(csv, xlsx, pdf):ext>")
def results_export(slug: str, survey_id: int, ext: str):
    event, survey = load_survey(slug, survey_id, Action.VIEW_REPORTS)
    r = survey_results(db.session, survey)
    name = f"survey-{event.slug}-{survey.id}.{ext}"
    if ext == "csv":
        return download(to_csv(results_tables(r)), CSV_CONTENT_TYPE, name)
    if ext == "xlsx":
        return download(to_xlsx(results_tables(r), title=survey.title), XLSX_CONTENT_TYPE, name)
    footer = page_counter_css(_("Survey results · page %(page)s of %(pages)s", page="{page}", pages="{pages}"))
    html = render_template("surveys/results_pdf.html", event=event, survey=survey, r=r, qcharts=question_charts(r),
                           for_pdf=True, page_footer=footer)
    return download(_pdf(html), "application/pdf", name)


def _report_context(event, *, for_pdf: bool) -> dict:
    rep = completion_report(db.session, event)
    return {"event": event, "rep": rep, "for_pdf": for_pdf, "rep_sexes": SEXES, "kind_attended": KIND_ATTENDED,
            "charts": report_charts(rep), "survey_charts": [question_charts(r) for r in rep.surveys],
            "flagged_people": [] if for_pdf else flagged_people(db.session, event, rep)}


@bp.route("/events/<slug>/reports/completion")
def report(slug: str):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    return render_template("surveys/report.html", **_report_context(event, for_pdf=False))


@bp.route("/events/<slug>/reports/completion.<any(xlsx, pdf):ext>")
def report_export(slug: str, ext: str):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    name = f"completion-{event.slug}.{ext}"
    if ext == "xlsx":
        title = _("Completion report — %(event)s", event=localized(event, "title"))
        return download(to_xlsx(report_tables(completion_report(db.session, event)), title=title),
                        XLSX_CONTENT_TYPE, name)
    footer = page_counter_css(_("Completion report · page %(page)s of %(pages)s", page="{page}", pages="{pages}"))
    html = render_template("surveys/report_pdf.html", page_footer=footer, **_report_context(event, for_pdf=True))
    return download(_pdf(html), "application/pdf", name)
