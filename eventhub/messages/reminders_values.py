"""The placeholders' values of a queued reminder, read when the delivery process writes it."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from eventhub.formatting import local_dt
from eventhub.i18n import localized, recipient_language
from eventhub.messages import notification_texts as nt
from eventhub.messages.models_reminders import ReminderKind
from eventhub.web import absolute_url


def _when(moment, event) -> str:
    return f"{local_dt(moment, event)} ({event.timezone})"


def scheduled_meetings(db: DbSession, registration_ids: list[int]) -> dict[int, list[tuple]]:
    """{registration id: [(slot, table, the other side's registration)]} of published matching
    meetings, in time order, in one query."""
    from eventhub.matching.models import MatchingProfile, MatchingSlot, MatchingTable, Meeting
    from eventhub.registration.models import Registration

    if not registration_ids:
        return {}
    mine, other = aliased(MatchingProfile), aliased(MatchingProfile)
    other_reg = aliased(Registration)
    rows = db.execute(
        sa.select(mine.registration_id, MatchingSlot, MatchingTable, other_reg)
        .select_from(Meeting)
        .join(mine, sa.or_(mine.id == Meeting.profile_a_id, mine.id == Meeting.profile_b_id))
        .join(other, sa.and_(other.id != mine.id, sa.or_(other.id == Meeting.profile_a_id,
                                                         other.id == Meeting.profile_b_id)))
        .join(other_reg, other_reg.id == other.registration_id)
        .join(MatchingSlot, MatchingSlot.id == Meeting.slot_id)
        .join(MatchingTable, MatchingTable.id == Meeting.table_id)
        .where(mine.registration_id.in_(registration_ids))
        .order_by(MatchingSlot.starts_at)).all()
    found: dict[int, list[tuple]] = {}
    for registration_id, slot, table, who in rows:
        found.setdefault(registration_id, []).append((slot, table, who))
    return found


def programme_lines(db: DbSession, event, reg) -> str:
    """A person's own programme as the day-before reminder lists it, in the language in force."""
    from eventhub.agenda.models import SessionKind
    from eventhub.signups.models import Vehicle
    from eventhub.signups.queries import programme

    prog = programme(db, event.id, reg)
    vehicle_ids = {b.vehicle_id for _s, b in prog.booked if b.vehicle_id}
    vehicles = {v.id: v for v in db.scalars(sa.select(Vehicle).where(Vehicle.id.in_(vehicle_ids)))} \
        if vehicle_ids else {}
    booking_of = {s.id: b for s, b in prog.booked}
    lines = []
    for session, _how in prog.timeline:
        if session.is_cancelled:
            continue
        line = f"{local_dt(session.starts_at, event, 'short_datetime')} {localized(session, 'title')}"
        if session.place:
            line += f" · {session.place}"
        lines.append(line)
        visit = session.site_visit if session.kind == SessionKind.SITE_VISIT else None
        if visit is not None and (visit.departs_at or visit.meeting_point):
            departs = local_dt(visit.departs_at or session.starts_at, event, "time")
            lines.append("  " + (_("The bus leaves at %(time)s from %(place)s.", time=departs, place=visit.meeting_point)
                                 if visit.meeting_point else _("The bus leaves at %(time)s.", time=departs)))
        booking = booking_of.get(session.id)
        vehicle = vehicles.get(booking.vehicle_id) if booking is not None and booking.vehicle_id else None
        if vehicle is not None:
            lines.append("  " + _("Your vehicle: %(name)s", name=vehicle.name)
                         + (f" ({vehicle.plate})" if vehicle.plate else ""))
    for slot, table, who in scheduled_meetings(db, [reg.id]).get(reg.id, []):
        lines.append(_("%(time)s meeting with %(name)s at table %(table)s",
                       time=local_dt(slot.starts_at, event, "short_datetime"), name=who.full_name, table=table.name))
    lines.append(_("Times in %(zone)s.", zone=event.timezone))
    return "\n".join(lines)


def values_for(db: DbSession, kind: ReminderKind, params: dict) -> tuple[str, str, int, Callable[[], dict]] | None:
    """(registry key, language, event id, a function giving the values in that language), or None when
    the person is gone. The values are computed inside the caller's force_locale."""
    from eventhub.accounts.models import User
    from eventhub.events.models import Event
    from eventhub.registration.models import Delegation, FocalPoint, Registration

    if params.get("user"):
        user, event = db.get(User, params["user"]), db.get(Event, params["event"])
        if user is None or event is None:
            return None
        delegations = list(db.scalars(sa.select(Delegation).join(FocalPoint, FocalPoint.delegation_id == Delegation.id)
                                      .where(FocalPoint.user_id == user.id, Delegation.event_id == event.id)
                                      .order_by(Delegation.id)))
        if not delegations:
            return None
        delegation = delegations[0]

        def focal_values() -> dict:
            return {"name": user.name or user.email, "economy": localized(delegation.economy, "name"),
                    "taken": str(delegation.taken), "quota": str(delegation.quota),
                    "closes_at": _when(event.registration_ends_at, event), "event_title": localized(event, "title"),
                    "delegation_url": absolute_url("registration.delegation", slug=event.slug,
                                                   delegation_id=delegation.id)}

        return ("reminder.registration_closing_focal", recipient_language(user=user, event=event), event.id,
                focal_values)
    reg = db.get(Registration, params["registration"])
    if reg is None or reg.personal_data_purged_at is not None:
        return None
    event = reg.event

    def values() -> dict:
        base = nt.person_values(reg, event)
        if kind == ReminderKind.REGISTRATION_CLOSING:
            return base | {"closes_at": _when(event.registration_ends_at, event),
                           "confirm_url": absolute_url("registration.confirm", token=reg.confirm_token)}
        if kind == ReminderKind.RANKING_DEADLINE:
            from eventhub.signups.roundtables import slots

            deadlines = [s.deadline for s in slots(db, event.id) if not s.published]
            return base | {"deadline": _when(min(deadlines), event) if deadlines else "",
                           "ranking_url": absolute_url("signups.roundtables", slug=event.slug)}
        if kind == ReminderKind.DAY_BEFORE:
            return base | {"programme": programme_lines(db, event, reg),
                           "programme_url": absolute_url("signups.programme", slug=event.slug)}
        return base | {"survey_url": absolute_url("surveys.answer", token=params["token"]) if params.get("token")
                       else ""}

    return f"reminder.{kind.value}", recipient_language(registration=reg, event=event), event.id, values
