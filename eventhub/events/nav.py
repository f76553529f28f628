"""The staff bar of an event: one link per page, shown to whoever may use that page.

Adding a feature's page to the bar is one line in LINKS, with the permission it needs.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from eventhub.accounts.permissions import Action, allowed_actions


class Link(NamedTuple):
    endpoint: str  # url_for(endpoint, slug=event.slug)
    label: str  # lazy: in the reader's language when shown
    action: Action | None  # None: everyone who sees the bar


LINKS = (
    Link("events.manage", _l("Dashboard"), Action.VIEW_DASHBOARD),
    Link("events.edit", _l("Details"), Action.EDIT_EVENT),
    Link("events.rooms", _l("Rooms"), Action.EDIT_EVENT),
    Link("events.delegations", _l("Economies"), Action.EDIT_EVENT),
    Link("events.staff", _l("Staff"), Action.MANAGE_ROLES),
    Link("registration.registrations", _l("Registrations"), Action.MANAGE_REGISTRATIONS),
    Link("agenda.manage", _l("Agenda"), Action.MANAGE_AGENDA),
    Link("attendance.desk", _l("Check-in"), Action.CHECK_IN),
    Link("attendance.badges", _l("Badges"), Action.PRINT_BADGES),
    Link("attendance.summary", _l("Attendance"), Action.VIEW_REPORTS),
    Link("matching.settings", _l("Business matching"), Action.MANAGE_MATCHING),
    Link("integrations.integrations", _l("Integrations"), Action.EDIT_EVENT),
    Link("documents.letter_list", _l("Visa letters"), Action.ISSUE_LETTERS),
    Link("documents.certificate_list", _l("Certificates"), Action.ISSUE_CERTIFICATES),
    Link("documents.settings", _l("Letter template"), Action.EDIT_DOCUMENT_TEMPLATES),
    Link("documents.logistics_page", _l("Catering and logistics"), Action.MANAGE_REGISTRATIONS),
    Link("surveys.report", _l("Completion report"), Action.VIEW_REPORTS),
    Link("surveys.index", _l("Surveys"), Action.MANAGE_SURVEYS),
    Link("messages.texts", _l("E-mail texts"), Action.EDIT_MESSAGE_TEXTS),
    Link("messages.reminder_settings", _l("Reminders"), Action.EDIT_MESSAGE_TEXTS),
    Link("announcements.index", _l("Announcements"), Action.SEND_ANNOUNCEMENTS),
    Link("events.page", _l("Public page"), None),
)


class NavItem(NamedTuple):
    url: str
    label: str
    current: bool


def event_nav(event) -> list[NavItem]:
    """The links of the current user's staff bar for `event`, the current page marked."""
    allowed = allowed_actions(current_user, event)
    here = request.endpoint
    return [NavItem(url_for(link.endpoint, slug=event.slug), str(link.label), link.endpoint == here)
            for link in LINKS if link.action is None or link.action in allowed]
