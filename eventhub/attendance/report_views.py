"""Attendance summary (page, CSV, XLSX, PDF) and per-session attendance lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from eventhub.accounts.permissions import Action, authorize
from eventhub.agenda.models import Session, SessionKind
from eventhub.attendance import exports, services
from eventhub.attendance.charts import summary_charts
from eventhub.attendance.forms import ReportFilterForm
from eventhub.attendance.pdf import html_to_pdf, page_counter_css
from eventhub.attendance.reports.filters import Filters, session_kinds_in_use
from eventhub.attendance.reports.session_list import session_attendance
from eventhub.attendance.reports.summary import build_summary
from eventhub.attendance.web import bp, download, load_event
from eventhub.events.models import Event
from eventhub.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from eventhub.extensions import db
from eventhub.formatting import day_label
from eventhub.i18n import localized

# --- Attendance reports ------------------------------------------------------------------------------

def _report_filters(event: Event) -> tuple[ReportFilterForm, Filters]:
    form = ReportFilterForm(request.args)
    form.day.choices = [("", _("All days"))] + [(d.isoformat(), day_label(d, "date"))
                                                for d in services.event_days(event)]
    form.kind.choices = [("", _("All sessions and days"))] + [(k.value, k.label)
                                                           for k in session_kinds_in_use(db.session, event)]
    filters = Filters()
    if form.day.data and form.day.data in {v for v, _ in form.day.choices}:
        filters.day = date.fromisoformat(form.day.data)
    if form.kind.data and form.kind.data in {k.value for k in SessionKind}:
        filters.kind = SessionKind(form.kind.data)
    return form, filters


def _summary(slug: str):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    form, filters = _report_filters(event)
    return event, form, build_summary(db.session, event, filters)


def _export_name(event: Event, filters: Filters, ext: str) -> str:
    parts = [f"attendance-{event.slug}"]
    if filters.day:
        parts.append(filters.day.isoformat())
    if filters.kind:
        parts.append(filters.kind.value)
    return "-".join(parts) + f".{ext}"


@bp.route("/events/<slug>/reports/attendance")
def summary(slug: str):
    event, form, built = _summary(slug)
    return render_template("attendance/summary.html", event=event, form=form, s=built, charts=summary_charts(built),
                           for_pdf=False)


@bp.route("/events/<slug>/reports/attendance.csv")
def summary_csv(slug: str):
    event, _form, built = _summary(slug)
    return download(exports.to_csv(exports.summary_tables(built)), CSV_CONTENT_TYPE,
                    _export_name(event, built.filters, "csv"))


@bp.route("/events/<slug>/reports/attendance.xlsx")
def summary_xlsx(slug: str):
    event, _form, built = _summary(slug)
    data = exports.to_xlsx(exports.summary_tables(built), title=_("Attendance — %(event)s", event=localized(event, "title")))
    return download(data, XLSX_CONTENT_TYPE, _export_name(event, built.filters, "xlsx"))


@bp.route("/events/<slug>/reports/attendance.pdf")
def summary_pdf(slug: str):
    event, form, built = _summary(slug)
    footer = page_counter_css(_("Attendance summary · page %(page)s of %(pages)s", page="{page}", pages="{pages}"))
    html = render_template("attendance/summary_pdf.html", event=event, form=form, s=built,
                           charts=summary_charts(built), for_pdf=True, page_footer=footer)
    return download(html_to_pdf(html, base_dir=Path(current_app.static_folder)), "application/pdf",
                     _export_name(event, built.filters, "pdf"))


def _report_session(event: Event, session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


@bp.route("/events/<slug>/reports/sessions/<int:session_id>")
def session_list(slug: str, session_id: int):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    session = _report_session(event, session_id)
    entries = session_attendance(db.session, event, session)
    return render_template("attendance/session_list.html", event=event, session=session, entries=entries)


@bp.route("/events/<slug>/reports/sessions/<int:session_id>.csv")
def session_list_csv(slug: str, session_id: int):
    event = load_event(slug)
    authorize(Action.VIEW_REPORTS, event)
    session = _report_session(event, session_id)
    table = exports.session_list_table(event, session_attendance(db.session, event, session))
    return download(exports.to_csv([table]), CSV_CONTENT_TYPE, f"attendance-session-{session.id}.csv")
