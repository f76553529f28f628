"""The one place that decides who may do what in an event.

Views call `authorize(...)` (aborts with 401→log-in, 403 or 404) or `can(...)` (for showing
links). Nothing else in the code base checks roles.

Who is who:
- site admin: everything, everywhere;
- event staff (EventRole): organizer, secretariat, check-in staff, per event;
- focal point: a user listed on a delegation, for that delegation only;
- delegate: the user linked to a registration, for that registration only.
"""

from __future__ import annotations

import enum
import functools

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from eventhub.accounts.models import EventRole, EventRoleKind, User
from eventhub.extensions import db

ORG = EventRoleKind.ORGANIZER
SEC = EventRoleKind.SECRETARIAT
CHK = EventRoleKind.CHECKIN


class Action(enum.StrEnum):
    VIEW_DASHBOARD = "view_dashboard"  # the event's staff dashboard
    EDIT_EVENT = "edit_event"  # details, rooms, invited economies, status
    MANAGE_ROLES = "manage_roles"  # grant and revoke staff roles
    VIEW_DRAFT = "view_draft"  # see an unpublished event's pages
    MANAGE_REGISTRATIONS = "manage_registrations"  # list, approve, add, import, export all delegations
    INVITE_FOCAL_POINTS = "invite_focal_points"
    MANAGE_DELEGATION = "manage_delegation"  # needs delegation=: its focal points and the staff above
    VIEW_REGISTRATION = "view_registration"  # needs registration=: personal details
    EDIT_REGISTRATION = "edit_registration"  # needs registration=
    APPROVE_REGISTRATION = "approve_registration"  # needs registration= or delegation=; never the delegate
    MANAGE_AGENDA = "manage_agenda"  # sessions, speakers, sign-up settings, allocation
    MANAGE_BOOKINGS = "manage_bookings"  # add beyond capacity, remove, move; manifests
    BOOK_SESSIONS = "book_sessions"  # needs registration=: book, cancel, rank roundtables for that person
    CHECK_IN = "check_in"  # the check-in desk and API
    OVERRIDE_CHECK_IN = "override_check_in"  # record a check-in a plain one refuses (not approved, not booked)
    REGISTER_WALK_IN = "register_walk_in"
    VIEW_REPORTS = "view_reports"  # attendance summary and exports
    PRINT_BADGES = "print_badges"  # badge PDFs; focal points for their own delegation (delegation=)
    MANAGE_MATCHING = "manage_matching"  # business matching: settings, slots and tables, the schedule, report
    USE_MATCHING = "use_matching"  # needs registration=: that person's profile, requests and meetings
    MARK_MEETINGS = "mark_meetings"  # the matching desk: mark any meeting of the event held or a no-show
    # Passport details for a visa letter (registration=): the person, their focal point, the secretariat.
    VIEW_PASSPORT = "view_passport"
    EDIT_PASSPORT = "edit_passport"
    ISSUE_LETTERS = "issue_letters"  # the letters list (with passport details), issue, re-issue, revoke
    EDIT_DOCUMENT_TEMPLATES = "edit_document_templates"  # letter text, signatory, images, certificate rule
    ISSUE_CERTIFICATES = "issue_certificates"  # the certificates page and the bulk PDF
    MANAGE_SURVEYS = "manage_surveys"  # build and send evaluation surveys (results: VIEW_REPORTS)
    EDIT_MESSAGE_TEXTS = "edit_message_texts"  # the event's wording of automatic e-mails, reminders
    SEND_ANNOUNCEMENTS = "send_announcements"  # write announcements to chosen participants, see their delivery


# Staff roles that may do each event-wide action. Admins may do everything.
EVENT_ROLES: dict[Action, frozenset[EventRoleKind]] = {
    Action.VIEW_DASHBOARD: frozenset({ORG, SEC, CHK}),
    Action.EDIT_EVENT: frozenset({ORG}),
    Action.MANAGE_ROLES: frozenset({ORG}),
    Action.VIEW_DRAFT: frozenset({ORG, SEC, CHK}),
    Action.MANAGE_REGISTRATIONS: frozenset({ORG, SEC}),
    Action.INVITE_FOCAL_POINTS: frozenset({ORG, SEC}),
    Action.MANAGE_DELEGATION: frozenset({ORG, SEC}),
    Action.VIEW_REGISTRATION: frozenset({ORG, SEC}),
    Action.EDIT_REGISTRATION: frozenset({ORG, SEC}),
    Action.APPROVE_REGISTRATION: frozenset({ORG, SEC}),
    Action.MANAGE_AGENDA: frozenset({ORG}),
    Action.MANAGE_BOOKINGS: frozenset({ORG, SEC}),
    Action.BOOK_SESSIONS: frozenset({ORG, SEC}),
    Action.CHECK_IN: frozenset({ORG, SEC, CHK}),
    Action.OVERRIDE_CHECK_IN: frozenset({SEC, ORG}),
    Action.REGISTER_WALK_IN: frozenset({SEC, ORG}),
    Action.VIEW_REPORTS: frozenset({ORG, SEC}),
    Action.PRINT_BADGES: frozenset({ORG, SEC, CHK}),
    Action.MANAGE_MATCHING: frozenset({ORG}),
    Action.USE_MATCHING: frozenset(),  # only the person themself (and admins): requests speak for them
    Action.MARK_MEETINGS: frozenset({ORG, SEC, CHK}),
    Action.VIEW_PASSPORT: frozenset({SEC}),
    Action.EDIT_PASSPORT: frozenset({SEC}),
    Action.ISSUE_LETTERS: frozenset({SEC}),
    Action.EDIT_DOCUMENT_TEMPLATES: frozenset({ORG}),
    Action.ISSUE_CERTIFICATES: frozenset({ORG, SEC}),
    Action.MANAGE_SURVEYS: frozenset({ORG, SEC}),
    Action.EDIT_MESSAGE_TEXTS: frozenset({ORG}),
    Action.SEND_ANNOUNCEMENTS: frozenset({ORG, SEC}),
}

# Actions a focal point may take for their own delegation (and its registrations): booking for
# them, and their passport details for a visa letter (never other staff but the secretariat).
FOCAL_POINT_ACTIONS = frozenset({Action.MANAGE_DELEGATION, Action.VIEW_REGISTRATION, Action.EDIT_REGISTRATION,
                                 Action.APPROVE_REGISTRATION, Action.PRINT_BADGES, Action.BOOK_SESSIONS,
                                 Action.VIEW_PASSPORT, Action.EDIT_PASSPORT})
# Actions a delegate may take on their own registration. Business matching is theirs alone: a
# request speaks for the person.
SELF_ACTIONS = frozenset({Action.VIEW_REGISTRATION, Action.EDIT_REGISTRATION, Action.BOOK_SESSIONS,
                          Action.USE_MATCHING, Action.VIEW_PASSPORT, Action.EDIT_PASSPORT})


# Built once: every staff page and every scan asks.
_ROLES = sa.select(EventRole.role).where(EventRole.user_id == sa.bindparam("user_id"),
                                         EventRole.event_id == sa.bindparam("event_id"))


def event_roles(user: User, event_id: int) -> frozenset[EventRoleKind]:
    """The staff roles of a user in an event, cached for the request."""
    cache = g.setdefault("_event_roles", {})
    key = (user.id, event_id)
    if key not in cache:
        cache[key] = frozenset(
            db.session.connection().execute(_ROLES, {"user_id": user.id, "event_id": event_id}).scalars())
    return cache[key]


def remember_event_roles(user, event_id: int, roles) -> None:
    """Roles read along with something else (the scanner API reads them with the caller): asking
    event_roles() later in the request costs no query."""
    g.setdefault("_event_roles", {})[(user.id, event_id)] = frozenset(roles)


def focal_delegation_ids(user: User, event_id: int) -> frozenset[int]:
    """Ids of the delegations of an event for which the user is a focal point (cached per request)."""
    from eventhub.registration.models import Delegation, FocalPoint

    cache = g.setdefault("_focal_delegations", {})
    key = (user.id, event_id)
    if key not in cache:
        cache[key] = frozenset(
            db.session.scalars(
                sa.select(FocalPoint.delegation_id)
                .join(Delegation, Delegation.id == FocalPoint.delegation_id)
                .where(FocalPoint.user_id == user.id, Delegation.event_id == event_id)
            )
        )
    return cache[key]


def can(user, action: Action, event, *, delegation=None, registration=None) -> bool:
    """May `user` do `action` in `event` (optionally on one delegation or registration)?

    Nobody — focal point, staff or admin — approves or declines their own registration: it goes to
    the secretariat or another focal point of the delegation.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if action == Action.APPROVE_REGISTRATION and registration is not None and registration.user_id == user.id:
        return False
    if user.is_admin:
        return True
    if event_roles(user, event.id) & EVENT_ROLES[action]:
        return True
    if registration is not None:
        if action in SELF_ACTIONS and registration.user_id == user.id:
            return True
        if action in FOCAL_POINT_ACTIONS and registration.delegation_id in focal_delegation_ids(user, event.id):
            return True
    if delegation is not None and action in FOCAL_POINT_ACTIONS:
        return delegation.id in focal_delegation_ids(user, event.id)
    return False


@functools.cache
def _actions_of(roles: frozenset[EventRoleKind]) -> frozenset[Action]:
    return frozenset(action for action, kinds in EVENT_ROLES.items() if kinds & roles)


def allowed_actions(user, event) -> frozenset[Action]:
    """The event-wide actions of EVENT_ROLES that `user` may take in `event` (for menus: one answer
    instead of asking can() once per link)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.is_admin:
        return frozenset(EVENT_ROLES)
    return _actions_of(event_roles(user, event.id))


def is_staff(user, event) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_admin or bool(event_roles(user, event.id)))


def authorize(action: Action, event, *, delegation=None, registration=None, hide: bool = False) -> None:
    """Abort unless the current user may do `action`. Anonymous users are sent to log in.

    hide=True answers 404 instead of 403, for things whose existence is private. A draft event
    is private: whoever may not see it gets 404 for everything in it.
    """
    if not current_user.is_authenticated:
        abort(401)
    if not can(current_user, action, event, delegation=delegation, registration=registration):
        draft = getattr(getattr(event, "status", None), "value", None) == "draft"
        if draft and not can(current_user, Action.VIEW_DRAFT, event):
            abort(404)
        abort(404 if hide else 403)


def can_create_events(user) -> bool:
    """Site admins and users who organize at least one event may create events (and organize them)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    cache = g.setdefault("_organizes_any", {})
    if user.id not in cache:
        cache[user.id] = db.session.scalar(
            sa.select(EventRole.id).where(EventRole.user_id == user.id, EventRole.role == ORG).limit(1)
        ) is not None
    return cache[user.id]


def authorize_create_event() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not can_create_events(current_user):
        abort(403)


def require_admin() -> None:
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.is_admin:
        abort(403)
