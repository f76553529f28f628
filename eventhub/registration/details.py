"""A person's details as registration takes them: the fields, their limits and labels, and the
checks every way in (forms, imports, the API) goes through."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from eventhub.accounts.models import normalise_email
from eventhub.errors import DomainError
from eventhub.registration.models import Category, Funding, Sex

# Details a person gives about themself (everything but e-mail, economy and state).
DETAIL_FIELDS = (
    "honorific", "given_name", "family_name", "name_local", "sex", "organisation", "position", "sector",
    "category", "phone", "dietary", "accessibility", "arrival_at", "departure_at", "visa_letter", "funding",
    "consent_list", "consent_photo",
)
TEXT_LIMITS = {
    "honorific": 20, "given_name": 120, "family_name": 120, "name_local": 200, "organisation": 300,
    "position": 200, "sector": 120, "phone": 50, "dietary": 300, "accessibility": 300,
}
# Lazy: named in the reader's language in messages (the history keeps English, see services).
FIELD_LABELS = {
    "honorific": _l("Honorific"), "given_name": _l("Given name"), "family_name": _l("Family name"),
    "name_local": _l("Name in local script"), "sex": _l("Sex / gender"), "organisation": _l("Organisation"),
    "position": _l("Position"), "sector": _l("Sector"), "category": _l("Participant category"), "phone": _l("Phone"),
    "dietary": _l("Dietary needs"), "accessibility": _l("Accessibility needs"), "arrival_at": _l("Arrival"),
    "departure_at": _l("Departure"), "visa_letter": _l("Visa invitation letter"), "funding": _l("Funding"),
    "consent_list": _l("Participant list consent"), "consent_photo": _l("Photo consent"), "email": _l("E-mail"),
    "language": _l("Language for e-mails"),
}


def clean_details(details: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise a person's details (from a form or an imported row).

    Raises DomainError naming the field. The form validates the same things first; this is the
    rule that holds whatever the way in.
    """
    out: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        value = details.get(name) or ""
        if not isinstance(value, str):
            value = str(value)
        value = " ".join(value.split()) if name not in ("dietary", "accessibility") else value.strip()
        if len(value) > limit:
            raise DomainError(_("%(field)s is longer than %(limit)d characters.", field=FIELD_LABELS[name],
                                limit=limit), field=name)
        out[name] = value
    for name in ("given_name", "family_name"):
        if not out[name]:
            raise DomainError(_("%(field)s is required.", field=FIELD_LABELS[name]), field=name)
    for name, enum_cls, default in (("sex", Sex, Sex.UNDISCLOSED), ("category", Category, Category.DELEGATE),
                                    ("funding", Funding, Funding.SELF)):
        value = details.get(name) or default
        try:
            out[name] = enum_cls(value)
        except ValueError:
            choices = ", ".join(m.value for m in enum_cls)
            raise DomainError(_("%(field)s must be one of: %(choices)s.", field=FIELD_LABELS[name], choices=choices),
                              field=name) from None
    for name in ("arrival_at", "departure_at"):
        value = details.get(name)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise DomainError(_("%(field)s is not a valid date and time.", field=FIELD_LABELS[name]), field=name)
        out[name] = value
    if out["arrival_at"] and out["departure_at"] and out["departure_at"] < out["arrival_at"]:
        raise DomainError(_("Departure is before arrival."), field="departure_at")
    for name in ("visa_letter", "consent_list", "consent_photo"):
        out[name] = bool(details.get(name))
    if "language" in details:  # only the forms ask it; an import leaves it as it is
        from eventhub.i18n import match

        out["language"] = match(details["language"])  # a code not offered is no choice
    return out


def clean_email(email: str | None) -> str:
    from email_validator import EmailNotValidError, validate_email

    email = normalise_email(email or "")
    if not email:
        raise DomainError(_("E-mail is required."), field="email")
    if len(email) > 254:
        raise DomainError(_("E-mail is longer than 254 characters."), field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(_("%(email)s is not a valid e-mail address.", email=email), field="email") from None
    return email
