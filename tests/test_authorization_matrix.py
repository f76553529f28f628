"""The authorization matrix: every route, walked for every kind of user, answers the expected status.

HOW TO ADD YOUR ROUTE (one line in ROUTES below):

    Route("GET",  "/events/{slug}/agenda/manage",               ORGANIZER),
    Route("POST", "/events/{slug}/registrations/{registration_id}/approve",
                                                                 "302 403 403 403 302 403 302 302"),

- The expected statuses are one string of 8 codes, in the order of ROLES:
      anonymous  delegate  focal_point  checkin  secretariat  other_organizer  organizer  admin
  or one of the shorthands (PUBLIC, LOGGED_IN, ADMIN_ONLY, ORGANIZER, STAFF, …).
- Path placeholders come from `World.ids` (see build_world): {slug} (published event), {draft_slug}
  (a draft with the same staff), {other_slug}, {room_id}, {delegation_id}, {registration_id},
  {session_id}, {role_id}, {economy_id}, {period_id}, {message_id}, {token} (password link),
  {invite_token}, {confirm_token}, {calendar_token}, {survey_id}. Need another? Add it to build_world().
  Parts fixed by a converter are written out: "/events/{slug}/registrations/export.csv".
- Non-GET requests are sent with `data` (default: an empty form) and CSRF off, each role on a
  fresh world, so a successful delete by one role does not change what the next one sees. An empty
  form usually re-renders with errors (200) for those allowed and is refused for the others.
- test_every_route_is_in_the_matrix fails for any rule of app.url_map (except static) and method
  that has no row here: a new route is not done until its row is.

Conventions: anonymous users are sent to log in (302) on protected pages; a draft event is private,
so outsiders get 404 for everything in it; allowed-but-not-yours is 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import NamedTuple

import pytest
from werkzeug.security import generate_password_hash

from eventhub.extensions import db

ROLES = ("anonymous", "delegate", "focal_point", "checkin", "secretariat", "other_organizer", "organizer", "admin")

# Shorthands, in the order of ROLES.
PUBLIC = "200 200 200 200 200 200 200 200"
LOGGED_IN = "302 200 200 200 200 200 200 200"
ADMIN_ONLY = "302 403 403 403 403 403 403 200"
ORGANIZER = "302 403 403 403 403 403 200 200"  # Action.EDIT_EVENT, MANAGE_ROLES, MANAGE_AGENDA
STAFF = "302 403 403 200 200 403 200 200"  # Action.VIEW_DASHBOARD, CHECK_IN
SECRETARIAT = "302 403 403 403 200 403 200 200"  # Action.MANAGE_REGISTRATIONS, VIEW_REPORTS
DRAFT_ORGANIZER = "302 404 404 403 403 404 200 200"  # organizer-only page of a draft event
DRAFT_STAFF = "302 404 404 200 200 404 200 200"
# After a POST that works, the view redirects.
ORGANIZER_POST = "302 403 403 403 403 403 302 302"
ADMIN_POST = "302 403 403 403 403 403 403 302"
MATCHING_OFF = "302 404 404 404 404 404 404 404"  # business matching not switched on: nothing to see


class Route(NamedTuple):
    method: str
    path: str
    expected: str
    data: dict | None = None


ROUTES: list[Route] = [
    # --- accounts ---------------------------------------------------------------------------------
    Route("GET", "/login", "200 302 302 302 302 302 302 302"),
    Route("POST", "/login", PUBLIC),  # empty form: errors shown
    Route("GET", "/logout", "302 200 200 200 200 200 200 200"),  # asks; only POST logs out
    Route("POST", "/logout", "302 302 302 302 302 302 302 302"),
    Route("GET", "/password/forgot", PUBLIC),
    Route("POST", "/password/forgot", PUBLIC),
    Route("POST", "/language", "303 303 303 303 303 303 303 303"),  # anyone may choose a language
    Route("GET", "/password/reset/{token}", PUBLIC),
    Route("POST", "/password/reset/{token}", PUBLIC),
    Route("GET", "/account", LOGGED_IN),
    Route("POST", "/account", LOGGED_IN),  # empty form: the language is asked for again
    Route("POST", "/language", "303 303 303 303 303 303 303 303"),  # the switcher: back to the page
    # --- events: public ---------------------------------------------------------------------------
    Route("GET", "/", PUBLIC),
    Route("GET", "/events/{slug}/", PUBLIC),
    Route("GET", "/events/{draft_slug}/", "404 404 404 200 200 404 200 200"),
    Route("GET", "/my/events", LOGGED_IN),
    # --- events: set-up ---------------------------------------------------------------------------
    Route("GET", "/events/new", "302 403 403 403 403 200 200 200"),
    Route("POST", "/events/new", "302 403 403 403 403 200 200 200"),
    Route("GET", "/events/{slug}/manage", STAFF),
    Route("GET", "/events/{draft_slug}/manage", DRAFT_STAFF),
    Route("GET", "/events/{other_slug}/manage", "302 403 403 403 403 200 403 200"),
    Route("POST", "/events/{slug}/manage/status", ORGANIZER_POST),
    Route("POST", "/events/{draft_slug}/manage/status", "302 404 404 403 403 404 302 302", {"status": "published"}),
    Route("GET", "/events/{slug}/manage/details", ORGANIZER),
    Route("GET", "/events/{draft_slug}/manage/details", DRAFT_ORGANIZER),
    Route("POST", "/events/{slug}/manage/details", ORGANIZER),
    Route("GET", "/events/{slug}/manage/rooms", ORGANIZER),
    Route("POST", "/events/{slug}/manage/rooms", ORGANIZER),
    Route("GET", "/events/{slug}/manage/rooms/{room_id}", ORGANIZER),
    Route("POST", "/events/{slug}/manage/rooms/{room_id}", ORGANIZER),
    Route("POST", "/events/{slug}/manage/rooms/{room_id}/delete", ORGANIZER_POST),
    Route("GET", "/events/{slug}/manage/economies", ORGANIZER),
    Route("POST", "/events/{slug}/manage/economies", ORGANIZER),
    Route("POST", "/events/{slug}/manage/economies/{delegation_id}/quota", ORGANIZER),
    Route("POST", "/events/{slug}/manage/economies/{delegation_id}/remove", ORGANIZER_POST),
    Route("GET", "/events/{slug}/manage/staff", ORGANIZER),
    Route("POST", "/events/{slug}/manage/staff", ORGANIZER),
    Route("POST", "/events/{slug}/manage/staff/{role_id}/revoke", ORGANIZER_POST),
    # --- economies (site admins) ------------------------------------------------------------------
    Route("GET", "/admin/economies/", ADMIN_ONLY),
    Route("GET", "/admin/economies/new", ADMIN_ONLY),
    Route("POST", "/admin/economies/new", ADMIN_ONLY),
    Route("GET", "/admin/economies/{economy_id}", ADMIN_ONLY),
    Route("POST", "/admin/economies/{economy_id}", ADMIN_ONLY),
    Route("POST", "/admin/economies/{economy_id}/eligibility", ADMIN_ONLY),
    Route("POST", "/admin/economies/{economy_id}/eligibility/{period_id}/delete", ADMIN_POST),
    # --- mail outbox (site admins) ----------------------------------------------------------------
    Route("GET", "/admin/mail/", ADMIN_ONLY),
    Route("GET", "/admin/mail/{message_id}", ADMIN_ONLY),
    Route("POST", "/admin/mail/{message_id}/retry", ADMIN_POST),
    # ▼ Other features: add your rows below, grouped under a comment with your feature's name. ▼
    # --- registration ---------------------------------------------------------------------------
    Route("GET", "/r/{invite_token}", PUBLIC),
    Route("POST", "/r/{invite_token}", "422 422 422 422 422 422 422 422"),  # empty form: errors shown
    Route("GET", "/r/{invite_token}/done", "302 302 302 302 302 302 302 302"),  # nothing registered yet
    Route("GET", "/confirm/{confirm_token}", PUBLIC),
    Route("POST", "/confirm/{confirm_token}", PUBLIC),  # already confirmed: says so
    Route("GET", "/my/registrations", LOGGED_IN),
    Route("GET", "/events/{slug}/my-registration", "302 302 302 302 302 302 302 302"),
    # The delegate's home (messages); a focal point without a registration sees their delegation's checklists.
    Route("GET", "/events/{slug}/home", "302 200 200 302 302 302 302 302"),
    Route("GET", "/events/{slug}/participants", PUBLIC),
    Route("GET", "/events/{slug}/registrations/{registration_id}", "302 200 200 404 200 404 200 200"),
    Route("GET", "/events/{slug}/registrations/{registration_id}/edit", "302 200 200 404 200 404 200 200"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/edit", "302 422 422 404 422 404 422 422"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/cancel", "302 302 302 404 302 404 302 302"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/approve", "302 404 302 404 302 404 302 302"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/decline", "302 404 302 404 302 404 302 302"),
    Route("GET", "/events/{slug}/registrations/{registration_id}/my-data.json", "302 200 200 404 200 404 200 200"),
    Route("GET", "/events/{slug}/registrations/{registration_id}/substitute", "302 404 200 404 200 404 200 200"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/substitute", "302 404 422 404 422 404 422 422"),
    Route("GET", "/events/{slug}/delegations/", "302 403 302 403 200 403 200 200"),  # focal point: to theirs
    Route("GET", "/events/{slug}/delegations/{delegation_id}/", "302 404 200 404 200 404 200 200"),
    Route("POST", "/events/{slug}/delegations/{delegation_id}/rotate-link", "302 404 302 404 302 404 302 302"),
    Route("POST", "/events/{slug}/delegations/{delegation_id}/focal-points", "302 404 404 404 422 404 422 422"),
    Route("POST", "/events/{slug}/delegations/{delegation_id}/focal-points/{focal_point_id}/remove",
          "302 404 404 404 302 404 302 302"),
    Route("GET", "/events/{slug}/delegations/{delegation_id}/nominate", "302 404 200 404 200 404 200 200"),
    Route("POST", "/events/{slug}/delegations/{delegation_id}/nominate", "302 404 422 404 422 404 422 422"),
    Route("GET", "/events/{slug}/delegations/{delegation_id}/import", "302 404 200 404 200 404 200 200"),
    Route("POST", "/events/{slug}/delegations/{delegation_id}/import", "302 404 422 404 422 404 422 422"),
    Route("POST", "/events/{slug}/delegations/{delegation_id}/import/confirm", "302 404 400 404 400 404 400 400"),
    Route("GET", "/events/{slug}/registrations/import-template.csv", PUBLIC),
    Route("GET", "/events/{slug}/registrations/", SECRETARIAT),
    Route("POST", "/events/{slug}/registrations/bulk", "302 403 403 403 302 403 302 302"),
    Route("GET", "/events/{slug}/registrations/new", SECRETARIAT),
    Route("POST", "/events/{slug}/registrations/new", "302 403 403 403 422 403 422 422"),
    Route("GET", "/events/{slug}/registrations/export.csv", SECRETARIAT),
    Route("GET", "/events/{slug}/registrations/export.xlsx", SECRETARIAT),
    Route("GET", "/events/{draft_slug}/registrations/", "404 404 404 403 200 404 200 200"),  # a draft is private
    # --- calendars --------------------------------------------------------------------------------
    Route("GET", "/events/{slug}/agenda.ics", PUBLIC),
    Route("GET", "/events/{draft_slug}/agenda.ics", "404 404 404 200 200 404 200 200"),
    Route("GET", "/events/{slug}/sessions/{session_id}.ics", PUBLIC),
    Route("GET", "/calendar/{calendar_token}.ics", PUBLIC),  # the token is the key; rotated → 404
    Route("GET", "/events/{slug}/calendar", PUBLIC),
    Route("POST", "/events/{slug}/calendar/{registration_id}/rotate", "302 302 302 404 302 404 302 302"),
    # --- attendance: check-in desk, scanner API, badges, reports -----------------------------------
    Route("GET", "/events/{slug}/checkin", STAFF),
    Route("GET", "/events/{draft_slug}/checkin", DRAFT_STAFF),
    Route("POST", "/events/{slug}/checkin/scan", "302 403 403 302 302 403 302 302"),  # empty: back to the desk
    Route("POST", "/events/{slug}/checkin/person", "302 403 403 400 400 403 400 400"),  # empty: bad request
    Route("POST", "/events/{slug}/checkin/999999/undo", "302 403 403 302 302 403 302 302"),  # unknown: says so
    Route("GET", "/events/{slug}/checkin/walk-in", SECRETARIAT),
    Route("POST", "/events/{slug}/checkin/walk-in", "302 403 403 403 422 403 422 422"),  # empty form: errors
    Route("POST", "/events/{slug}/registrations/{registration_id}/reissue-badge", "302 403 403 403 302 403 302 302"),
    Route("POST", "/api/events/{slug}/checkins", "401 401 401 401 401 401 401 401"),  # needs an API token
    Route("GET", "/my/api-token", LOGGED_IN),
    # The phone desk's shell holds no event or personal data, but the anonymous are sent to log in
    # unless the browser was set up as a desk (its cookie: a desk whose sign-in expired opens).
    Route("GET", "/events/{slug}/desk/", STAFF),
    Route("GET", "/events/{slug}/desk/sw.js", PUBLIC),
    Route("GET", "/events/{slug}/desk/manifest.webmanifest", PUBLIC),
    Route("POST", "/events/{slug}/desk/token", "401 403 403 200 200 403 200 200"),  # sets a desk up
    Route("GET", "/api/events/{slug}/desk/roster", "401 401 401 401 401 401 401 401"),  # needs a desk token
    Route("GET", "/api/events/{slug}/desk/recent", "401 401 401 401 401 401 401 401"),
    Route("POST", "/api/events/{slug}/desk/walk-ins", "401 401 401 401 401 401 401 401"),  # a desk token
    Route("GET", "/events/{slug}/manage/desks/settings", ORGANIZER),
    Route("POST", "/events/{slug}/manage/desks/settings", "302 403 403 403 403 403 422 422"),  # empty: the error
    Route("POST", "/events/{slug}/manage/desks/999999/revoke", ORGANIZER_POST),  # no such desk: back to staff
    Route("POST", "/my/api-token", LOGGED_IN),  # generates a token, shown once
    # --- the JSON API (issue 18): a session cookie is no token; tokens per role: tests/api/test_token_matrix.py
    Route("GET", "/api/v1/openapi.json", PUBLIC),
    Route("GET", "/api/v1/docs", PUBLIC),
    Route("GET", "/api/v1/events", PUBLIC),
    Route("GET", "/api/v1/events/{slug}", PUBLIC),
    Route("GET", "/api/v1/events/{slug}/registrations", "401 401 401 401 401 401 401 401"),
    Route("GET", "/api/v1/events/{slug}/delegations", "401 401 401 401 401 401 401 401"),
    Route("GET", "/api/v1/events/{slug}/sessions/{session_id}/bookings", "401 401 401 401 401 401 401 401"),
    Route("GET", "/api/v1/events/{slug}/checkins", "401 401 401 401 401 401 401 401"),
    Route("GET", "/api/v1/events/{slug}/attendance", "401 401 401 401 401 401 401 401"),
    Route("POST", "/api/v1/events/{slug}/delegations/{delegation_id}/registrations", "401 401 401 401 401 401 401 401"),
    Route("POST", "/api/v1/events/{slug}/registrations/{registration_id}/decision", "401 401 401 401 401 401 401 401"),
    Route("POST", "/api/v1/events/{slug}/sessions/{session_id}/bookings", "401 401 401 401 401 401 401 401"),
    Route("POST", "/api/v1/events/{slug}/checkins", "401 401 401 401 401 401 401 401"),
    Route("GET", "/my/api-tokens", LOGGED_IN),
    Route("POST", "/my/api-tokens", "302 400 400 400 400 400 400 400"),  # empty form: errors, 400
    Route("POST", "/my/api-tokens/1/revoke", "302 302 302 302 302 302 302 302"),  # only one's own tokens
    Route("GET", "/events/{slug}/integrations", ORGANIZER),
    Route("POST", "/events/{slug}/integrations", "302 403 403 403 403 403 400 400"),
    Route("POST", "/events/{slug}/integrations/deliveries/1/redeliver", "302 403 403 403 403 403 404 404"),
    Route("GET", "/events/{slug}/badges", "302 403 200 200 200 403 200 200"),  # focal point: their delegation
    Route("GET", "/events/{slug}/badges.pdf", STAFF),  # all delegations: staff only
    Route("GET", "/events/{slug}/registrations/{registration_id}/badge.pdf", "302 404 200 200 200 404 200 200"),
    # --- documents: passport details (the person, their focal point, the secretariat), letters, certificates
    Route("GET", "/events/{slug}/registrations/{registration_id}/passport", "302 200 200 404 200 404 404 200"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/passport", "302 422 422 404 422 404 404 422"),
    Route("GET", "/events/{slug}/letters", "302 403 403 403 200 403 403 200"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/letter/issue", "302 404 404 404 302 404 404 302"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/letter/revoke", "302 404 404 404 302 404 404 302"),
    Route("GET", "/events/{slug}/registrations/{registration_id}/letter.pdf", "302 404 404 404 404 404 404 404"),
    Route("GET", "/events/{slug}/documents", ORGANIZER),
    Route("POST", "/events/{slug}/documents", "302 403 403 403 403 403 422 422"),
    Route("GET", "/events/{slug}/documents/preview.pdf", ORGANIZER),
    Route("GET", "/events/{slug}/certificates", SECRETARIAT),
    Route("POST", "/events/{slug}/certificates.pdf", "302 403 403 403 302 403 302 302"),  # nobody attended: back
    Route("GET", "/events/{slug}/registrations/{registration_id}/certificate.pdf", "302 404 404 404 404 404 404 404"),
    Route("POST", "/events/{slug}/registrations/{registration_id}/certificate/email",
          "302 404 404 404 404 404 404 404"),
    Route("GET", "/verify/VL-ABCDE-FGHJK", "404 404 404 404 404 404 404 404"),  # unknown reference, for all
    Route("GET", "/events/{slug}/reports/attendance", SECRETARIAT),
    Route("GET", "/events/{draft_slug}/reports/attendance", "302 404 404 403 200 404 200 200"),
    Route("GET", "/events/{slug}/reports/attendance.csv", SECRETARIAT),
    Route("GET", "/events/{slug}/reports/attendance.xlsx", SECRETARIAT),
    Route("GET", "/events/{slug}/reports/attendance.pdf", SECRETARIAT),
    Route("GET", "/events/{slug}/reports/sessions/{session_id}", SECRETARIAT),
    Route("GET", "/events/{slug}/reports/sessions/{session_id}.csv", SECRETARIAT),
    # --- agenda and sign-ups ------------------------------------------------------------------------
    Route("GET", "/events/{slug}/agenda", PUBLIC),
    Route("GET", "/events/{draft_slug}/agenda", "404 404 404 200 200 404 200 200"),
    Route("GET", "/events/{slug}/sessions/{session_id}", PUBLIC),
    Route("GET", "/events/{slug}/agenda/manage", ORGANIZER),
    Route("GET", "/events/{slug}/agenda/sessions/new", ORGANIZER),
    Route("POST", "/events/{slug}/agenda/sessions/new", ORGANIZER),  # empty form: errors shown
    Route("GET", "/events/{slug}/agenda/sessions/{session_id}/edit", ORGANIZER),
    Route("POST", "/events/{slug}/agenda/sessions/{session_id}/edit", ORGANIZER),
    Route("GET", "/events/{slug}/agenda/sessions/{session_id}/cancel", ORGANIZER),  # the confirmation
    Route("POST", "/events/{slug}/agenda/sessions/{session_id}/cancel", ORGANIZER_POST),
    Route("POST", "/events/{slug}/agenda/sessions/{session_id}/reinstate", ORGANIZER_POST),
    Route("POST", "/events/{slug}/sessions/{session_id}/book", "302 302 302 302 302 302 302 302"),  # says why not
    Route("POST", "/events/{slug}/bookings/{booking_id}/cancel", "302 302 302 403 302 403 302 302"),
    Route("GET", "/events/{slug}/programme", LOGGED_IN),
    Route("GET", "/events/{slug}/roundtables", LOGGED_IN),
    Route("POST", "/events/{slug}/roundtables", "302 400 400 400 400 400 400 400"),  # empty: bad request
    Route("GET", "/events/{slug}/sessions/{session_id}/participants", SECRETARIAT),
    Route("POST", "/events/{slug}/sessions/{session_id}/participants/add", "302 403 403 403 422 403 422 422"),
    Route("POST", "/events/{slug}/bookings/{booking_id}/remove", "302 403 403 403 302 403 302 302"),
    Route("POST", "/events/{slug}/bookings/{booking_id}/move", "302 403 403 403 302 403 302 302"),
    Route("POST", "/events/{slug}/bookings/{booking_id}/vehicle", "302 403 403 403 302 403 302 302"),
    Route("POST", "/events/{slug}/sessions/{session_id}/vehicles", "302 403 403 403 422 403 422 422"),
    Route("POST", "/events/{slug}/sessions/{session_id}/vehicles/auto", "302 403 403 403 302 403 302 302"),
    Route("GET", "/events/{slug}/sessions/{session_id}/manifest", "302 403 403 403 404 403 404 404"),  # no visit
    Route("GET", "/events/{slug}/sessions/{session_id}/manifest.csv", "302 403 403 403 404 403 404 404"),  # no visit
    Route("GET", "/events/{slug}/sessions/{session_id}/manifest.xlsx", "302 403 403 403 404 403 404 404"),  # no visit
    Route("GET", "/events/{slug}/allocation", ORGANIZER),
    Route("POST", "/events/{slug}/allocation/run", "302 403 403 403 403 403 400 400"),  # empty: bad request
    Route("POST", "/events/{slug}/allocation/999999/publish", ORGANIZER_POST),  # not confirmed: says so
    # --- business matching (off in this world: participants' pages do not exist) --------------------
    Route("GET", "/events/{slug}/matching/settings", ORGANIZER),
    Route("POST", "/events/{slug}/matching/settings", "302 403 403 403 403 403 422 422"),  # empty: errors
    Route("POST", "/events/{slug}/matching/sessions/{session_id}", "302 403 403 403 403 403 404 404"),  # a plenary
    Route("GET", "/events/{slug}/matching/schedule", ORGANIZER),
    Route("POST", "/events/{slug}/matching/schedule/run", ORGANIZER_POST),
    Route("POST", "/events/{slug}/matching/schedule/publish", ORGANIZER_POST),  # nothing to publish: says so
    Route("GET", "/events/{slug}/matching", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/profile", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/profile", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/profiles/999999", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/profiles/999999/request", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/requests", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/requests/999999/accept", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/requests/999999/decline", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/requests/999999/withdraw", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/meetings", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/meetings/999999/outcome", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/report", ORGANIZER),
    # --- messages: the event's e-mail texts and reminders ----------------------------------------------
    Route("GET", "/events/{slug}/messages/texts", ORGANIZER),
    Route("GET", "/events/{slug}/messages/texts/signups.confirmed/en", ORGANIZER),
    Route("GET", "/events/{slug}/messages/texts/reminder.day_before/zh_Hans", ORGANIZER),
    Route("POST", "/events/{slug}/messages/texts/signups.confirmed/en", "302 403 403 403 403 403 422 422"),
    Route("GET", "/events/{slug}/messages/reminders", ORGANIZER),
    Route("POST", "/events/{slug}/messages/reminders/day_before", "302 403 403 403 403 403 422 422"),
    # business matching on the day (held / no-show, cancel before the cut-off) and its paper
    Route("GET", "/events/{slug}/matching/meetings.pdf", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/meetings/999999/cancel", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/meetings/999999/attendance", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/day", STAFF),  # Action.MARK_MEETINGS: the desk
    Route("POST", "/events/{slug}/matching/day/meetings/999999/attendance", "302 403 403 302 302 403 302 302"),
    Route("POST", "/events/{slug}/matching/day/cutoff", "302 403 403 403 403 403 422 422"),  # empty: errors
    Route("POST", "/events/{slug}/matching/day/send-schedules", ORGANIZER_POST),
    Route("GET", "/events/{slug}/matching/table-plan.pdf", ORGANIZER),
    Route("GET", "/events/{slug}/matching/table-signs.pdf", ORGANIZER),
    Route("GET", "/events/{slug}/matching/firms", ORGANIZER),
    Route("POST", "/events/{slug}/matching/firms/link", ORGANIZER_POST),
    Route("POST", "/events/{slug}/matching/firms/link/revoke", ORGANIZER_POST),
    Route("POST", "/events/{slug}/matching/firms/figures", ORGANIZER_POST),
    Route("GET", "/events/{slug}/matching/join/no-such-link", "404 404 404 404 404 404 404 404"),
    Route("POST", "/events/{slug}/matching/join/no-such-link", "404 404 404 404 404 404 404 404"),
    Route("GET", "/events/{slug}/matching/join/no-such-link/done", "404 404 404 404 404 404 404 404"),
    Route("POST", "/events/{slug}/matching/profile/image", MATCHING_OFF),
    Route("POST", "/events/{slug}/matching/profile/image/delete", MATCHING_OFF),
    Route("GET", "/events/{slug}/matching/profiles/999999/image.png", MATCHING_OFF),
    # --- surveys and the completion report ----------------------------------------------------------
    Route("GET", "/survey/not-a-real-token", "404 404 404 404 404 404 404 404"),  # anyone with the link
    Route("POST", "/survey/not-a-real-token", "404 404 404 404 404 404 404 404"),
    Route("GET", "/events/{slug}/surveys", SECRETARIAT),
    Route("POST", "/events/{slug}/surveys", "302 403 403 403 422 403 422 422"),  # empty form: errors shown
    Route("GET", "/events/{slug}/surveys/{survey_id}", SECRETARIAT),
    Route("POST", "/events/{slug}/surveys/{survey_id}", "302 403 403 403 422 403 422 422"),
    Route("POST", "/events/{slug}/surveys/{survey_id}/questions/999999/up", "302 403 403 403 302 403 302 302"),
    Route("POST", "/events/{slug}/surveys/{survey_id}/invite", "302 403 403 403 302 403 302 302"),
    Route("GET", "/events/{slug}/surveys/{survey_id}/results", SECRETARIAT),
    Route("GET", "/events/{slug}/surveys/{survey_id}/results.csv", SECRETARIAT),
    Route("GET", "/events/{slug}/surveys/{survey_id}/results.pdf", SECRETARIAT),
    Route("GET", "/events/{slug}/reports/completion", SECRETARIAT),
    Route("GET", "/events/{slug}/reports/completion.xlsx", SECRETARIAT),
    # --- announcements (messages) ----------------------------------------------------------------------
    Route("GET", "/events/{slug}/announcements", SECRETARIAT),
    Route("GET", "/events/{slug}/announcements/new", SECRETARIAT),
    Route("POST", "/events/{slug}/announcements/new", "302 403 403 403 422 403 422 422"),  # empty form: errors
    Route("GET", "/events/{slug}/announcements/999999", "302 403 403 403 404 403 404 404"),
    Route("GET", "/unsubscribe/not-a-real-token", "404 404 404 404 404 404 404 404"),  # anyone with the link
    Route("POST", "/unsubscribe/not-a-real-token", "404 404 404 404 404 404 404 404"),
    Route("GET", "/events/{slug}/reports/completion.pdf", SECRETARIAT),
    # --- catering and logistics lists (Action.MANAGE_REGISTRATIONS) ---------------------------------
    Route("GET", "/events/{slug}/logistics", SECRETARIAT),
    Route("GET", "/events/{slug}/logistics.csv", SECRETARIAT),
    Route("GET", "/events/{slug}/logistics.xlsx", SECRETARIAT),
    Route("GET", "/events/{draft_slug}/logistics", "404 404 404 403 200 404 200 200"),  # a draft: private
]


# --- The world every route is tried against ---------------------------------------------------------

_HASH = generate_password_hash("matrix-password", method="scrypt")  # once: scrypt is slow on purpose


@dataclass
class World:
    users: dict[str, object | None] = field(default_factory=dict)  # role -> User (None: anonymous)
    ids: dict[str, object] = field(default_factory=dict)  # placeholder -> value


def build_world(make, n: int) -> World:
    """A published event with one of everything, a draft with the same staff, another organizer's event."""
    from eventhub.accounts.models import EventRole, EventRoleKind, User
    from eventhub.accounts.tokens import Purpose, make_password_token
    from eventhub.agenda.models import Session, SessionKind
    from eventhub.economies.models import TravelEligibility
    from eventhub.events.models import Event, EventStatus, Room
    from eventhub.mail.models import MailStatus, OutboxMessage
    from eventhub.registration.models import Delegation, FocalPoint, Registration, RegistrationStatus

    s = db.session
    users = {}
    for role in ROLES[1:]:
        users[role] = User(email=f"{role}.{n}@matrix.example", password_hash=_HASH, password_version=1,
                           is_admin=role == "admin")
    s.add_all(users.values())
    start = date.today() + timedelta(days=30)

    def event(slug, status):
        return Event(slug=slug, title=f"Matrix {slug}", timezone="Asia/Shanghai", start_date=start, end_date=start,
                     status=status, city="Lima")

    main, draft, other = (event(f"matrix-{n}", EventStatus.PUBLISHED), event(f"matrix-draft-{n}", EventStatus.DRAFT),
                          event(f"matrix-other-{n}", EventStatus.PUBLISHED))
    s.add_all([main, draft, other])
    s.flush()
    roles = []
    for ev in (main, draft):
        for role, kind in (("organizer", EventRoleKind.ORGANIZER), ("secretariat", EventRoleKind.SECRETARIAT),
                           ("checkin", EventRoleKind.CHECKIN)):
            roles.append(EventRole(event_id=ev.id, user_id=users[role].id, role=kind))
    roles.append(EventRole(event_id=other.id, user_id=users["other_organizer"].id, role=EventRoleKind.ORGANIZER))
    s.add_all(roles)
    room = Room(event_id=main.id, name="Hall A", capacity=50)
    economy = make.economy("THA")
    delegation = Delegation(event_id=main.id, economy_id=economy.id, quota=5, taken=1)
    s.add_all([room, delegation])
    s.flush()
    focal_point = FocalPoint(delegation_id=delegation.id, user_id=users["focal_point"].id)
    s.add(focal_point)
    registration = Registration(event_id=main.id, delegation_id=delegation.id, economy_id=economy.id,
                                user_id=users["delegate"].id, email=users["delegate"].email, given_name="Dara",
                                family_name="Delegate", status=RegistrationStatus.APPROVED, visa_letter=True)
    s.add(registration)
    start_at = main.local_to_utc(start, time(9, 0))
    session = Session(event_id=main.id, kind=SessionKind.PRESENTATION, title="Opening", starts_at=start_at,
                      ends_at=start_at + timedelta(hours=1), room_id=room.id)
    s.add(session)
    period = TravelEligibility(economy_id=economy.id, effective_from=date(1900 + n, 1, 1),
                               effective_to=date(1900 + n, 12, 31))
    s.add(period)
    message = OutboxMessage(recipients="someone@example.org", subject="Hello", raw=b"Subject: Hello\r\n\r\nHi\r\n",
                            status=MailStatus.FAILED, attempts=8)
    s.add(message)
    s.flush()
    from eventhub.signups.models import Booking, BookingStatus

    booking = Booking(session_id=session.id, registration_id=registration.id, economy_id=economy.id,
                      status=BookingStatus.CONFIRMED)
    s.add(booking)
    s.flush()
    checkin_role = next(r for r in roles if r.event_id == main.id and r.role == EventRoleKind.CHECKIN)
    world = World(users={"anonymous": None, **users})
    world.ids = {
        "slug": main.slug, "draft_slug": draft.slug, "other_slug": other.slug, "room_id": room.id,
        "delegation_id": delegation.id, "registration_id": registration.id, "session_id": session.id,
        "role_id": checkin_role.id, "economy_id": economy.id, "period_id": period.id, "message_id": message.id,
        "token": make_password_token("test-secret-key", users["delegate"], Purpose.RESET),
        "invite_token": delegation.invite_token, "confirm_token": registration.confirm_token,
        "calendar_token": registration.calendar_token, "focal_point_id": focal_point.id,
        "booking_id": booking.id, "survey_id": _survey(s, main).id,
    }
    s.commit()
    return world


def _survey(s, event):
    from eventhub.surveys.models import Survey

    survey = Survey(event_id=event.id, title="Evaluation")
    s.add(survey)
    s.flush()
    return survey


def _client_as(app, user):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
    return client


def _call(app, world: World, role: str, route: Route) -> int:
    path = route.path.format(**world.ids)
    client = _client_as(app, world.users[role])
    if route.method == "GET":
        return client.get(path).status_code
    return client.open(path, method=route.method, data=route.data or {}).status_code


def _route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_route_answers_each_role_as_expected(app, make, route):
    expected = route.expected.split()
    assert len(expected) == len(ROLES), f"{_route_id(route)}: give {len(ROLES)} statuses, one per role"
    got = []
    world = build_world(make, 0)
    for i, role in enumerate(ROLES):
        if route.method != "GET" and i:
            world = build_world(make, i)  # a fresh world: the previous role may have changed this one
        got.append(str(_call(app, world, role, route)))
    if got != expected:
        table = "\n".join(f"  {role:<16} expected {e}  got {g}{'   <--' if e != g else ''}"
                          for role, e, g in zip(ROLES, expected, got, strict=True))
        pytest.fail(f"{_route_id(route)}\n{table}")


def _rule_of(app, route: Route):
    """The url_map rule a row exercises: its placeholders filled with a dummy value, matched like a request."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    adapter = app.url_map.bind("localhost")
    try:
        rule, _args = adapter.match(re.sub(r"\{[^}]+\}", "1", route.path), method=route.method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return None
    return rule


def test_every_route_is_in_the_matrix(app):
    covered = {(r.method, rule.rule) for r in ROUTES if (rule := _rule_of(app, r)) is not None}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if (method, rule.rule) not in covered:
                path = re.sub(r"<(?:[^>]*:)?([^>:]+)>", r"{\1}", rule.rule)
                missing.append(f'    Route("{method}", "{path}", ...),  # {rule.endpoint}')
    assert not missing, (
        "These routes have no row in tests/test_authorization_matrix.py ROUTES; add one line each "
        "(see the top of that file):\n" + "\n".join(missing)
    )


def test_matrix_rows_name_real_routes(app):
    """A row for a route that does not exist (or a path with a missing trailing slash) is a mistake too."""
    stale = [_route_id(r) for r in ROUTES if _rule_of(app, r) is None]
    assert not stale, f"Rows that match no route: {stale}"
