"""How a registration's state is shown on every page that lists people.

A Python function rather than a Jinja macro: the staff list calls it once per row, and a macro
call costs about ten times as much.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from eventhub.i18n import SOURCE_LANGUAGE, current_language
from eventhub.registration.details import FIELD_LABELS
from eventhub.registration.models import RegistrationStatus

# What the history stores (English, the words of the services) as the reader reads it.
HISTORY_ACTIONS = {
    "submitted": _l("Submitted"), "registered": _l("Registered"), "nominated": _l("Nominated"), "added by staff": _l("Added by staff"),
    "confirmed": _l("Confirmed"), "details changed": _l("Details changed"), "approved": _l("Approved"),
    "waitlisted": _l("Waitlisted"), "declined": _l("Declined"), "cancelled": _l("Cancelled"),
    "promoted": _l("Promoted"), "substituted": _l("Substituted"), "substitute": _l("Substitute"),
    "imported": _l("Imported"),
}
HISTORY_NOTES = {
    "quota full": _l("quota full"), "approval not required": _l("approval not required"),
    "details confirmed by the delegate": _l("details confirmed by the delegate"),
}


def history_action(action: str) -> str:
    label = HISTORY_ACTIONS.get(action)
    return str(label) if label is not None else action.capitalize()


_REPLACED_BY = re.compile(r"replaced by (?P<name>.+)")
_REPLACES = re.compile(r"replaces (?P<name>.+)")
_IMPORT_ROW = re.compile(r"(?P<file>.*), row (?P<row>\d+)")


def history_note(note: str) -> str:
    """A history note (stored in English, as the services write it) in the reader's language; a note
    typed by a person (a reason) as it is."""
    label = HISTORY_NOTES.get(note)
    if label is not None:
        return str(label)
    if found := _REPLACED_BY.fullmatch(note):
        return _("replaced by %(name)s", name=found["name"])
    if found := _REPLACES.fullmatch(note):
        return _("replaces %(name)s", name=found["name"])
    if found := _IMPORT_ROW.fullmatch(note):
        return _("%(file)s, row %(row)s", file=found["file"], row=found["row"])
    fields = _english_field_labels()
    parts = note.split(", ")
    if note and all(part in fields for part in parts):  # "details changed": the fields' labels
        return ", ".join(str(FIELD_LABELS[fields[part]]) for part in parts)
    return note


@lru_cache(maxsize=1)
def _english_field_labels() -> dict[str, str]:
    with force_locale(SOURCE_LANGUAGE):
        return {str(label): name for name, label in FIELD_LABELS.items()}


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 delegate", "3 delegates", "2 people" (plural given): counts in messages read correctly."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


# Built once per language, as plain strings joined into one Markup: the staff list asks for one
# badge per row, and every Markup operation escapes again.
_BADGES: dict[str, tuple[dict, str, str]] = {}


def _badges() -> tuple[dict, str, str]:
    language = current_language()
    if language not in _BADGES:
        _BADGES[language] = (
            {s: f'<span class="badge badge-{escape(s.value)}">{escape(s.label)}' for s in RegistrationStatus},
            ' <span class="badge badge-warn">'
            + str(escape(_("Not yet confirmed by the delegate: details and privacy notice"))) + "</span>",
            ' <span class="badge badge-warn">' + str(escape(_("Privacy notice not accepted"))) + "</span>")
    return _BADGES[language]


def status_badge(reg, position: int | None = None) -> Markup:
    """The state badge of a Registration (or a staff-list row): "Approved", "Waitlisted · #3 on the
    waitlist", and a second badge while the delegate has not confirmed details a focal point gave
    (or, confirmed otherwise, has not accepted the privacy notice)."""
    opening, not_confirmed, no_privacy = _badges()
    html = opening[reg.status]
    if position:
        html += " · " + str(escape(_("#%(position)d on the waitlist", position=int(position))))
    html += "</span>"
    if reg.needs_confirmation and reg.is_active:
        html += not_confirmed
    elif not reg.privacy_acknowledged and reg.is_active:
        html += no_privacy
    return Markup(html)
