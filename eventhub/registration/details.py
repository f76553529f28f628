"""A person's details as registration takes them: the fields, their limits and labels, and the
checks every way in (forms, imports, the API) goes through."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

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
FIELD_LABELS = {
    "honorific": "Honorific", "given_name": "Given name", "family_name": "Family name",
    "name_local": "Name in local script", "sex": "Sex / gender", "organisation": "Organisation",
    "position": "Position", "sector": "Sector", "category": "Participant category", "phone": "Phone",
    "dietary": "Dietary needs", "accessibility": "Accessibility needs", "arrival_at": "Arrival",
    "departure_at": "Departure", "visa_letter": "Visa invitation letter", "funding": "Funding",
    "consent_list": "Participant list consent", "consent_photo": "Photo consent", "email": "E-mail",
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
            raise DomainError(f"{FIELD_LABELS[name]} is longer than {limit} characters.", field=name)
        out[name] = value
    for name in ("given_name", "family_name"):
        if not out[name]:
            raise DomainError(f"{FIELD_LABELS[name]} is required.", field=name)
    for name, enum_cls, default in (("sex", Sex, Sex.UNDISCLOSED), ("category", Category, Category.DELEGATE),
                                    ("funding", Funding, Funding.SELF)):
        value = details.get(name) or default
        try:
            out[name] = enum_cls(value)
        except ValueError:
            choices = ", ".join(m.value for m in enum_cls)
            raise DomainError(f"{FIELD_LABELS[name]} must be one of: {choices}.", field=name) from None
    for name in ("arrival_at", "departure_at"):
        value = details.get(name)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise DomainError(f"{FIELD_LABELS[name]} is not a valid date and time.", field=name)
        out[name] = value
    if out["arrival_at"] and out["departure_at"] and out["departure_at"] < out["arrival_at"]:
        raise DomainError("Departure is before arrival.", field="departure_at")
    for name in ("visa_letter", "consent_list", "consent_photo"):
        out[name] = bool(details.get(name))
    return out


def clean_email(email: str | None) -> str:
    from email_validator import EmailNotValidError, validate_email

    email = normalise_email(email or "")
    if not email:
        raise DomainError("E-mail is required.", field="email")
    if len(email) > 254:
        raise DomainError("E-mail is longer than 254 characters.", field="email")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError(f"{email} is not a valid e-mail address.", field="email") from None
    return email
