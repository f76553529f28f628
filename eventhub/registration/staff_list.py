"""The staff registration list as HTML, kept per worker process until the event's list changes.

Secretariat staff page through and filter the list of a large event again and again between
changes; counting and rendering 10,000 registrations each time costs most of the request. A kept
page is looked up by the event's list stamp (list_stamps.py, kept by database triggers), so an
approval, an import or an edit made by any worker shows on the next request.

What is kept has no per-user or per-request part: the CSRF token and the return address live in a
small form outside it (the list's checkboxes and buttons name that form).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy.orm import Session as DbSession

from eventhub.events.models import Event
from eventhub.registration import queries
from eventhub.registration.list_stamps import list_stamp
from eventhub.registration.models import CATEGORY_LABELS, RegistrationStatus, Sex

MAX_PAGES = 256  # per worker: at about 40 kB a page, 10 MB at most


class PageCache:
    """A small LRU map, safe for threaded servers."""

    def __init__(self, size: int = MAX_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[tuple, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Markup | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Markup) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


def _cache() -> PageCache:
    # One per application: tests make many applications (and databases) in one process.
    return current_app.extensions.setdefault("eventhub.staff_list_pages", PageCache())


def staff_list_html(db_session: DbSession, event: Event, filters: queries.Filters) -> Markup:
    """The list's filters, counts, rows and pagination for `filters`, as HTML."""
    key = (event.id, event.slug, list_stamp(db_session.connection(), event.id), dataclasses.astuple(filters))
    cache = _cache()
    html = cache.get(key)
    if html is None:
        page = queries.registration_page(db_session, event, filters)
        html = Markup(render_template("registration/_list_body.html", event=event, page=page, f=filters,
                                      statuses=list(RegistrationStatus), categories=CATEGORY_LABELS,
                                      sexes=list(Sex)))
        cache.put(key, html)
    return html
