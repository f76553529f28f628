"""What a delegate still has to do for an event, for one person or a whole delegation, in a fixed
number of queries whatever the number of people: confirm their details, request a visa letter, rank
the roundtables, book a site visit, answer the evaluation survey.

Each item is in one state: DONE, TODO (the person can act now), WAITING (done on their side, the
organizers act next) — items that do not apply to the person are left out.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session as DbSession

from eventhub.registration.models import Registration, RegistrationStatus


class State(enum.StrEnum):
    DONE = "done"
    TODO = "todo"
    WAITING = "waiting"


LABELS = {
    "confirm": _l("Confirm your details"),
    "letter": _l("Request a visa invitation letter"),
    "rank": _l("Rank the roundtables"),
    "visit": _l("Book a site visit"),
    "survey": _l("Answer the evaluation survey"),
}
STATE_LABELS = {State.DONE: _l("Done"), State.TODO: _l("To do"), State.WAITING: _l("Waiting for the organizers")}


@dataclass(frozen=True)
class Item:
    key: str
    state: State
    endpoint: str | None = None  # url_for(endpoint, **values), for the person or whoever acts for them
    values: tuple = ()

    @property
    def label(self) -> str:
        return str(LABELS[self.key])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def checklists(db: DbSession, event, regs: list[Registration], now: datetime, *,
               for_self: bool = False) -> dict[int, list[Item]]:
    """{registration id: its checklist}, in six queries for any number of registrations. `for_self`:
    the person's own page, where "confirm" links to their personal confirmation page; a focal point
    gets the details page instead (a personal link is never shown to anyone else)."""
    from eventhub.agenda.models import Session, SessionKind, SessionStatus
    from eventhub.documents.models import DocumentKind, IssuedDocument, PassportDetails
    from eventhub.signups.models import Booking, BookingStatus, RoundtablePreference
    from eventhub.signups.roundtables import slots
    from eventhub.surveys.models import Survey, SurveyInvitation, SurveyResponse

    ids = [r.id for r in regs]
    if not ids:
        return {}
    open_slots = [s for s in slots(db, event.id) if s.is_open(now)]
    ranked = set(db.scalars(sa.select(RoundtablePreference.registration_id).where(
        RoundtablePreference.registration_id.in_(ids),
        RoundtablePreference.slot.in_([s.starts_at for s in open_slots] or [now])).distinct())) if open_slots else set()
    visits_open = db.scalar(sa.select(sa.func.count(Session.id)).where(
        Session.event_id == event.id, Session.kind == SessionKind.SITE_VISIT, Session.bookable.is_(True),
        Session.status != SessionStatus.CANCELLED, Session.starts_at > now)) or 0
    on_visit = set(db.scalars(sa.select(Booking.registration_id).join(Session, Session.id == Booking.session_id).where(
        Booking.registration_id.in_(ids), Booking.status != BookingStatus.CANCELLED,
        Session.kind == SessionKind.SITE_VISIT).distinct()))
    passports = set(db.scalars(sa.select(PassportDetails.registration_id)
                               .where(PassportDetails.registration_id.in_(ids))))
    letters = set(db.scalars(sa.select(IssuedDocument.registration_id).where(
        IssuedDocument.registration_id.in_(ids), IssuedDocument.kind == DocumentKind.VISA_LETTER,
        IssuedDocument.revoked_at.is_(None))))
    surveys = dict(db.execute(
        sa.select(SurveyInvitation.registration_id, sa.func.count(SurveyResponse.id))
        .join(Survey, Survey.id == SurveyInvitation.survey_id)
        .outerjoin(SurveyResponse, SurveyResponse.invitation_id == SurveyInvitation.id)
        .where(SurveyInvitation.registration_id.in_(ids), Survey.closed_at.is_(None))
        .group_by(SurveyInvitation.registration_id)).all())
    found: dict[int, list[Item]] = {}
    for reg in regs:
        items = []
        mine = {"slug": event.slug, "registration_id": reg.id}
        if reg.needs_confirmation or not reg.confirmed_by_delegate:
            confirm = ("registration.confirm", (("token", reg.confirm_token),)) if for_self \
                else ("registration.edit", tuple(mine.items()))
            items.append(Item("confirm", State.DONE if reg.confirmed_by_delegate else State.TODO, *confirm))
        elif reg.is_active:
            items.append(Item("confirm", State.DONE, "registration.show", tuple(mine.items())))
        if reg.visa_letter and reg.personal_data_purged_at is None:
            state = State.DONE if reg.id in letters else State.WAITING if reg.id in passports else State.TODO
            items.append(Item("letter", state, "documents.passport", tuple(mine.items())))
        approved = reg.status == RegistrationStatus.APPROVED
        if approved and open_slots:
            items.append(Item("rank", State.DONE if reg.id in ranked else State.TODO, "signups.roundtables",
                              (("slug", event.slug),)))
        if approved and (visits_open or reg.id in on_visit):
            items.append(Item("visit", State.DONE if reg.id in on_visit else State.TODO, "agenda.agenda",
                              (("slug", event.slug),)))
        if reg.id in surveys:
            items.append(Item("survey", State.DONE if surveys[reg.id] else State.TODO))
        found[reg.id] = items
    return found
