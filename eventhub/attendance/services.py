"""The attendance services, one name for what the modules beside it hold (kept for the code that
imports `eventhub.attendance.services`; new code imports from the module itself):

- `checkin.py`: the rules of a plain check-in and its override, recording a scan once, undo;
- `people.py`: finding the person — by badge, by id, by name — and reissuing badges;
- `desk_queries.py`: what the desk page shows for a scope;
- `api_access.py`: scanner-app API tokens and the one read of a scan request;
- `walk_in.py`: registering and checking in someone who turns up unregistered;
- `scopes.py`: what a check-in is for (a day, a session, a vehicle).

Services take the database session first, flush and never commit.
"""

from __future__ import annotations

from eventhub.attendance.api_access import (
    ApiCaller,
    ApiReads,
    api_reads,
    issue_api_token,
    revoke_api_token,
    user_for_api_token,
)
from eventhub.attendance.checkin import (
    CLOCK_SKEW,
    NOT_READ,
    OVERRIDE_REASON_MAX,
    BookingState,
    CheckInRefused,
    Outcome,
    Problem,
    Scan,
    check_in,
    check_scan,
    checked_reason,
    problems,
    record_check_in,
    refusal_message,
    refusals,
    scan_time,
    undo_check_in,
)
from eventhub.attendance.desk_queries import recent_checkins, scope_count, scope_state
from eventhub.attendance.people import (
    NO_SUCH_REGISTRATION,
    badge_claim,
    badge_holder,
    badge_versions,
    registration_by_id,
    registration_for_badge,
    reissue_badge,
    search_registrations,
)
from eventhub.attendance.scopes import (
    Scope,
    ScopeChoice,
    default_day,
    event_days,
    local_today,
    parse_scope_key,
    resolve_scope,
    scope_choices,
    scope_of,
    session_day,
)
from eventhub.attendance.walk_in import WalkIn, register_walk_in

__all__ = [
    "CLOCK_SKEW", "NOT_READ", "NO_SUCH_REGISTRATION", "OVERRIDE_REASON_MAX", "ApiCaller", "ApiReads",
    "BookingState", "CheckInRefused", "Outcome", "Problem", "Scan", "Scope", "ScopeChoice", "WalkIn",
    "api_reads", "badge_claim", "badge_holder", "badge_versions", "check_in", "check_scan", "checked_reason",
    "default_day", "event_days", "issue_api_token", "local_today", "parse_scope_key", "problems",
    "recent_checkins", "record_check_in", "refusal_message", "refusals", "register_walk_in",
    "registration_by_id", "registration_for_badge", "reissue_badge", "resolve_scope", "revoke_api_token",
    "scan_time", "scope_choices", "scope_count", "scope_of", "scope_state", "search_registrations",
    "session_day", "undo_check_in", "user_for_api_token",
]
