"""The staff registration list as HTML, kept per worker process until the event's list changes.

Secretariat staff page through and filter the list of a large event again and again between
changes; counting and rendering 10,000 registrations each time costs most of the request. A kept
page is looked up by the event's list stamp (list_stamps.py, kept by database triggers), so an
approval, an import or an edit made by any worker shows on the next request.

What is kept has no per-user or per-request part but the reader's language: the CSRF token and the return address live in a
small form outside it (the list's checkboxes and buttons name that form).
"""

from __future__ import annotations

import dataclasses

from flask import render_template
from markupsafe import Markup
from sqlalchemy.orm import Session as DbSession

from eventhub.events.models import Event
from eventhub.i18n import current_language
from eventhub.page_cache import page_cache
from eventhub.registration import queries
from eventhub.registration.list_stamps import list_stamp
from eventhub.registration.models import CATEGORY_LABELS, RegistrationStatus, Sex


def staff_list_html(db_session: DbSession, event: Event, filters: queries.Filters) -> Markup:
    """The list's filters, counts, rows and pagination for `filters`, as HTML."""
    cache = page_cache("staff_list")
    # One page per language: the labels and economy names are in the reader's language.
    slot = (event.id, current_language(), dataclasses.astuple(filters))
    stamp = list_stamp(db_session.connection(), event.id)
    key = (event.slug, stamp)
    html = cache.get(slot, key) if stamp is not None else None
    if html is None:
        page = queries.registration_page(db_session, event, filters)
        html = Markup(render_template("registration/_list_body.html", event=event, page=page, f=filters,
                                      statuses=list(RegistrationStatus), categories=CATEGORY_LABELS,
                                      sexes=list(Sex)))
        if stamp is not None:
            cache.put(slot, key, html)
    return html
