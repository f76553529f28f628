"""Results of a survey (page, CSV, XLSX) and the completion report (page, XLSX, PDF)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _

from eventhub.accounts.permissions import Action, authorize
from eventhub.attendance.exports import to_csv, to_xlsx
from eventhub.attendance.pdf import html_to_pdf, page_counter_css
from eventhub.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.surveys.exports import results_tables
from eventhub.surveys.report import SEXES, completion_report, report_tables
from eventhub.surveys.results import survey_results
from eventhub.surveys.views.common import bp, load_event, load_survey


@bp.route("/events/<slug>/surveys/<int:survey_id>/results")
def results(slug: str, survey_id: int):
    event, survey = load_survey(slug, survey_id, Action.VIEW_REPORTS)
    return render_template("surveys/results.html", event=event, survey=survey,
                           r=survey_results(db.session, survey))


@bp.route("/events/<slug>/surveys/<int:survey_id>/results.<any(csv, xlsx):ext>")
def results_export(slug: str, survey_id: int, ext: str):
    event, survey = load_survey(slug, survey_id, Action.VIEW_REPORTS)
    tables = results_tables(survey_results(db.session, survey))
    name = f"survey-{event.slug}-{survey.id}.{ext}"
    if ext == "csv":
        return download(to_csv(tables), CSV_CONTENT_TYPE, name)
    return download(to_xlsx(tables, title=survey.title), XLSX_CONTENT_TYPE, name)


@bp.route("/events/<slug>/reports/completion")
def report(slug: str):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    return render_template("surveys/report.html", event=event, rep=completion_report(db.session, event),
                           for_pdf=False, rep_sexes=SEXES)


@bp.route("/events/<slug>/reports/completion.<any(xlsx, pdf):ext>")
def report_export(slug: str, ext: str):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    rep = completion_report(db.session, event)
    name = f"completion-{event.slug}.{ext}"
    if ext == "xlsx":
        title = _("Completion report — %(event)s", event=localized(event, "title"))
        return download(to_xlsx(report_tables(rep), title=title), XLSX_CONTENT_TYPE, name)
    footer = page_counter_css(_("Completion report · page %(page)s of %(pages)s", page="{page}", pages="{pages}"))
    html = render_template("surveys/report_pdf.html", event=event, rep=rep, for_pdf=True, page_footer=footer, rep_sexes=SEXES)
    return download(html_to_pdf(html, base_dir=Path(current_app.static_folder)), "application/pdf", name)
