"""How a registration's state is shown on every page that lists people.

A Python function rather than a Jinja macro: the staff list calls it once per row, and a macro
call costs about ten times as much.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from eventhub.registration.models import RegistrationStatus

# Built once, as plain strings joined into one Markup: the staff list asks for one badge per row,
# and every Markup operation escapes again.
_BADGE_OPEN = {s: f'<span class="badge badge-{escape(s.value)}">{escape(s.label)}' for s in RegistrationStatus}
_NOT_CONFIRMED = (' <span class="badge badge-warn">Not yet confirmed by the delegate: details and privacy notice'
                  '</span>')
_NO_PRIVACY = ' <span class="badge badge-warn">Privacy notice not accepted</span>'


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 delegate", "3 delegates", "2 people" (plural given): counts in messages read correctly."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def status_badge(reg, position: int | None = None) -> Markup:
    """The state badge of a Registration (or a staff-list row): "Approved", "Waitlisted · #3 on the
    waitlist", and a second badge while the delegate has not confirmed details a focal point gave
    (or, confirmed otherwise, has not accepted the privacy notice)."""
    html = _BADGE_OPEN[reg.status]
    if position:
        html += f" · #{int(position)} on the waitlist"
    html += "</span>"
    if reg.needs_confirmation and reg.is_active:
        html += _NOT_CONFIRMED
    elif not reg.privacy_acknowledged and reg.is_active:
        html += _NO_PRIVACY
    return Markup(html)
