"""The catering and logistics lists: the page, and the same lists as CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.attendance.exports import to_csv, to_xlsx
from eventhub.documents.letters import LETTER_STATES
from eventhub.documents.logistics import logistics, logistics_tables
from eventhub.documents.views import bp
from eventhub.documents.views.common import load_event
from eventhub.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from eventhub.extensions import db
from eventhub.i18n import localized


@bp.route("/events/<slug>/logistics")
def logistics_page(slug: str):
    event = load_event(slug)
    authorize(Action.MANAGE_REGISTRATIONS, event)
    return render_template("documents/logistics.html", event=event, data=logistics(db.session, event),
                           can_issue=can(current_user, Action.ISSUE_LETTERS, event), letter_states=LETTER_STATES)


@bp.route("/events/<slug>/logistics.<any(csv, xlsx):ext>")
def logistics_export(slug: str, ext: str):
    event = load_event(slug)
    authorize(Action.MANAGE_REGISTRATIONS, event)
    tables = logistics_tables(logistics(db.session, event), other_dates=_("Other dates"))
    name = f"logistics-{event.slug}.{ext}"
    if ext == "csv":
        return download(to_csv(tables), CSV_CONTENT_TYPE, name)
    title = _("Catering and logistics — %(event)s", event=localized(event, "title"))
    return download(to_xlsx(tables, title=title), XLSX_CONTENT_TYPE, name)
