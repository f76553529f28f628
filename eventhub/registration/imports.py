"""Import a delegation from CSV or XLSX: read (spreadsheets.py), check every row, then insert all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from eventhub.accounts.models import User
from eventhub.db import utcnow
from eventhub.errors import Conflict, DomainError
from eventhub.i18n import offered
from eventhub.registration import mails
from eventhub.registration.details import FIELD_LABELS
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    CATEGORY_LABELS,
    Category,
    Delegation,
    Funding,
    Registration,
    RegistrationLog,
    RegistrationStatus,
    Sex,
    new_token,
)
from eventhub.registration.services import admit, clean_details, clean_email, places_left
from eventhub.registration.spreadsheets import MAX_BYTES, MAX_ROWS, read_table

__all__ = ["MAX_BYTES", "MAX_ROWS", "COLUMNS", "REQUIRED", "Preview", "preview", "import_rows", "read_table",
           "template_csv"]

COLUMNS = ["email", "honorific", "given_name", "family_name", "name_local", "sex", "organisation", "position",
           "sector", "category", "phone", "dietary", "accessibility", "arrival", "departure", "visa_letter",
           "funding", "consent_list", "consent_photo"]
REQUIRED = ("email", "given_name", "family_name", "organisation")
ALIASES = {
    "e_mail": "email", "email_address": "email", "mail": "email",
    "title": "honorific", "salutation": "honorific",
    "given": "given_name", "first_name": "given_name", "firstname": "given_name", "given_names": "given_name",
    "family": "family_name", "last_name": "family_name", "lastname": "family_name", "surname": "family_name",
    "local_name": "name_local", "name_in_local_script": "name_local", "local_script": "name_local",
    "gender": "sex", "sex_gender": "sex", "sex_/_gender": "sex",
    "organization": "organisation", "agency": "organisation", "company": "organisation",
    "job_title": "position", "participant_category": "category", "role": "category",
    "telephone": "phone", "mobile": "phone", "phone_number": "phone",
    "dietary_needs": "dietary", "diet": "dietary", "accessibility_needs": "accessibility",
    "arrival_at": "arrival", "departure_at": "departure", "visa": "visa_letter",
    "visa_invitation_letter": "visa_letter", "invitation_letter": "visa_letter",
    "participant_list": "consent_list", "consent_to_list": "consent_list", "photo": "consent_photo",
    "consent_to_photo": "consent_photo",
}
SEX_WORDS = {
    "female": Sex.FEMALE, "f": Sex.FEMALE, "woman": Sex.FEMALE, "male": Sex.MALE, "m": Sex.MALE,
    "man": Sex.MALE, "another": Sex.ANOTHER, "other": Sex.ANOTHER, "prefer not to say": Sex.UNDISCLOSED,
    "undisclosed": Sex.UNDISCLOSED, "": Sex.UNDISCLOSED,
}
CATEGORY_WORDS = {c.value: c for c in Category} | {label.lower(): c for c, label in CATEGORY_LABELS.items()} | {
    "head": Category.HEAD, "speaker": Category.SPEAKER, "expert": Category.SPEAKER, "staff": Category.STAFF,
    "": Category.DELEGATE}
FUNDING_WORDS = {"self_funded": Funding.SELF, "self-funded": Funding.SELF, "self funded": Funding.SELF,
                 "self": Funding.SELF, "": Funding.SELF, "apec_funded": Funding.APEC, "apec-funded": Funding.APEC,
                 "apec funded": Funding.APEC, "apec": Funding.APEC}
YES = {"yes", "y", "true", "1", "x", "✓"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    raw: dict[str, str]
    email: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[Row]
    columns: list[str]
    ignored_columns: list[str]
    places_left: int | None = None  # free places of the delegation's quota when the file was checked

    @property
    def over_quota(self) -> int:
        """How many of the rows find no free place of the quota (they go to the waitlist when approved)."""
        if self.places_left is None:
            return 0
        return max(len(self.rows) - self.places_left, 0)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad_rows


# --- Reading ---------------------------------------------------------------------------------------------

def column_title(key: str) -> str:
    """A column's header in the template, in the reader's language: the key itself in English."""
    # Spelled out, one call each, so that the extractor finds every header. The English msgids are
    # the column keys (what English files have always used); other languages name them in words.
    return {
        "email": _("email"),
        "honorific": _("honorific"),
        "given_name": _("given_name"),
        "family_name": _("family_name"),
        "name_local": _("name_local"),
        "sex": _("sex"),
        "organisation": _("organisation"),
        "position": _("position"),
        "sector": _("sector"),
        "category": _("category"),
        "phone": _("phone"),
        "dietary": _("dietary"),
        "accessibility": _("accessibility"),
        "arrival": _("arrival"),
        "departure": _("departure"),
        "visa_letter": _("visa_letter"),
        "funding": _("funding"),
        "consent_list": _("consent_list"),
        "consent_photo": _("consent_photo"),
    }[key]


@lru_cache(maxsize=8)
def _translated_titles(languages: tuple[str, ...]) -> dict[str, str]:
    """Each offered language's column headers (lower case), read back to the column keys."""
    titles = {}
    for language in languages:
        with force_locale(language):
            titles.update({column_title(key).strip().lower(): key for key in COLUMNS})
    return titles


def _header_key(text: str) -> str:
    text = str(text or "").strip()
    translated = _translated_titles(offered()).get(text.lower()) if has_request_context() else None
    if translated:  # a template downloaded in another language
        return translated
    key = "_".join(text.lower().replace("-", "_").replace("/", "_").split())
    key = key.replace("__", "_").strip("_")
    return ALIASES.get(key, key)


# --- Checking ------------------------------------------------------------------------------------------

def _bool(value: str, label: str, errors: list[str]) -> bool:
    word = value.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    errors.append(_("%(field)s: write yes or no, not “%(value)s”.", field=label, value=value))
    return False


def _moment(value: str, label: str, zone: ZoneInfo, errors: list[str]) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        if not 1900 <= moment.year <= 9998:  # year 0001 cannot even be converted to UTC
            errors.append(_("%(field)s: “%(value)s” is not a year between 1900 and 9998.", field=label,
                            value=value))
            return None
        return moment.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
    errors.append(_("%(field)s: “%(value)s” is not a date and time like 2025-06-27 14:30.", field=label,
                    value=value))
    return None


def _row_details(raw: dict[str, str], zone: ZoneInfo, errors: list[str]) -> dict[str, Any]:
    def word(name, table, label):
        value = raw.get(name, "")
        found = table.get(value.strip().lower())
        if found is None:
            errors.append(_("%(field)s: “%(value)s” is not one of %(choices)s.", field=label, value=value,
                            choices=", ".join(sorted(k for k in table if k))))
        return found

    return {
        "honorific": raw.get("honorific", ""), "given_name": raw.get("given_name", ""),
        "family_name": raw.get("family_name", ""), "name_local": raw.get("name_local", ""),
        "sex": word("sex", SEX_WORDS, FIELD_LABELS["sex"]), "organisation": raw.get("organisation", ""),
        "position": raw.get("position", ""), "sector": raw.get("sector", ""),
        "category": word("category", CATEGORY_WORDS, FIELD_LABELS["category"]), "phone": raw.get("phone", ""),
        "dietary": raw.get("dietary", ""), "accessibility": raw.get("accessibility", ""),
        "arrival_at": _moment(raw.get("arrival", ""), FIELD_LABELS["arrival_at"], zone, errors),
        "departure_at": _moment(raw.get("departure", ""), FIELD_LABELS["departure_at"], zone, errors),
        "visa_letter": _bool(raw.get("visa_letter", ""), _("Visa letter"), errors),
        "funding": word("funding", FUNDING_WORDS, FIELD_LABELS["funding"]),
        "consent_list": _bool(raw.get("consent_list", ""), FIELD_LABELS["consent_list"], errors),
        "consent_photo": _bool(raw.get("consent_photo", ""), FIELD_LABELS["consent_photo"], errors),
    }


def preview(db_session: DbSession, delegation: Delegation, filename: str, data: bytes) -> Preview:
    """Read and check every row; nothing is written."""
    table = read_table(filename, data)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise DomainError(_("The file has no rows."), field="file")
    header = [_header_key(h) for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError(_("The first row must name the columns; missing: %(columns)s. Download the template "
                            "to see them all.", columns=", ".join(column_title(c) for c in missing)), field="file")
    if len(table) - 1 > MAX_ROWS:
        raise DomainError(_("At most %(limit)d rows can be imported at once.", limit=MAX_ROWS), field="file")
    known = [h for h in header if h in COLUMNS]
    ignored = [table[0][i] for i, h in enumerate(header) if h not in COLUMNS and h]
    zone = ZoneInfo(delegation.event.timezone)
    rows: list[Row] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        raw = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h in COLUMNS}
        row = Row(number, raw)
        details = _row_details(raw, zone, row.errors)
        if not raw.get("organisation"):
            row.errors.append(_("Organisation is required."))
        try:
            row.email = clean_email(raw.get("email"))
        except DomainError as exc:
            row.errors.append(exc.message)
        if None not in (details["sex"], details["category"], details["funding"]):  # each a known word
            try:
                row.details = clean_details(details)
            except DomainError as exc:
                row.errors.append(exc.message)
        rows.append(row)
    if not rows:
        raise DomainError(_("The file has a header row but no people in it."), field="file")
    # Duplicates inside the file and registrations that already exist.
    first_seen: dict[str, int] = {}
    for row in rows:
        if row.email:
            if row.email in first_seen:
                row.errors.append(_("%(email)s appears twice (also in row %(row)d).", email=row.email,
                                    row=first_seen[row.email]))
            else:
                first_seen[row.email] = row.number
    emails = list(first_seen)
    existing: set[str] = set()
    for i in range(0, len(emails), 500):
        existing.update(db_session.scalars(sa.select(Registration.email).where(
            Registration.event_id == delegation.event_id, Registration.email.in_(emails[i:i + 500]),
            Registration.status.in_(ACTIVE_STATUSES))))
    for row in rows:
        if row.email in existing:
            row.errors.append(_("%(email)s is already registered for this event.", email=row.email))
    return Preview(rows, known, ignored, places_left=places_left(delegation))


# --- Writing -------------------------------------------------------------------------------------------

def import_rows(db_session: DbSession, delegation: Delegation, filename: str, data: bytes, *,
                actor: User | None, send_mail: bool = True) -> list[Registration]:
    """Insert every row or none. Each person is nominated: they confirm their details by e-mail."""
    checked = preview(db_session, delegation, filename, data)
    if not checked.ok:
        bad = checked.bad_rows
        raise DomainError(ngettext("Nothing was imported: %(num)d row has problems, first row %(row)d: %(error)s",
                                   "Nothing was imported: %(num)d rows have problems, first row %(row)d: "
                                   "%(error)s", len(bad), row=bad[0].number, error=bad[0].errors[0]),
                          field="file")
    event = delegation.event
    rows = checked.rows
    emails = [r.email for r in rows]

    def chunks(values):
        return (values[i:i + 500] for i in range(0, len(values), 500))

    now = utcnow()
    # Bulk INSERTs (executemany) rather than one ORM INSERT per object: 2,000 rows in well under a second.
    try:
        with db_session.begin_nested():
            user_ids: dict[str, int] = {}
            for chunk in chunks(emails):
                user_ids.update(db_session.execute(
                    sa.select(User.email, User.id).where(User.email.in_(chunk))).all())
            new_users = [{"email": r.email, "name": f"{r.details['given_name']} {r.details['family_name']}"[:200]}
                         for r in rows if r.email not in user_ids]
            if new_users:
                db_session.execute(sa.insert(User), new_users)
                for chunk in chunks([u["email"] for u in new_users]):
                    user_ids.update(db_session.execute(
                        sa.select(User.email, User.id).where(User.email.in_(chunk))).all())
            db_session.execute(sa.insert(Registration), [{
                "event_id": event.id, "economy_id": delegation.economy_id, "delegation_id": delegation.id,
                "user_id": user_ids[r.email], "email": r.email, "status": RegistrationStatus.SUBMITTED,
                "needs_confirmation": True, "confirm_token": new_token(), "calendar_token": new_token(),
                "created_at": now, "updated_at": now, **r.details,
            } for r in rows])
            reg_ids: dict[str, int] = {}
            for chunk in chunks(emails):
                reg_ids.update(db_session.execute(sa.select(Registration.email, Registration.id).where(
                    Registration.event_id == event.id, Registration.email.in_(chunk),
                    Registration.status.in_(ACTIVE_STATUSES))).all())
            db_session.execute(sa.insert(RegistrationLog), [{
                "registration_id": reg_ids[r.email], "action": "imported",
                "actor_id": actor.id if actor else None, "from_status": None,
                "to_status": RegistrationStatus.SUBMITTED.value, "note": f"{filename[:200]}, row {r.number}",
                "at": now} for r in rows])
    except IntegrityError:
        raise Conflict(_("Nothing was imported: someone registered one of these people meanwhile. Upload the "
                         "file again to see which."), field="file") from None
    by_id: dict[int, Registration] = {}
    for chunk in chunks(list(reg_ids.values())):
        for reg in db_session.scalars(sa.select(Registration).where(Registration.id.in_(chunk))
                                      .options(selectinload(Registration.user))):
            by_id[reg.id] = reg
    regs = [by_id[reg_ids[r.email]] for r in rows]
    if not event.approval_required:
        for reg in regs:
            admit(db_session, reg, actor=None, note="approval not required", notify=False)
    if send_mail:
        mails.nominated_many(db_session, regs)
    return regs


def template_csv() -> bytes:
    """An empty import file with every column and one example row, UTF-8 with BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column_title(key) for key in COLUMNS])
    writer.writerow(["somchai.j@example.go.th", "Mr", "Somchai", "Jaidee", "สมชาย ใจดี", "male",
                     "Office of SME Promotion", "Director", "Government", "head_of_delegation", "+66 2 123 4567",
                     "halal", "", "2025-06-27 14:30", "2025-06-29 10:00", "no", "self_funded", "yes", "yes"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
